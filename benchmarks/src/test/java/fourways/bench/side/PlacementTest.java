package fourways.bench.side;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void anUnknownPlacementIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Placement.byLabel("both"));
        assertEquals(Placement.SPLIT, Placement.byLabel("SPLIT"));
    }

    @Test
    void everyMeasuredWorkloadWarmsTheClientInItsOwnProcess() {
        for (Workload w : List.of(Workload.PING_PONG, Workload.PIPELINED, Workload.OPEN_LOOP)) {
            List<String> args = w.clientArgs(false);
            int i = args.indexOf("--warm-up");
            assertEquals(String.valueOf(w.warmUpMessages()), args.get(i + 1), w.label());
        }
        assertEquals(-1, Workload.C10K.clientArgs(false).indexOf("--warm-up"), "c10k measures connections, cold");
    }
}
