package fourways.bench.side;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The side-by-side run's bookkeeping, without running anything: medians and spreads over
 * repeated runs, the CPU columns, the client-bound mark, the connection curve's slopes, and
 * results.json written and read back through the JSON library.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReportTest {
    @TempDir
    Path folder;

    private static Outcome run(String model, Workload w, int repeat, double msgsPerSec, double seconds,
                               Double clientCpu, Double serverCpu) {
        long messages = Math.round(msgsPerSec * seconds);
        Map<String, String> result = Outcome.parse("RESULT connections=100 messages=" + messages + " seconds=" + seconds
                + " msgs_per_sec=" + msgsPerSec + " p50_us=40 p90_us=50 p99_us=" + (100 + repeat)
                + " p999_us=200 max_us=300 errors=0");
        return new Outcome(model, w, repeat, 100, result, 0, 20, 200 * 1024, 3.0, "split", clientCpu, serverCpu,
                100 * 1024, "", null);
    }

    private static Outcome curveStep(String model, int connections, long peakRssKib, int threads) {
        Map<String, String> result = Outcome.parse("RESULT connections=" + connections + " messages=" + connections
                + " seconds=1.000 msgs_per_sec=" + connections + " p50_us=1 p90_us=1 p99_us=1 p999_us=1 max_us=1 errors=0");
        return new Outcome(model, Workload.CONNECTIONS, 1, connections, result, 0, threads, peakRssKib, 1.0, "split",
                null, null, 50_000, "", null);
    }

    @Test
    void repeatedRunsShowTheirMedianAndSpread() {
        List<Outcome> runs = List.of(
                run("nio-selector", Workload.PIPELINED, 1, 900_000, 2.0, 1.0, 1.5),
                run("nio-selector", Workload.PIPELINED, 2, 1_200_000, 2.0, 1.9, 1.5),
                run("nio-selector", Workload.PIPELINED, 3, 1_000_000, 2.0, 1.95, 1.5));

        Row row = Row.of(runs).getFirst();

        assertEquals(1_000_000, row.msgsPerSec());
        assertEquals(900_000, row.msgsPerSecMin());
        assertEquals(1_200_000, row.msgsPerSecMax());
        assertEquals(102, row.median(Row.field("p99_us")));
        assertTrue(row.clientBound(), "two of three runs used more than 90% of a core");
        String table = new Report(Map.of(), runs).table();
        assertTrue(table.contains("900,000-1,200,000"), table);
        assertTrue(table.contains("bound"), table);
    }

    @Test
    void cpuPerMessageAndCoreShareComeFromTheMeasuredWindow() {
        Outcome o = run("blocking-io", Workload.PIPELINED, 1, 500_000, 2.0, 0.8, 1.2);

        assertEquals(0.8, o.clientUsPerMessage(), 1e-9, "0.8 s of CPU over 1,000,000 messages");
        assertEquals(1.2, o.serverUsPerMessage(), 1e-9);
        assertEquals(0.4, o.clientCoreShare(), 1e-9, "0.8 s of CPU in a 2 s window");
        assertFalse(o.clientBound());
    }

    @Test
    void aFigureThatCouldNotBeHadReadsNotAvailableNeverZero() {
        Outcome o = run("nio2-async", Workload.PING_PONG, 1, 30_000, 1.0, null, null);

        assertNull(o.clientUsPerMessage());
        String table = new Report(Map.of(), List.of(o)).table();
        assertTrue(table.contains("n/a"), table);
    }

    @Test
    void theCurveFitsMemoryAndThreadsPerConnection() {
        List<Outcome> steps = List.of(
                curveStep("blocking-io", 1_000, 100_000, 1_020),
                curveStep("blocking-io", 5_000, 300_000, 5_020),
                curveStep("blocking-io", 10_000, 550_000, 10_020),
                curveStep("nio-selector", 1_000, 60_000, 14),
                curveStep("nio-selector", 10_000, 78_000, 14));

        Curve curve = new Curve(Row.of(steps));

        assertEquals(2, curve.models().size());
        Curve.Model blocking = curve.models().getFirst();
        assertEquals(1.0, blocking.threadsPerConnection(), 1e-9, "a thread per connection");
        assertEquals(50.0, blocking.kibPerConnection(), 0.5);
        assertEquals(2.0, curve.models().get(1).kibPerConnection(), 1e-9, "18,000 KiB over 9,000 connections");
        assertEquals(0.0, curve.models().get(1).threadsPerConnection(), 1e-9);
        assertTrue(curve.summary().contains("19") || curve.summary().contains("10,000"), curve.summary());
    }

    @Test
    void resultsJsonIsWrittenAndReadBackByTheLibrary() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mode", "quick \"test\"\n");                  // quotes and a newline survive
        List<Outcome> runs = List.of(
                run("netty-epoll", Workload.PIPELINED, 1, 800_000, 2.0, 1.9, 1.0),
                run("virtual-threads", Workload.OPEN_LOOP, 1, 10_000, 3.0, null, 0.2),
                curveStep("nio2-async", 19_000, 300_000, 21));
        Path json = folder.resolve("results.json");

        new Report(settings, runs).writeJson(json);
        Report.Results back = Report.readJson(json);

        assertEquals(settings, back.settings());
        assertEquals(runs, back.runs());
        String text = Files.readString(json);
        assertTrue(text.contains("\"client_bound\" : true"), "the derived figures are written for readers");
    }

    @Test
    void chartsAreWrittenOnePanelPerWorkload() throws Exception {
        List<Outcome> runs = List.of(
                run("nio-selector", Workload.PING_PONG, 1, 30_000, 1.0, 0.5, 0.5),
                run("nio-selector", Workload.PIPELINED, 1, 1_000_000, 2.0, 1.0, 1.0),
                run("nio-selector", Workload.PIPELINED, 2, 1_100_000, 2.0, 1.0, 1.0),
                curveStep("nio-selector", 1_000, 60_000, 14),
                curveStep("nio-selector", 19_000, 96_000, 14));

        List<String> files = Charts.write(folder, runs);

        assertEquals(List.of("msgs_per_sec.png", "p99_latency.png", "peak_threads.png", "peak_rss.png",
                "connections_rss.png", "connections_threads.png"), files);
        for (String f : files) {
            byte[] png = Files.readAllBytes(folder.resolve(f));
            assertEquals((byte) 0x89, png[0], f);
            assertEquals('P', png[1], f);
        }
    }
}
