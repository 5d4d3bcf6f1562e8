package fourways.bench.side;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Samples a process's {@code /proc/PID/status} and {@code /proc/PID/stat} every 50 ms (Linux
 * only): its thread count and resident memory, keeping the peaks, and its CPU time, kept as a
 * series so that the CPU spent in any window of the run can be read off afterwards. Costs one
 * platform thread while it runs.
 *
 * <p>Threads: the sampling thread writes the fields; others read them (volatile, and the CPU
 * series under its own lock).
 */
public final class ProcSampler implements AutoCloseable {
    private static final long PERIOD_MILLIS = 50;
    /** /proc counts CPU time in clock ticks: USER_HZ, 100 on every Linux the JDK runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final Path status;
    private final Path stat;
    /** When each CPU sample was taken (System.nanoTime) and the process's CPU ticks then. */
    private final long[][] cpu = {new long[1024], new long[1024]};
    private int cpuSamples;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile int threads;
    private volatile int peakThreads;
    private volatile long rssKib;
    private volatile long peakRssKib;
    private volatile long hwmKib;
    private volatile long firstRssKib;

    public ProcSampler(long pid) {
        this.status = Path.of("/proc", String.valueOf(pid), "status");
        this.stat = Path.of("/proc", String.valueOf(pid), "stat");
        this.thread = Thread.ofPlatform().daemon().name("proc-sampler-" + pid).start(this::loop);
    }

    /** True where /proc exists (Linux); elsewhere every figure stays 0. */
    public static boolean supported() {
        return Files.isReadable(Path.of("/proc/self/status"));
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

    /** One sample; false once the process is gone. */
    private boolean sample() {
        List<String> lines;
        String ticks;
        try {
            ticks = Files.readString(stat);
            lines = Files.readAllLines(status);
        } catch (IOException e) {
            return false;                             // the process exited: keep the last figures
        }
        addCpu(System.nanoTime(), cpuTicks(ticks));
        for (String line : lines) {
            if (line.startsWith("Threads:")) {
                threads = (int) number(line);
                peakThreads = Math.max(peakThreads, threads);
            } else if (line.startsWith("VmRSS:")) {
                rssKib = number(line);
                if (firstRssKib == 0) firstRssKib = rssKib;
                peakRssKib = Math.max(peakRssKib, rssKib);
            } else if (line.startsWith("VmHWM:")) {
                hwmKib = number(line);                // the kernel's own peak: catches a spike between samples
            }
        }
        return true;
    }

    /**
     * utime + stime, fields 14 and 15 of /proc/PID/stat. The command name (field 2) may hold
     * spaces and parentheses, so the fields are counted from the last ')'.
     */
    static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private synchronized void addCpu(long nanos, long ticks) {
        if (cpuSamples == cpu[0].length) {
            cpu[0] = java.util.Arrays.copyOf(cpu[0], cpuSamples * 2);
            cpu[1] = java.util.Arrays.copyOf(cpu[1], cpuSamples * 2);
        }
        cpu[0][cpuSamples] = nanos;
        cpu[1][cpuSamples] = ticks;
        cpuSamples++;
    }

    /**
     * CPU seconds the process spent between two moments of this JVM's clock, read off the
     * samples taken so far (linear between two samples); NaN when none bracket the window.
     */
    public synchronized double cpuSeconds(long fromNanos, long toNanos) {
        double from = ticksAt(fromNanos);
        double to = ticksAt(toNanos);
        return Double.isNaN(from) || Double.isNaN(to) ? Double.NaN : (to - from) / TICKS_PER_SECOND;
    }

    private double ticksAt(long nanos) {
        if (cpuSamples == 0 || nanos - cpu[0][0] < 0) return Double.NaN;
        for (int i = 1; i < cpuSamples; i++) {
            if (cpu[0][i] - nanos >= 0) {
                double f = (double) (nanos - cpu[0][i - 1]) / (cpu[0][i] - cpu[0][i - 1]);
                return cpu[1][i - 1] + f * (cpu[1][i] - cpu[1][i - 1]);
            }
        }
        return cpu[1][cpuSamples - 1];                // after the last sample: nothing more was seen
    }

    private static long number(String line) {
        String digits = line.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? 0 : Long.parseLong(digits);
    }

    public int threads() {
        return threads;
    }

    public int peakThreads() {
        return peakThreads;
    }

    public long rssKib() {
        return rssKib;
    }

    /** The resident memory at the first sample, taken as the sampler starts. */
    public long firstRssKib() {
        return firstRssKib;
    }

    /** The larger of the sampled peak and the kernel's high-water mark. */
    public long peakRssKib() {
        return Math.max(peakRssKib, hwmKib);
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
}
