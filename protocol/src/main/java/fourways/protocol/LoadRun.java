package fourways.protocol;

import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One load run's shared bookkeeping (rules 17 to 19): the plan, the clock, the latency
 * histogram, the counts, and the {@code RESULT} line. A model's load client creates one
 * {@link LoadConnection} per connection with {@link #connection(int)} and moves bytes;
 * everything it counts lands here. Safe for any number of threads.
 */
public final class LoadRun {
    /** Latencies up to an hour, to three significant digits: HdrHistogram's usual setting. */
    private static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final int ERRORS_KEPT = 5;

    private final LoadPlan plan;
    private final Payloads payloads;
    private final long deadlineNanos;
    private final Recorder latencies = new Recorder(HIGHEST_NANOS, 3);
    /**
     * The first thread to record a latency gets a recorder of its own, with no atomic counts
     * (a single writer's): a load client that drives every connection from one thread, as
     * nio-selector's does, then pays a fraction of the shared recorder's cost per reply, about
     * 4% of the whole client measured against a native echo server. Every other thread shares
     * {@link #latencies}; {@link #resultLine} merges both.
     */
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private final SingleWriterRecorder ownerLatencies = new SingleWriterRecorder(HIGHEST_NANOS, 3);
    /** Every latency taken from the recorders so far; guarded by {@code this}. */
    private final Histogram reported = new Histogram(HIGHEST_NANOS, 3);
    private final LongAdder verified = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicInteger finished = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
    private volatile long startNanos;
    /** The latest reply's time, not the last written: threads finish their replies in any order. */
    private final AtomicLong endNanos = new AtomicLong();

    public LoadRun(LoadPlan plan) {
        this.plan = plan;
        this.payloads = new Payloads(plan.size());
        this.deadlineNanos = System.nanoTime() + plan.timeout().toNanos();
    }

    public LoadPlan plan() {
        return plan;
    }

    /** What every connection sends and expects back, built once for the run. */
    Payloads payloads() {
        return payloads;
    }

    /** The state of connection {@code id}, 0-based. */
    public LoadConnection connection(int id) {
        return new LoadConnection(this, id);
    }

    /** Rule 18: the clock starts once every connection is open. Call once. */
    public void allConnected() {
        startNanos = System.nanoTime();
    }

    /** The moment the clock started; open-loop schedules count from it (rule 19). */
    public long startNanos() {
        return startNanos;
    }

    /** The run's end, however far it got (rule 17's {@code --timeout}). */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    public boolean pastDeadline() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    /** Milliseconds to the deadline, at least 1: for a socket timeout or a select. */
    public long millisToDeadline() {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /**
     * A connection that could not open, or broke, and whose {@link LoadConnection} will not be
     * used: one error (rule 18), and it is finished, so that it is not counted again as cut
     * short and {@link #allFinished()} does not wait for it.
     */
    public void connectionFailed(int id, Throwable cause) {
        error("connection " + id + ": " + cause);
        finished();
    }

    void error(String what) {
        errors.increment();
        if (firstErrors.size() < ERRORS_KEPT) {
            firstErrors.add(what);
        }
    }

    /** One verified reply's latency (rule 18's histogram). */
    void latency(long latencyNanos) {
        long value = Math.min(Math.max(0, latencyNanos), HIGHEST_NANOS);
        Thread me = Thread.currentThread();
        if (owner.get() == me || owner.compareAndSet(null, me)) {
            ownerLatencies.recordValue(value);
        } else {
            latencies.recordValue(value);
        }
    }

    /** {@code count} replies verified at {@code nowNanos}: counted once per read, not once per reply. */
    void verified(int count, long nowNanos) {
        verified.add(count);
        endNanos.accumulateAndGet(nowNanos, (end, now) -> end == 0 || now - end > 0 ? now : end);
    }

    void finished() {
        finished.incrementAndGet();
    }

    /** True once every connection has finished, well or badly. */
    public boolean allFinished() {
        return finished.get() >= plan.connections();
    }

    /** A few of the errors, for a human to read on standard error. */
    public Iterable<String> firstErrors() {
        return firstErrors;
    }

    /** Rule 18: the run succeeded only if every reply came back, verified. */
    public boolean succeeded() {
        return errors.sum() == 0 && verified.sum() == (long) plan.connections() * plan.messages();
    }

    /**
     * Rule 18's line, exactly. Call when the run is over. Connections that never finished
     * count one error each here, so a run cut short by its deadline can never look clean.
     * Calling it again gives the same line (or a later one), not an empty histogram.
     */
    public synchronized String resultLine() {
        long cut = plan.connections() - finished.get();
        long errorCount = errors.sum() + Math.max(0, cut);
        long n = verified.sum();
        long end = endNanos.get() != 0 ? endNanos.get() : System.nanoTime();
        double seconds = startNanos == 0 ? 0 : Math.max(0, end - startNanos) / 1e9;
        // The recorder hands each latency out once: keep them, so a second call sees them too.
        reported.add(latencies.getIntervalHistogram());
        reported.add(ownerLatencies.getIntervalHistogram());
        Histogram h = reported;
        return String.format(Locale.ROOT,
                "RESULT connections=%d messages=%d seconds=%.3f msgs_per_sec=%.3f p50_us=%d p90_us=%d"
                        + " p99_us=%d p999_us=%d max_us=%d errors=%d",
                plan.connections(), n, seconds, seconds > 0 ? n / seconds : 0.0,
                micros(h, 50), micros(h, 90), micros(h, 99), micros(h, 99.9),
                (h.getTotalCount() == 0 ? 0 : (h.getMaxValue() + 500) / 1000), errorCount);
    }

    private static long micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : (h.getValueAtPercentile(percentile) + 500) / 1000;
    }
}
