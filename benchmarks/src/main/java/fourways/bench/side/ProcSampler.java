package fourways.bench.side;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Samples a server's {@code /proc/PID/status} every 100 ms (Linux only): its thread count and
 * resident memory, keeping the peaks. Costs one platform thread while it runs.
 *
 * <p>Threads: the sampling thread writes the fields; others read them (volatile).
 */
public final class ProcSampler implements AutoCloseable {
    private static final long PERIOD_MILLIS = 100;

    private final Path status;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile int threads;
    private volatile int peakThreads;
    private volatile long rssKib;
    private volatile long peakRssKib;
    private volatile long hwmKib;

    public ProcSampler(long pid) {
        this.status = Path.of("/proc", String.valueOf(pid), "status");
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
        try {
            lines = Files.readAllLines(status);
        } catch (IOException e) {
            return false;                             // the process exited: keep the last figures
        }
        for (String line : lines) {
            if (line.startsWith("Threads:")) {
                threads = (int) number(line);
                peakThreads = Math.max(peakThreads, threads);
            } else if (line.startsWith("VmRSS:")) {
                rssKib = number(line);
                peakRssKib = Math.max(peakRssKib, rssKib);
            } else if (line.startsWith("VmHWM:")) {
                hwmKib = number(line);                // the kernel's own peak: catches a spike between samples
            }
        }
        return true;
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
