package fourways.bench.side;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Where the side-by-side run puts server and client, and what each row says of it. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PlacementTest {

    @Test
    void sameAndSplitPinThroughTaskset() {
        assertEquals(List.of("/usr/bin/taskset", "-c", "0"), Placement.SAME.server());
        assertEquals(List.of("/usr/bin/taskset", "-c", "0"), Placement.SAME.client());
        assertEquals(List.of("/usr/bin/taskset", "-c", "0"), Placement.SPLIT.server());
        assertEquals(List.of("/usr/bin/taskset", "-c", "1"), Placement.SPLIT.client());
        assertEquals(List.of(), Placement.NONE.server());
        assertNull(Placement.NONE.whyUnavailable());
        assertEquals("none (not pinned)", Placement.NONE.describe());
    }

    @Test
    void pingPongRunsOnOneCpuAndThroughputOnTwo() {
        assertEquals(Placement.SAME, Workload.PING_PONG.placement());
        assertEquals(Placement.SPLIT, Workload.PIPELINED.placement());
    }

    @Test
    void offLinuxPinningIsRefusedWithTheReason() {
        String mac = Placement.SPLIT.whyUnavailable("Mac OS X", false, 8);
        assertEquals("pinning uses Linux's taskset, and Mac OS X has no such command (the run is not pinned)", mac);
        assertEquals("pinning uses Linux's taskset, and Windows 11 has no such command (the run is not pinned)",
                Placement.SAME.whyUnavailable("Windows 11", false, 8));
        assertNull(Placement.NONE.whyUnavailable("Windows 11", false, 8), "not pinning needs nothing");
        assertNull(Placement.SPLIT.whyUnavailable("Linux", true, 2));
        assertEquals("split needs two CPUs, this machine has 1", Placement.SPLIT.whyUnavailable("Linux", true, 1));
    }

    @Test
    void limitsSizeTheStepsBeforeTheRun() {
        Limits here = new Limits(20_000, 28_232, "32768-60999");
        for (int n : Workload.CURVE) assertNull(here.whyNot(n), n + " connections fit in 20,000 files");
        assertTrue(here.describe(false).endsWith("every step fits"), here.describe(false));

        Limits small = new Limits(1_024, 28_232, "32768-60999");
        assertNull(small.whyNot(100), "pipelined fits");
        assertEquals("10,000 connections need about 10,500 open files per process, the limit is 1,024",
                small.whyNot(10_000));
        assertTrue(small.describe(true).contains("ulimit -n"), small.describe(true));

        Limits fewPorts = new Limits(100_000, 16_384, "49152-65535");
        assertNull(fewPorts.whyNot(10_000));
        assertEquals("19,000 connections need as many ephemeral ports, there are 16,384 (49152-65535)",
                fewPorts.whyNot(19_000));
        assertNull(new Limits(0, 0, "").whyNot(19_000), "unknown limits: try, and say so");
    }

    @Test
    void anUnknownPlacementIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Placement.byLabel("both"));
        assertEquals(Placement.SPLIT, Placement.byLabel("SPLIT"));
    }

    @Test
    void everyMeasuredWorkloadWarmsTheClientInItsOwnProcess() {
        for (Workload w : List.of(Workload.PING_PONG, Workload.PIPELINED, Workload.OPEN_LOOP)) {
            List<String> args = w.clientArgs(false);
            int i = args.indexOf("--warm-up");
            assertEquals(String.valueOf(w.warmUpMessages(false)), args.get(i + 1), w.label());
        }
        assertEquals(-1, Workload.C10K.clientArgs(false).indexOf("--warm-up"), "c10k measures connections, cold");
    }
}
