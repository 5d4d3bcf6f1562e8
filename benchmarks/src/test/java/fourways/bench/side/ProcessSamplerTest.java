package fourways.bench.side;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sampler reads processes through OSHI. On Linux its figures agree with what /proc says;
 * where nothing can be read (the seam stands in for such a platform), the table says n/a.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcessSamplerTest {

    @Test
    void onLinuxTheLibraryAgreesWithProc() throws Exception {
        Path status = Path.of("/proc/self/status");
        assumeTrue(Files.isReadable(status), "no /proc here: nothing to compare with");
        assumeTrue(ProcessSampler.supported(), "OSHI cannot read processes here");
        long pid = ProcessHandle.current().pid();

        try (ProcessSampler sampler = new ProcessSampler(pid)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sampler.threads() == 0 && System.nanoTime() < deadline) Thread.onSpinWait();  // its first sample
            Map<String, Long> proc = procStatus(status);

            assertTrue(Math.abs(sampler.threads() - proc.get("Threads")) <= 3,
                    "threads: sampler " + sampler.threads() + ", /proc " + proc.get("Threads"));
            long rss = proc.get("VmRSS");
            assertTrue(Math.abs(sampler.rssKib() - rss) <= Math.max(8 * 1024, rss / 10),
                    "resident KiB: sampler " + sampler.rssKib() + ", /proc " + rss);
        }
    }

    @Test
    void wherePlatformCannotBeReadEveryFigureIsNotAvailable() {
        try (ProcessSampler sampler = new ProcessSampler(ProcessSampler.UNAVAILABLE, "test-sampler")) {
            assertEquals(0, sampler.peakThreads());
            assertEquals(0, sampler.peakRssKib());
            assertTrue(Double.isNaN(sampler.cpuSeconds(0, System.nanoTime())));

            Outcome o = new Outcome("nio-selector", Workload.PIPELINED, 1, 100, Outcome.parse("RESULT connections=100"
                    + " messages=1000 seconds=1.000 msgs_per_sec=1000.000 p50_us=1 p90_us=1 p99_us=1 p999_us=1"
                    + " max_us=1 errors=0"), 0, sampler.peakThreads(), sampler.peakRssKib(), 1.0, "none", null, null,
                    sampler.firstRssKib(), "", null);
            String table = new Report(Map.of(), List.of(o)).table();
            String row = table.lines().filter(l -> l.startsWith("pipelined")).findFirst().orElseThrow();
            assertEquals(5, row.split("n/a", -1).length - 1, "CPU twice, client core, threads, RSS: " + row);
        }
    }

    @Test
    void theReadingsOfAProbeMakeThePeaks() throws Exception {
        int[] calls = {0};
        ProcessSampler.Probe probe = () -> {
            int n = ++calls[0];
            return n > 3 ? null : new ProcessSampler.Reading(10 * n, 1000L * (4 - n), 5L * n);
        };
        try (ProcessSampler sampler = new ProcessSampler(probe, "test-sampler")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sampler.peakThreads() < 30 && System.nanoTime() < deadline) Thread.onSpinWait();

            assertEquals(30, sampler.peakThreads());
            assertEquals(3000, sampler.peakRssKib());
            assertEquals(3000, sampler.firstRssKib(), "before any client came");
        }
    }

    private static Map<String, Long> procStatus(Path status) throws Exception {
        Map<String, Long> fields = new java.util.HashMap<>();
        for (String line : Files.readAllLines(status)) {
            int colon = line.indexOf(':');
            String digits = line.substring(colon + 1).replaceAll("[^0-9]", "");
            if (colon > 0 && !digits.isEmpty() && digits.length() < 18) fields.put(line.substring(0, colon), Long.parseLong(digits));
        }
        return fields;
    }
}
