package fourways.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Closing;
import fourways.testsuite.SlowKeys;
import fourways.testsuite.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 22, item 6: the delegated tasks' pool is bounded, refuses the oldest batch when full, and
 * skips the batch of a connection closed while it waited (the work of a full key exchange).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncTlsTasksTest {
    private static final TestPki PKI = TestPki.get();
    private final OwnThreads threads = new OwnThreads("tasks-test", true);
    private final List<SlowKeys> gates = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> sockets = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        gates.forEach(SlowKeys::open);
        for (AutoCloseable s : sockets) s.close();
        threads.endAll(5);
    }

    /** A full queue refuses its oldest batch, at once, and never the newcomer: nothing is thrown at the caller. */
    @Test
    void aFullQueueRefusesItsOldestBatch() throws Exception {
        ExecutorService pool = threads.tasks(1, 2);
        CountDownLatch release = new CountDownLatch(1), running = new CountDownLatch(1);
        pool.execute(() -> {
            running.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);   // holds the one task thread
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        List<String> refused = new CopyOnWriteArrayList<>(), ran = new CopyOnWriteArrayList<>();
        for (String name : List.of("first", "second", "third")) {
            pool.execute(new OldestRefused.Refusable() {
                @Override
                public void run() {
                    ran.add(name);
                }

                @Override
                public void refuse() {
                    refused.add(name);
                }
            });
        }
        assertEquals(List.of("first"), refused, "the oldest waiting batch is the one refused");
        release.countDown();
        long deadline = System.currentTimeMillis() + 10_000;
        while (ran.size() < 2 && System.currentTimeMillis() < deadline) java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        assertEquals(List.of("second", "third"), ran);
    }

    /** A connection closed while its ClientHello's batch waited (a deadline, a reset seen) costs no key exchange. */
    @Test
    void theBatchOfAConnectionClosedWhileItWaitedIsSkipped() throws Exception {
        AsynchronousChannelGroup group = threads.group(1);
        ExecutorService tasks = threads.tasks(1, Integer.MAX_VALUE);
        AsynchronousServerSocketChannel listener = AsynchronousServerSocketChannel.open(group)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        sockets.add(listener);
        SlowKeys holder = gated(), waiter = gated();
        CompletableFuture<Throwable> waiterFailed = new CompletableFuture<>();
        AsynchronousSocketChannel held = handshake(listener, holder, tasks, new CompletableFuture<>());
        assertNotNull(holder.awaitWaiter(10), "the first handshake never reached its key");
        AsynchronousSocketChannel closing = handshake(listener, waiter, tasks, waiterFailed);
        // Its ClientHello read and its batch queued behind the held one: now the connection goes.
        long deadline = System.currentTimeMillis() + 10_000;
        while (((java.util.concurrent.ThreadPoolExecutor) tasks).getQueue().isEmpty() && System.currentTimeMillis() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        assertEquals(1, ((java.util.concurrent.ThreadPoolExecutor) tasks).getQueue().size(), "the second batch never queued");
        closing.close();
        holder.open();
        assertNotNull(waiterFailed.get(10, TimeUnit.SECONDS), "the closed connection's handshake never failed");
        assertNull(waiter.awaitWaiter(2), "the closed connection's key exchange ran anyway");
        Closing.quietly(held);
    }

    private SlowKeys gated() throws Exception {
        SlowKeys keys = new SlowKeys();
        keys.arm();
        gates.add(keys);
        return keys;
    }

    /** A client that handshakes on a thread of its own; the server side an AsyncTls with {@code keys}. */
    private AsynchronousSocketChannel handshake(AsynchronousServerSocketChannel listener, SlowKeys keys, ExecutorService tasks,
                                                CompletableFuture<Throwable> failed) throws Exception {
        var accepted = listener.accept();
        SSLSocket client = (SSLSocket) PKI.client().context().getSocketFactory().createSocket();
        sockets.add(client);
        client.connect(listener.getLocalAddress(), 10_000);
        Thread.ofPlatform().daemon().start(() -> {
            try {
                client.startHandshake();
            } catch (java.io.IOException ignored) {
                // the test closes it
            }
        });
        AsynchronousSocketChannel channel = accepted.get(10, TimeUnit.SECONDS);
        sockets.add(channel);
        new AsyncTls(channel, keys.newEngine(), tasks, () -> {}).handshake(null, new CompletionHandler<Void, Object>() {
            @Override
            public void completed(Void v, Object a) {
                failed.complete(null);
            }

            @Override
            public void failed(Throwable e, Object a) {
                failed.complete(e);
            }
        });
        return channel;
    }
}
