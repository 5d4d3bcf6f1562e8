package fourways.async;

import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every thread a server or a client of this model starts: a channel group of its own (never the
 * JVM-wide default group, whose threads live as long as the JVM) and a timer, made by factories
 * that remember each thread, so that {@link #endAll} can join them. A pool's
 * {@code awaitTermination} alone returns while its last thread is still on its way out.
 *
 * <p>Threads: any thread may create threads through the factories (a pool replaces a thread
 * that died); {@link #endAll} is called once, by the owner's closing thread.
 */
final class OwnThreads {
    private final String name;
    private final boolean daemon;
    private final Queue<Thread> started = new ConcurrentLinkedQueue<>();
    private AsynchronousChannelGroup group;
    private ScheduledThreadPoolExecutor timer;
    private ExecutorService tasks;

    /** @param daemon true for a client's threads, which must never keep a JVM alive */
    OwnThreads(String name, boolean daemon) {
        this.name = name;
        this.daemon = daemon;
    }

    /**
     * A fixed pool: its threads both wait on epoll and run the handlers. A handler that blocks
     * takes one of only {@code threads} away from every connection, so no handler may block.
     */
    // tag::group[]
    AsynchronousChannelGroup group(int threads) throws IOException {
        group = AsynchronousChannelGroup.withFixedThreadPool(threads, remembering(name + "-", true));
        return group;
    }
    // end::group[]

    /** One thread for deadlines, started at the first one scheduled. */
    ScheduledThreadPoolExecutor timer() {
        timer = new ScheduledThreadPoolExecutor(1, remembering(name + "-timer", false));
        timer.setRemoveOnCancelPolicy(true);          // 10,000 cancelled deadlines must not linger
        return timer;
    }

    /**
     * Where the SSLEngines' delegated tasks run (key agreement, signatures, certificate checks):
     * never on the group's threads, this model's event loop, where one slow task would stall
     * every connection. A fixed pool, started whole now, so that no thread appears mid-run.
     * A connection queues one batch at a time; a server's queue holds at most {@code queued},
     * and when full refuses the oldest ({@link OldestRefused}): a flood of ClientHellos costs its
     * own connections, never the server, and a good client waits behind {@code queued} at most.
     *
     * @param queued the most batches waiting; {@link Integer#MAX_VALUE} for a client, whose
     *     queue holds its own connections' batches only
     */
    // tag::tls-tasks[]
    ExecutorService tasks(int threads, int queued) {
        BlockingQueue<Runnable> queue = queued == Integer.MAX_VALUE ? new LinkedBlockingQueue<>() : new OldestRefused(queued);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, queue,
                remembering(name + "-tls-", true), new ThreadPoolExecutor.AbortPolicy());
        pool.prestartAllCoreThreads();
        tasks = pool;
        return tasks;
    }
    // end::tls-tasks[]

    private ThreadFactory remembering(String prefix, boolean numbered) {
        Thread.Builder.OfPlatform builder = numbered ? Thread.ofPlatform().name(prefix, 0) : Thread.ofPlatform().name(prefix);
        ThreadFactory factory = builder.daemon(daemon).factory();
        return task -> {
            Thread t = factory.newThread(task);
            started.add(t);
            return t;
        };
    }

    /**
     * Closes every channel of the group, stops the timer (its pending deadlines are dropped, not
     * run), and returns once every thread has ended or {@code seconds} have passed. Must not be
     * called from one of these threads, which would wait for itself.
     */
    void endAll(long seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        if (group != null) {
            try {
                group.shutdownNow();                  // closes each channel; pending handlers fail
            } catch (IOException ignored) {
                // It only closes channels; they are gone either way.
            }
        }
        if (timer != null) timer.shutdownNow();
        if (tasks != null) tasks.shutdownNow();      // a handshake half done is cut: its channel is closed
        boolean interrupted = false;
        for (Thread t : started) {
            long left = deadline - System.nanoTime();
            if (left <= 0) break;
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;                   // every thread is told to end; stop waiting
                break;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
