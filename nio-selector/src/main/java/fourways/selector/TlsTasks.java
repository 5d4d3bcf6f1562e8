package fourways.selector;

import java.io.IOException;
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
 */
final class TlsTasks {
    private TlsTasks() {}

    /** Daemon threads, one per core (the tasks are CPU work), ended after a second idle, or by shutdownNow(). */
    static ExecutorService pool(String name) {
        int n = Runtime.getRuntime().availableProcessors();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name(name, 0).daemon().factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Runs {@code engine}'s delegated tasks on {@code executor}, then {@code resumeOnLoop}, which
     * posts the connection's next step back to its own loop (Reactor.execute). Meanwhile the
     * connection's key waits for nothing: the engine can do nothing until its tasks are done.
     */
    // tag::tls-task[]
    static void run(SSLEngine engine, Executor executor, Runnable resumeOnLoop) throws IOException {
        try {
            executor.execute(() -> {
                for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                    task.run();                       // one that fails leaves its SSLException for the next wrap
                }
                resumeOnLoop.run();
            });
        } catch (RejectedExecutionException e) {
            // The pool is shut down: the server or the load run is closing, and this connection with it.
            throw new IOException("closing: no thread left for the TLS handshake", e);
        }
    }
    // end::tls-task[]
}
