package fourways.bench.side;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Samples a process every 50 ms through OSHI (Linux, macOS, Windows alike): its thread count
 * and resident memory, keeping the peaks, and its CPU time, kept as a series so that the CPU
 * spent in any window of the run can be read off afterwards. Where a figure cannot be had, it
 * stays unknown and the results say "n/a", never 0. Costs one platform thread while it runs.
 *
 * <p>Threads: the sampling thread writes the fields; others read them (volatile, and the CPU
 * series under this object's lock).
 */
public final class ProcessSampler implements AutoCloseable {
    private static final long PERIOD_MILLIS = 50;

    /** One look at a process: threads, resident KiB, CPU milliseconds (user + system) so far. */
    public record Reading(int threads, long rssKib, long cpuMillis) {}

    /** How a process is read: the seam where a platform that cannot tell gives nothing. */
    @FunctionalInterface
    public interface Probe {
        /** The process now; null once it is gone, or where nothing can be read of it. */
        Reading read();
    }

    /** A platform OSHI cannot read: every figure "n/a". */
    public static final Probe UNAVAILABLE = () -> null;

    private final Probe probe;
    private final Thread thread;
    /** When each CPU sample was taken (System.nanoTime) and the process's CPU milliseconds then. */
    private long[][] cpu = {new long[1024], new long[1024]};
    private int cpuSamples;
    private volatile boolean stopped;
    private volatile int threads;
    private volatile int peakThreads;
    private volatile long rssKib;
    private volatile long peakRssKib;
    private volatile long firstRssKib;

    public ProcessSampler(long pid) {
        this(Oshi.supported() ? Oshi.probe(pid) : UNAVAILABLE, "sampler-" + pid);
    }

    /** A sampler of whatever {@code probe} reads: the test seam. */
    public ProcessSampler(Probe probe, String name) {
        this.probe = probe;
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
    }

    /** True where OSHI can read processes on this platform. */
    public static boolean supported() {
        return Oshi.supported();
    }

    private void loop() {
        while (!stopped && sample()) {
            try {
                TimeUnit.MILLISECONDS.sleep(PERIOD_MILLIS);   // the sampling period, not a wait for an event
            } catch (InterruptedException e) {
                return;                                       // close() interrupts us
            }
        }
    }

    /** One sample; false once the process is gone (or cannot be read): the last figures stay. */
    private boolean sample() {
        Reading r = probe.read();
        if (r == null) return false;
        addCpu(System.nanoTime(), r.cpuMillis());
        threads = r.threads();
        peakThreads = Math.max(peakThreads, r.threads());
        rssKib = r.rssKib();
        if (firstRssKib == 0) firstRssKib = r.rssKib();
        peakRssKib = Math.max(peakRssKib, r.rssKib());
        return true;
    }

    private synchronized void addCpu(long nanos, long millis) {
        if (cpuSamples == cpu[0].length) {
            cpu = new long[][] {Arrays.copyOf(cpu[0], cpuSamples * 2), Arrays.copyOf(cpu[1], cpuSamples * 2)};
        }
        cpu[0][cpuSamples] = nanos;
        cpu[1][cpuSamples] = millis;
        cpuSamples++;
    }

    /**
     * CPU seconds the process spent between two moments of this JVM's clock, read off the
     * samples (linear between two of them); NaN when the samples do not reach the window.
     */
    public synchronized double cpuSeconds(long fromNanos, long toNanos) {
        double from = millisAt(fromNanos);
        double to = millisAt(toNanos);
        return Double.isNaN(from) || Double.isNaN(to) ? Double.NaN : (to - from) / 1000;
    }

    private double millisAt(long nanos) {
        if (cpuSamples == 0 || nanos - cpu[0][0] < 0) return Double.NaN;
        for (int i = 1; i < cpuSamples; i++) {
            if (cpu[0][i] - nanos >= 0) {
                double f = (double) (nanos - cpu[0][i - 1]) / (cpu[0][i] - cpu[0][i - 1]);
                return cpu[1][i - 1] + f * (cpu[1][i] - cpu[1][i - 1]);
            }
        }
        return cpu[1][cpuSamples - 1];                // after the last sample: nothing more was seen
    }

    /** Threads at the last sample; 0 when unknown. */
    public int threads() {
        return threads;
    }

    public int peakThreads() {
        return peakThreads;
    }

    /** Resident KiB at the last sample; 0 when unknown. */
    public long rssKib() {
        return rssKib;
    }

    public long peakRssKib() {
        return peakRssKib;
    }

    /** The resident memory at the first sample, taken as the sampler starts. */
    public long firstRssKib() {
        return firstRssKib;
    }

    /** Takes a last sample (if the process still runs) and stops. */
    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
    }

    /** OSHI, started once: finding the platform's implementation loads JNA, which takes a moment. */
    private static final class Oshi {
        private static final OperatingSystem OS = load();
        /** Whether OSHI can read this very process: a fact of the platform, found out once. */
        private static final boolean SUPPORTED = OS != null && OS.getProcess(OS.getProcessId()) != null;

        private static OperatingSystem load() {
            try {
                return new SystemInfo().getOperatingSystem();
            } catch (RuntimeException | LinkageError e) {
                return null;                          // not a platform OSHI knows: n/a everywhere
            }
        }

        static boolean supported() {
            return SUPPORTED;
        }

        static Probe probe(long pid) {
            OSProcess process = OS.getProcess((int) pid);
            if (process == null) return UNAVAILABLE;
            return () -> process.updateAttributes()
                    ? new Reading(process.getThreadCount(), process.getResidentSetSize() / 1024,
                            process.getUserTime() + process.getKernelTime())
                    : null;
        }
    }
}
