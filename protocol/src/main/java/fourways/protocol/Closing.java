package fourways.protocol;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** The two things every model's close path does (rule 14), written once. */
public final class Closing {
    private Closing() {}

    /**
     * Closes and forgets: on a failure path the socket is finished with, and an exception from
     * its close has nobody left to tell.
     */
    public static void quietly(Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // Closing was the last thing to do with it.
        }
    }

    /**
     * Waits for a thread to end even if interrupted meanwhile, then restores the interrupt:
     * a close() that gave up half-way would leak the very threads it exists to end.
     */
    public static void join(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * Rule 14 wants the process gone within 5 s of a signal: a server's close() waits this long
     * in all for its threads, whatever one of them is stuck on (a stdout nobody reads, say).
     */
    public static final long CLOSE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(3);

    /** The moment a close() that starts now stops waiting for threads. */
    public static long closeDeadline() {
        return System.nanoTime() + CLOSE_WAIT_NANOS;
    }

    /**
     * {@link #join(Thread)} with a deadline ({@link System#nanoTime} value): a server's close()
     * must not hang on one stuck thread. Returns whether the thread has ended.
     */
    public static boolean join(Thread t, long deadlineNanos) {
        boolean interrupted = false;
        while (t.isAlive()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) break;
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        return !t.isAlive();
    }
}
