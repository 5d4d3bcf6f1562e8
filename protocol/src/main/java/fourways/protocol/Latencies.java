package fourways.protocol;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * One of a load run's histograms (rule 18), safe for any number of recording threads; the cost
 * of a recording is one HdrHistogram increment, without an atomic for the busiest thread.
 *
 * <p>The first thread to record gets a recorder of its own, with no atomic counts (a single
 * writer's): a load client that drives every connection from one thread, as nio-selector's
 * does, then pays a fraction of the shared recorder's cost per reply, about 4% of the whole
 * client measured against a native echo server. Every other thread shares {@link #shared}.
 */
final class Latencies {
    /** Latencies up to an hour, to three significant digits: HdrHistogram's usual setting. */
    static final long HIGHEST_NANOS = TimeUnit.HOURS.toNanos(1);

    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private final SingleWriterRecorder ownerRecorder = new SingleWriterRecorder(HIGHEST_NANOS, 3);
    private final Recorder shared = new Recorder(HIGHEST_NANOS, 3);
    /** Every value taken from the recorders so far; guarded by {@code this}. */
    private final Histogram reported = new Histogram(HIGHEST_NANOS, 3);

    void record(long nanos) {
        long value = Math.min(Math.max(0, nanos), HIGHEST_NANOS);
        Thread me = Thread.currentThread();
        if (owner.get() == me || owner.compareAndSet(null, me)) {
            ownerRecorder.recordValue(value);
        } else {
            shared.recordValue(value);
        }
    }

    /**
     * Everything recorded so far. The recorders hand each value out once, so it is kept: a
     * second call sees the first call's values too.
     */
    synchronized Histogram snapshot() {
        reported.add(shared.getIntervalHistogram());
        reported.add(ownerRecorder.getIntervalHistogram());
        return reported.copy();
    }

    /** Whole microseconds at {@code percentile}, rounded; 0 for an empty histogram. */
    static long micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : (h.getValueAtPercentile(percentile) + 500) / 1000;
    }

    /** Microseconds with one decimal, for the client's own lateness, which is often under one. */
    static double tenthsOfMicros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : Math.round(h.getValueAtPercentile(percentile) / 100.0) / 10.0;
    }

    /**
     * Writes {@code h} in HdrHistogram's percentile distribution format, in microseconds, the
     * {@code .hgrm} file that HdrHistogram's plotter reads.
     */
    static void writeHgrm(Histogram h, Path file) throws IOException {
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
            h.outputPercentileDistribution(out, 5, 1000.0);
        }
    }
}
