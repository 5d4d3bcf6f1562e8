package fourways.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Closing;
import fourways.protocol.Frames;
import fourways.protocol.ServerConfig;
import fourways.protocol.Services;
import fourways.testsuite.SlowKeys;
import fourways.testsuite.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 22, item 4: a TLS 1.2 client asks to renegotiate while replies are queued, and the
 * engine's delegated task for its ClientHello waits for the one task thread, which another
 * handshake holds (a slow key, {@link SlowKeys}). Meanwhile every write the client's reading lets
 * complete finds an engine that wraps nothing. Before, that write completed at once with 0
 * bytes and the writer wrote again, on the same stack, until it overflowed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncTlsRenegotiationTest {
    private static final TestPki PKI = TestPki.get();
    private final OwnThreads threads = new OwnThreads("reneg", true);
    private AsynchronousServerSocketChannel listener;
    private SSLSocket renegotiating, slow;
    private SlowKeys keys;
    private Thread.UncaughtExceptionHandler previous;

    @AfterEach
    void close() {
        if (keys != null) keys.open();
        Closing.quietly(renegotiating);
        Closing.quietly(slow);
        Closing.quietly(listener);
        threads.endAll(5);
        Thread.setDefaultUncaughtExceptionHandler(previous);
    }

    @Test
    void rule21_aRenegotiationRequestWhileRepliesAreQueuedIsRefused_withoutRecursion() throws Exception {
        AtomicReference<Throwable> died = new AtomicReference<>();
        previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> died.compareAndSet(null, e));   // a group thread's StackOverflowError
        AsynchronousChannelGroup group = threads.group(1);
        ExecutorService pool = threads.tasks(1, Integer.MAX_VALUE);
        AtomicReference<CountDownLatch> submitted = new AtomicReference<>(new CountDownLatch(0));
        Executor tasks = task -> {
            pool.execute(task);
            submitted.get().countDown();
        };
        ScheduledExecutorService timer = threads.timer();
        listener = AsynchronousServerSocketChannel.open(group).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
        ServerConfig config = ServerConfig.defaults().withTls(PKI.server()).withMaxBacklog(64 << 20);   // every reply queued, none refused

        // The connection that will ask to renegotiate: TLS 1.2, a small receive buffer, so most replies stay queued.
        var accepted = listener.accept();
        Socket plain = new Socket();
        plain.setReceiveBufferSize(8 * 1024);
        plain.connect(address, 10_000);
        CompletableFuture<AsyncConnection> closed = new CompletableFuture<>();
        AsyncConnection connection = new AsyncConnection(accepted.get(10, TimeUnit.SECONDS), config, new Services(config),
                timer, tasks, closed::complete);
        connection.start();
        renegotiating = (SSLSocket) PKI.client().context().getSocketFactory().createSocket(plain, "127.0.0.1", address.getPort(), true);
        renegotiating.setUseClientMode(true);
        renegotiating.setEnabledProtocols(new String[] {"TLSv1.2"});
        renegotiating.setSoTimeout(2_000);
        renegotiating.startHandshake();

        // The one task thread, held by another connection's handshake at its slow key.
        keys = new SlowKeys();
        keys.arm();
        var slowAccepted = listener.accept();
        slow = (SSLSocket) PKI.client().context().getSocketFactory().createSocket();
        slow.connect(address, 10_000);
        AsyncTls slowServer = new AsyncTls(slowAccepted.get(10, TimeUnit.SECONDS), keys.newEngine(), tasks, () -> {});
        CompletableFuture<Void> slowDone = new CompletableFuture<>();
        slowServer.handshake(null, new java.nio.channels.CompletionHandler<Void, Object>() {
            @Override
            public void completed(Void v, Object a) {
                slowDone.complete(null);
            }

            @Override
            public void failed(Throwable e, Object a) {
                slowDone.completeExceptionally(e);
            }
        });
        Thread slowClient = Thread.ofPlatform().daemon().start(() -> {
            try {
                slow.startHandshake();
            } catch (IOException ignored) {
                // the test's end closes it
            }
        });
        assertNotNull(keys.awaitWaiter(10), "the slow handshake never reached its key");

        // 8 MB of frames, then the renegotiation's ClientHello: its task waits behind the slow one.
        submitted.set(new CountDownLatch(1));
        byte[] payload = new byte[1_000];
        Arrays.fill(payload, (byte) 'r');
        byte[] frame = Frames.frame(payload);
        OutputStream out = renegotiating.getOutputStream();
        for (int i = 0; i < 8_000; i++) out.write(frame);
        out.flush();
        renegotiating.startHandshake();
        assertTrue(submitted.get().await(20, TimeUnit.SECONDS), "the server never got to the renegotiation's ClientHello");

        // Reading lets the queued replies' writes complete while the task cannot run.
        InputStream in = renegotiating.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        long received = 0;
        try {
            for (int n; (n = in.read(buffer)) > 0; ) received += n;
        } catch (SocketTimeoutException stalled) {
            // the server writes nothing more until the task has run: as it should
        } catch (IOException refused) {
            // refused early: fine too
        }
        assertEquals(null, died.get(), "a thread died while the task waited");
        keys.open();                                  // the task thread is free: the refusal goes ahead

        long deadline = System.currentTimeMillis() + 20_000;
        boolean ended = false;
        while (!ended && System.currentTimeMillis() < deadline) {
            try {
                int n = in.read(buffer);
                if (n < 0) ended = true;
                else received += n;
            } catch (SocketTimeoutException again) {
                // still waiting
            } catch (IOException refused) {
                ended = true;                         // handshake_failure: rule 21
            }
        }
        assertEquals(null, died.get(), "a thread died: " + died.get());
        assertTrue(ended, "the renegotiating connection was never closed (" + received + " bytes received)");
        assertEquals(connection, closed.get(10, TimeUnit.SECONDS), "the server never closed it");
        slowDone.get(10, TimeUnit.SECONDS);           // and the other handshake completed meanwhile
        slowClient.join(10_000);
    }
}
