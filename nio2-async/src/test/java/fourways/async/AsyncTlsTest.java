package fourways.async;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Closing;
import fourways.testsuite.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.security.cert.X509Certificate;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine driver where the shared suite cannot reach: reads that end inside a record, records
 * bigger than the plaintext buffer (BUFFER_OVERFLOW), delegated tasks off the group's threads.
 * Two {@link AsyncTls} on loopback, real records, every wait bounded.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AsyncTlsTest {
    private static final TestPki PKI = TestPki.get();
    private final OwnThreads threads = new OwnThreads("tls-test", true);
    private AsynchronousChannelGroup group;
    private ExecutorService tasks;
    private AsynchronousServerSocketChannel listener;
    private AsynchronousSocketChannel serverSide, clientSide;
    private AsyncTls server, client;

    @BeforeEach
    void connect() throws Exception {
        group = threads.group(1);
        tasks = threads.tasks(1, Integer.MAX_VALUE);
        listener = AsynchronousServerSocketChannel.open(group).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Future<AsynchronousSocketChannel> accepted = listener.accept();
        clientSide = AsynchronousSocketChannel.open(group);
        clientSide.connect(listener.getLocalAddress()).get(10, TimeUnit.SECONDS);
        serverSide = accepted.get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() {
        Closing.quietly(clientSide);
        Closing.quietly(serverSide);
        Closing.quietly(listener);
        threads.endAll(5);
    }

    /** Both handshakes, each driven by its own AsyncTls, to the end; the suite's client engine unless given. */
    private void handshake(SSLEngine clientEngine) throws Exception {
        if (clientEngine == null) clientEngine = PKI.client().newEngine((InetSocketAddress) listener.getLocalAddress());
        server = new AsyncTls(serverSide, PKI.server().newEngine(), tasks, () -> {});
        client = new AsyncTls(clientSide, clientEngine, tasks, () -> {});
        CompletableFuture<Void> serverDone = new CompletableFuture<>(), clientDone = new CompletableFuture<>();
        server.handshake(serverDone, done());
        client.handshake(clientDone, done());
        clientDone.get(10, TimeUnit.SECONDS);
        serverDone.get(10, TimeUnit.SECONDS);
    }

    /**
     * A 10,000-byte record cannot arrive through the first 4 KiB read: that read ends inside it,
     * BUFFER_UNDERFLOW, and the bytes held must stay while more are read behind them.
     */
    @Test
    void aReadThatEndsInsideARecordKeepsItsBytesAndReadsMore() throws Exception {
        handshake(null);
        byte[] sent = random(10_000);                 // one record: TLS carries up to 16 KiB in one
        CompletableFuture<Void> written = sendAll(client, sent);
        assertArrayEquals(sent, receive(server, sent.length, 10_000));
        written.get(10, TimeUnit.SECONDS);
    }

    /**
     * Records of 16 KiB of plaintext into a 4 KiB plaintext buffer: BUFFER_OVERFLOW, which must
     * make room, never fail; read 100 bytes at a time, so plaintext also waits between reads.
     */
    @Test
    void recordsBiggerThanThePlaintextBufferMakeRoomAndArriveWhole() throws Exception {
        handshake(null);
        byte[] sent = random(100_000);                // several full records, some in one read
        CompletableFuture<Void> written = sendAll(client, sent);
        assertArrayEquals(sent, receive(server, sent.length, 100));
        written.get(10, TimeUnit.SECONDS);
    }

    /**
     * The client's certificate check is the heaviest delegated task: it must run on the tasks
     * executor, never on the channel group's thread, this model's event loop.
     */
    @Test
    void delegatedTasksNeverRunOnAGroupThread() throws Exception {
        AtomicReference<Thread> checkedOn = new AtomicReference<>();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new Recording(checkedOn)}, null);
        InetSocketAddress address = (InetSocketAddress) listener.getLocalAddress();
        SSLEngine engine = context.createSSLEngine(address.getHostString(), address.getPort());
        engine.setUseClientMode(true);
        handshake(engine);
        Thread t = checkedOn.get();
        assertNotNull(t, "the server's certificate was checked");
        assertTrue(t.getName().startsWith("tls-test-tls-"), "on the tasks executor, not the group's tls-test-N: " + t.getName());
        byte[] sent = random(10);                     // and the connection works after it
        sendAll(client, sent).get(10, TimeUnit.SECONDS);
        assertArrayEquals(sent, receive(server, sent.length, 100));
    }

    /** Rule 24 at the driver: close_notify then FIN reads as end of input, after every byte. */
    @Test
    void closeNotifyIsEndOfInputAfterEveryByte() throws Exception {
        handshake(null);
        byte[] sent = random(5_000);
        sendAll(client, sent).get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        client.closeOutput(() -> closed.complete(null), () -> closed.completeExceptionally(new AssertionError("close failed")));
        closed.get(10, TimeUnit.SECONDS);
        assertArrayEquals(sent, receive(server, sent.length, 4_096));
        CompletableFuture<Integer> end = new CompletableFuture<>();
        server.read(ByteBuffer.allocate(100), end, done());
        assertEquals(-1, end.get(10, TimeUnit.SECONDS));
    }

    private static CompletableFuture<Void> sendAll(AsyncTls tls, byte[] bytes) {
        return CompletableFuture.runAsync(() -> {
            ByteBuffer[] src = {ByteBuffer.wrap(bytes)};
            for (int i = 0; i < 1_000 && src[0].hasRemaining(); i++) {   // a record's worth per write
                CompletableFuture<Long> w = new CompletableFuture<>();
                tls.write(src, w, done());
                w.join();
            }
        });
    }

    /** Exactly {@code n} bytes, read {@code chunk} at a time; bounded in reads and in time. */
    private static byte[] receive(AsyncTls tls, int n, int chunk) throws Exception {
        ByteBuffer all = ByteBuffer.allocate(n);
        for (int reads = 0; all.hasRemaining() && reads < 100_000; reads++) {
            ByteBuffer dst = ByteBuffer.allocate(Math.min(chunk, all.remaining()));
            CompletableFuture<Integer> r = new CompletableFuture<>();
            tls.read(dst, r, done());
            int got = r.get(10, TimeUnit.SECONDS);
            assertTrue(got > 0 && got == dst.position(), "a read gives what it says: " + got);
            all.put(dst.flip());
        }
        return all.array();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static <V> CompletionHandler<V, CompletableFuture<V>> done() {
        return new CompletionHandler<>() {
            @Override
            public void completed(V v, CompletableFuture<V> f) {
                f.complete(v);
            }

            @Override
            public void failed(Throwable e, CompletableFuture<V> f) {
                f.completeExceptionally(e);
            }
        };
    }

    /** Trusts any server, and notes the thread the check ran on (the JDK adds its own checks around it). */
    private record Recording(AtomicReference<Thread> on) implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            on.set(Thread.currentThread());
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
