package fourways.protocol;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * One load run's shared bookkeeping (rules 17 to 19): the plan, the clock, the latency
 * histogram, the counts, and the {@code RESULT} line. A model's load client creates one
 * {@link LoadConnection} per connection with {@link #connection(int)} and moves bytes;
 * everything it counts lands here. Safe for any number of threads.
 */
public final class LoadRun {
    private static final int ERRORS_KEPT = 5;

    private final LoadPlan plan;
    private final Payloads payloads;
    private final long deadlineNanos;
    /** Rule 18's latencies: from when each frame was due in an open loop (rule 19), else from when it left. */
    private final Latencies latencies = new Latencies();
    /** Open loop only: how late each frame left after its due time, the client's own resolution. */
    private final Latencies lateness = new Latencies();
    /**
     * Open loop only: the same replies measured from when each frame actually left, as a closed
     * loop measures. Beside {@link #latencies} it shows what coordinated omission hides.
     */
    private final Latencies fromSend = new Latencies();
    /**
     * Open loop, a client whose one loop drives every connection: how long that loop waited in
     * the measured window (spinning toward a due time, or asleep in a select), rather than
     * working. Negative until such a client reports: others have no one loop to speak of.
     */
    private final AtomicLong waitedNanos = new AtomicLong(-1);
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
        latencies.record(latencyNanos);
    }

    /** Open loop: how late a frame left, and its reply's latency counted from then (rule 19). */
    void openLoop(long lateNanos, long fromSendNanos) {
        lateness.record(lateNanos);
        fromSend.record(fromSendNanos);
    }

    /**
     * Rule 19's busy share: the client's one loop spent {@code nanos} waiting, not working.
     * Waits before the clock starts are not the measured window's and are left out.
     */
    public void waited(long nanos) {
        waitedNanos.compareAndSet(-1, 0);
        if (startNanos != 0) waitedNanos.addAndGet(nanos);
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
     * Rule 18's line, exactly; in an open loop it ends with the client's own lateness, as the
     * yardsticks' native client's does, and, from a client with one loop, its busy share. Call
     * when the run is over. Connections that never finished count one error each here, so a run cut short by its deadline can never look
     * clean. Calling it again gives the same line (or a later one), not an empty histogram.
     */
    public String resultLine() {
        long cut = plan.connections() - finished.get();
        long errorCount = errors.sum() + Math.max(0, cut);
        long n = verified.sum();
        long end = endNanos.get() != 0 ? endNanos.get() : System.nanoTime();
        double seconds = startNanos == 0 ? 0 : Math.max(0, end - startNanos) / 1e9;
        Histogram h = latencies.snapshot();
        String line = String.format(Locale.ROOT,
                "RESULT connections=%d messages=%d seconds=%.3f msgs_per_sec=%.3f p50_us=%d p90_us=%d"
                        + " p99_us=%d p999_us=%d max_us=%d errors=%d",
                plan.connections(), n, seconds, seconds > 0 ? n / seconds : 0.0,
                Latencies.micros(h, 50), Latencies.micros(h, 90), Latencies.micros(h, 99), Latencies.micros(h, 99.9),
                (h.getTotalCount() == 0 ? 0 : (h.getMaxValue() + 500) / 1000), errorCount);
        if (!plan.openLoop()) return line;
        Histogram late = lateness.snapshot();
        line += String.format(Locale.ROOT, " late_p50_us=%.1f late_p99_us=%.1f",
                Latencies.tenthsOfMicros(late, 50), Latencies.tenthsOfMicros(late, 99));
        long waited = waitedNanos.get();
        if (waited < 0 || seconds <= 0) return line;
        double busy = Math.min(1, Math.max(0, 1 - waited / 1e9 / seconds));
        return line + String.format(Locale.ROOT, " busy=%.2f", busy);
    }

    /**
     * The run's histograms as {@code .hgrm} files (HdrHistogram's percentile distribution, in
     * microseconds): {@code PREFIX.hgrm} for rule 18's latencies; in an open loop also
     * {@code PREFIX.from-send.hgrm} (the same replies timed from when they left) and
     * {@code PREFIX.late.hgrm} (how late they left). Returns the files written.
     */
    public List<Path> writeHistograms(String prefix) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(Path.of(prefix + ".hgrm"));
        Latencies.writeHgrm(latencies.snapshot(), files.getLast());
        if (plan.openLoop()) {
            files.add(Path.of(prefix + ".from-send.hgrm"));
            Latencies.writeHgrm(fromSend.snapshot(), files.getLast());
            files.add(Path.of(prefix + ".late.hgrm"));
            Latencies.writeHgrm(lateness.snapshot(), files.getLast());
        }
        return files;
    }
}
