package fourways.selector;

import java.io.IOException;
import java.nio.channels.Channel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;

/**
 * The selector model's delegated TLS tasks (NEED_TASK: signatures, certificate checks, the
 * work of a handshake message) on a pool, never on a loop's thread, where one slow signature
 * would stall every connection of the loop; the cost is a thread per core while handshakes run,
 * and none while they do not.
 *
 * <p>A server's pool is bounded, and skips the tasks of connections already closed: a flood of
 * ClientHello-then-reset would otherwise queue a full key exchange per dead connection, without
 * end, and a good client's handshake would wait behind all of them (rule 26).
 */
final class TlsTasks {
    /**
     * Tasks a server's pool holds waiting: as many as its listen backlog holds connections, so a
     * burst the kernel accepts is never refused here. Past it a new handshake is refused at once
     * (its connection closed): the loop that submits never waits for room.
     */
    static final int SERVER_QUEUE = 4_096;

    private TlsTasks() {}

    /**
     * The load client's: unbounded, since it holds at most one task per connection of its own
     * run, and refusing one would count a connection as failed for no fault of the server's.
     */
    static ExecutorService pool(String name) {
        return pool(name, new LinkedBlockingQueue<>());
    }

    /** A server's: at most {@code queued} tasks waiting; submitting more throws (see {@link #run}). */
    static ExecutorService pool(String name, int queued) {
        return pool(name, new ArrayBlockingQueue<>(queued));
    }

    /** Daemon threads, one per core (the tasks are CPU work), ended after a second idle, or by shutdownNow(). */
    private static ExecutorService pool(String name, BlockingQueue<Runnable> queue) {
        int n = Runtime.getRuntime().availableProcessors();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 1, TimeUnit.SECONDS, queue,
                Thread.ofPlatform().name(name, 0).daemon().factory());   // AbortPolicy: full throws, never blocks
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Runs {@code engine}'s delegated tasks on {@code executor}, then {@code resumeOnLoop}, which
     * posts the connection's next step back to its own loop (Reactor.execute). Meanwhile the
     * connection's key waits for nothing: the engine can do nothing until its tasks are done.
     * Once {@code owner} is closed (a reset, a deadline) the tasks left are not run: no key
     * exchange for a connection already gone, and nothing to resume.
     */
    // tag::tls-task[]
    static void run(SSLEngine engine, Channel owner, Executor executor, Runnable resumeOnLoop) throws IOException {
        try {
            executor.execute(() -> {
                for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                    if (!owner.isOpen()) return;      // closed while it waited: skip the key exchange
                    task.run();                       // one that fails leaves its SSLException for the next wrap
                }
                resumeOnLoop.run();
            });
        } catch (RejectedExecutionException e) {
            // Shut down (the server or the load run is closing) or full (a handshake flood):
            // either way this connection is refused now, and its loop carries on at once.
            throw new IOException("no room for the TLS handshake's tasks: refused", e);
        }
    }
    // end::tls-task[]
}
