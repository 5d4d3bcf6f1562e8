package fourways.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.bench.side.Outcome;
import fourways.bench.side.Report;
import fourways.bench.side.Trial;
import fourways.bench.side.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep, whole but tiny: {@code --messages} gives it a fixed ladder of 1,000 and 2,000
 * msgs/s offered, one server, and one client process that climbs both rungs (rule 19's several
 * rates). Each rung must come back as its own row, with its own rate, its own RESULT figures and
 * its own histograms, under the names the charts read. Its latencies mean nothing and nothing
 * asserts on them.
 */
class SweepRunTest {
    /** Rule 19's rung: 100 connections, 20 frames each (the least a rung sends). */
    private static final Pattern TWO_THOUSAND = Pattern.compile("Total count\\s*=\\s*2000\\b");

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void oneClientClimbsTheLadderAndEachRungGetsItsRowAndItsHistograms(@TempDir Path out) throws Exception {
        SideBySideRun run = SideBySideRun.of("--models", "blocking-io", "--workloads", "sweep",
                "--messages", "5", "--pin", "none", "--out", out.toString());
        String printed = run.printed();
        assertEquals(0, run.status(), printed);

        List<Outcome> rungs = Report.readJson(out.resolve("results.json")).runs().stream()
                .filter(o -> o.workload() == Workload.SWEEP).toList();
        assertEquals(List.of(1_000.0, 2_000.0), rungs.stream().map(Outcome::offered).toList(), printed);
        for (Outcome o : rungs) {
            String row = o.offered() + ": " + o.result() + " " + o.note();
            assertEquals(0, o.errors(), row);
            assertEquals("2000", o.result().get("messages"), "100 connections x 20 frames, the rung's own: " + row);
            assertTrue(o.result().containsKey("from_send_p99_us"), "its from-send histogram was read back: " + row);
            Path prefix = Trial.hgrmPrefix(out.resolve("hgrm"), "blocking-io", Workload.SWEEP, o.offered(), 1);
            for (String suffix : List.of(".hgrm", ".from-send.hgrm", ".late.hgrm")) {
                String hgrm = Files.readString(Path.of(prefix + suffix));
                assertTrue(TWO_THOUSAND.matcher(hgrm).find(), prefix + suffix + ":\n" + hgrm);
            }
        }
        assertTrue(Files.isRegularFile(out.resolve("sweep_percentiles.png")), "the charts found the rung's histogram");

        // The same rungs read again with another knee bound: nothing runs, the report is drawn anew.
        SideBySideRun again = SideBySideRun.of("--report", out.toString(), "--knee-p99", "1");
        assertEquals(0, again.status(), again.printed());
        assertTrue(again.printed().contains("knee (msgs/s, p99 <= 1 us)"), again.printed());
        assertTrue(Files.readString(out.resolve("results.md")).contains("p99 <= 1 us"), "the header names the new bound");
        assertEquals(rungs.size(), Report.readJson(out.resolve("results.json")).runs().stream()
                .filter(o -> o.workload() == Workload.SWEEP).count(), "every rung kept");
    }
}
