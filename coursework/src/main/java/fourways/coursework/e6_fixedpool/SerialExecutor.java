package fourways.coursework.e6_fixedpool;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one connection's tasks one at a time, in the order given, on a pool shared by all
 * connections: the connection's code reads as if it had a thread of its own, as on a selector
 * loop, while a few threads serve everyone in turn; the cost is a queue and a counter per
 * connection.
 *
 * <p>Threads: any thread may {@link #execute}; the tasks run on the pool, never two at once, and
 * each sees everything the one before it did (the queue and the counter order them).
 */
public final class SerialExecutor implements Executor {
    /** Tasks run per turn on a worker: one busy connection cannot keep a worker from the others. */
    private static final int TASKS_PER_TURN = 64;

    private final Executor pool;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Tasks added and not yet run. Whoever takes it from 0 to 1 hands a turn to the pool. */
    private final AtomicInteger pending = new AtomicInteger();

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    // tag::serial[]
    /**
     * Queues {@code task} after those already given.
     *
     * @throws java.util.concurrent.RejectedExecutionException when the pool is shut down and
     *     this connection has no turn under way; the task is then never run
     */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);                              // before the count: a turn that sees the count finds the task
        if (pending.getAndIncrement() == 0) pool.execute(this::turn);
    }

    private void turn() {
        for (int ran = 1; ; ran++) {
            Runnable task = tasks.poll();             // never null: each count above follows its add
            try {
                task.run();
            } catch (RuntimeException e) {
                // A bug in one task must not stop this connection's later ones, its close among them.
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
            if (pending.decrementAndGet() == 0) return;   // the next execute() starts a new turn
            if (ran == TASKS_PER_TURN) {
                pool.execute(this::turn);             // still ours (pending > 0): to the back of the line
                return;
            }
        }
    }
    // end::serial[]
}
