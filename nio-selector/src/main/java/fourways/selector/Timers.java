package fourways.selector;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * A reactor's timers (rule 7's linger, rule 13's sweep, rule 25's handshake deadline, the
 * accept pause): a heap of deadlines that the loop runs between two selects and turns into the
 * select's timeout; the cost is O(log n) per timer, and no thread.
 *
 * <p>Threads: the reactor's loop thread only.
 */
final class Timers {
    private record Timer(long at, Runnable task) {}

    // Deadlines compared by difference, as System.nanoTime() requires: its values may wrap.
    private final PriorityQueue<Timer> heap = new PriorityQueue<>(
            Comparator.comparing(Timer::at, (a, b) -> Long.signum(a - b)));

    /** {@code task} runs on the loop at {@code atNanos} or soon after. */
    void add(long atNanos, Runnable task) {
        heap.add(new Timer(atNanos, task));
    }

    /**
     * {@code task} at {@code atNanos}, unless cancelled first. A cancelled timer stays in the
     * heap until it is due, but holds nothing: cancel() drops the task, and with it whatever the
     * task would have kept reachable (a connection already closed). Removing it from the heap
     * instead would cost O(n) per cancel.
     */
    Cancellable addCancellable(long atNanos, Runnable task) {
        Cancellable timer = new Cancellable(task);
        add(atNanos, timer);
        return timer;
    }

    /** A timer that may be called off: the loop thread's only, as the heap is. */
    static final class Cancellable implements Runnable {
        private Runnable task;

        private Cancellable(Runnable task) {
            this.task = task;
        }

        void cancel() {
            task = null;
        }

        @Override
        public void run() {
            Runnable t = task;
            task = null;
            if (t != null) t.run();
        }
    }

    /**
     * Runs every timer that is due at {@code now}.
     *
     * @return nanoseconds until the next timer, or -1 when there is none (select may sleep
     *     until a socket or a wakeup() needs it)
     */
    // tag::run-due[]
    long runDue(long now) {
        Timer next;
        while ((next = heap.peek()) != null && next.at() - now <= 0) {
            heap.poll();
            next.task().run();
        }
        return next == null ? -1 : next.at() - now;
    }
    // end::run-due[]
}
