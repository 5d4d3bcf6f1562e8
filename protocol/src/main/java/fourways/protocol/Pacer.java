package fourways.protocol;

import java.util.concurrent.locks.LockSupport;

/**
 * Rule 19's clock hand: how a load client waits for a frame's due time to within microseconds;
 * the cost is a core spinning through the last {@link #SPIN_NANOS} before each due time.
 *
 * <p>Why not just sleep until the frame is due: every sleep on Linux wakes late. A parked thread
 * wakes 50 us or more after its time (the kernel's timer slack, then the scheduler), and a
 * {@code Selector.select(timeout)} counts in whole milliseconds. A load client that sleeps sends
 * its frames that late, and since latency is measured from the due time (rule 19), its own
 * lateness lands in every server's latency: a p50 of 600 us where the server answered in 20.
 * So the waits here sleep until {@link #SPIN_NANOS} before the due time and spin the rest, as
 * the native load client of the yardsticks does; the lateness that remains is measured and
 * reported beside the latencies ({@code late_p50_us}, {@code late_p99_us} in rule 18's line).
 */
public final class Pacer {
    /** The last stretch before a due time is spun, not slept: longer than a late wake-up. */
    public static final long SPIN_NANOS = 200_000;
    private static final long MILLI = 1_000_000;

    private Pacer() {}

    /**
     * How long a {@code Selector.select(millis)} may wait when the next frame is due in
     * {@code nanosUntilDue}: whole milliseconds that still end before the spin, or 0, which
     * means "do not sleep: {@code selectNow()} and come back" (the spin).
     */
    public static long selectMillis(long nanosUntilDue) {
        return Math.max(0, (nanosUntilDue - SPIN_NANOS) / MILLI);
    }

    /** How early a timer should fire for a frame due in {@code nanosUntilDue}, to spin the rest with {@link #awaitDue}. */
    public static long timerNanos(long nanosUntilDue) {
        return Math.max(0, nanosUntilDue - SPIN_NANOS);
    }

    /**
     * Blocks the calling thread until {@code dueNanos}: parked until the spin, then spinning.
     * Returns at {@code deadlineNanos} at the latest, or at once if interrupted.
     */
    // tag::await-due[]
    public static void awaitDue(long dueNanos, long deadlineNanos) {
        long end = dueNanos - deadlineNanos < 0 ? dueNanos : deadlineNanos;
        for (long left; (left = end - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted(); ) {
            if (left > SPIN_NANOS) {
                LockSupport.parkNanos(left - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }
    // end::await-due[]
}
