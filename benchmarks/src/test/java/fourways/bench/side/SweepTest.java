package fourways.bench.side;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep's schedule and its knees, on recorded data: no server runs here, and nothing is
 * timed (rule 19's rates are the sweep's, the figures are a past run's).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SweepTest {

    /** One rung of a past run: what the RESULT line said at {@code offered} msgs/s offered. */
    static Outcome rung(String model, int repeat, double offered, double achieved, long p99, long errors) {
        return rung(model, repeat, offered, achieved, p99, errors, 0.4);
    }

    /** The same, with the client loop's busy share (rule 19's {@code busy}). */
    static Outcome rung(String model, int repeat, double offered, double achieved, long p99, long errors, double busy) {
        Map<String, String> result = Outcome.parse("RESULT connections=100 messages=" + Math.round(achieved * 3)
                + " seconds=3.000 msgs_per_sec=" + achieved + " p50_us=" + p99 / 3 + " p90_us=" + p99 / 2
                + " p99_us=" + p99 + " p999_us=" + p99 * 2 + " max_us=" + p99 * 3 + " errors=" + errors
                + " late_p50_us=0.8 late_p99_us=6.1 busy=" + busy);
        return new Outcome(model, Workload.SWEEP, repeat, 100, result, errors, 14, 100 * 1024, 4.0, "split",
                2.9, 1.5, 90 * 1024, "", offered);
    }

    @Test
    void theLadderClimbsGeometricallyThroughTheFirstTenthOfThePeakOnWholeFramesPerConnection() {
        List<Double> quick = Sweep.ladder(1_512_345, false);
        List<Double> full = Sweep.ladder(1_512_345, true);

        assertEquals(List.of(7_600.0, 22_700.0, 68_100.0, 226_900.0), quick, "four rungs, each about three times the last");
        assertEquals(10, full.size());
        assertEquals(7_600.0, full.getFirst());
        assertEquals(151_200.0, full.get(8), "nine rungs within a tenth of the peak, where the knees were");
        assertEquals(453_700.0, full.getLast(), "30% of the peak: past what one client core paces on time");
        for (int i = 1; i < full.size() - 1; i++) {
            double step = full.get(i) / full.get(i - 1);
            assertTrue(step >= 1.3 && step <= 1.6, "each rung 1.3 to 1.6 times the last: " + full);
        }
        for (List<Double> l : List.of(quick, full)) {
            for (int i = 0; i < l.size(); i++) {
                assertEquals(0, l.get(i) % Sweep.CONNECTIONS, "a whole rate per connection: " + l.get(i));
                if (i > 0) assertTrue(l.get(i) > l.get(i - 1), "rising: " + l);
            }
        }
    }

    @Test
    void aTinyPeakStillGivesRisingRungsOfAtLeastOneFramePerConnectionASecond() {
        List<Double> l = Sweep.ladder(250, true);

        assertEquals(100.0, l.getFirst());
        assertEquals(List.of(100.0), l, "rungs that round to the same rate are kept once");
        assertEquals(List.of(100.0, 200.0, 300.0, 500.0, 700.0, 1_000.0, 3_000.0), Sweep.ladder(10_000, true));
        assertThrows(IllegalArgumentException.class, () -> Sweep.ladder(0, false));
    }

    @Test
    void aLaddersClientClimbsEveryRungInOneRunAfterOneWarmUpAtTheFirst() {
        assertEquals(List.of("--connections", "100", "--pipeline", "64", "--rate", "756,4537", "--messages", "756,4537",
                "--timeout", "60", "--warm-up", "2268"), Sweep.ladderArgs(List.of(75_600.0, 453_700.0), 1.0, 60),
                "one second a rung; the warm-up three seconds at the first rung (756 x 3), not a quarter of one");
        assertEquals(List.of("--rate", "1000", "--messages", "20000", "--timeout", "60", "--warm-up", "5000"),
                Sweep.ladderArgs(List.of(100_000.0), 20.0, 60).subList(4, 12), "a quarter of a long rung is more");
        assertEquals(List.of("--messages", "20,20", "--timeout", "60", "--warm-up", "10"),
                Sweep.ladderArgs(List.of(100.0, 200.0), 1.0, 60).subList(6, 12), "at least 20 frames a connection");
        assertThrows(IllegalArgumentException.class, () -> Sweep.ladderArgs(List.of(4_537.0), 1.0, 60),
                "45.37 frames/s a connection: the client would name the rung's files 4500");
    }

    @Test
    void theKneeIsTheHighestRungSustainedWithItsP99UnderTheBound() {
        List<Row> steps = Row.of(List.of(
                rung("nio-selector", 1, 75_600, 75_590, 90, 0),
                rung("nio-selector", 1, 453_700, 453_100, 160, 0),
                rung("nio-selector", 1, 907_400, 905_000, 420, 0),
                rung("nio-selector", 1, 1_361_100, 1_300_000, 2_900, 0),    // sustained, p99 too high
                rung("nio-selector", 1, 1_814_800, 1_410_000, 41_000, 0)));  // not sustained

        assertEquals(OptionalDouble.of(907_400), Sweep.knee(steps, 1_000));
        assertEquals(OptionalDouble.of(1_361_100), Sweep.knee(steps, 5_000), "a looser bound moves the knee up");
        assertEquals(OptionalDouble.empty(), Sweep.knee(steps, 50));
        assertTrue(Sweep.sustained(steps.get(3)), "1,300,000 of 1,361,100 is 95.5%");
        assertFalse(Sweep.sustained(steps.get(4)));
    }

    @Test
    void aRungTheClientCouldNotKeepCountsForNoKneeAndMakesTheKneeBelowItAFloor() {
        List<Row> steps = Row.of(List.of(
                rung("nio-selector", 1, 7_600, 7_600, 90, 0, 0.2),
                rung("nio-selector", 1, 15_100, 15_100, 120, 0, 0.5),
                rung("nio-selector", 1, 37_800, 37_800, 400, 0, 0.95),      // the client's loop never waited
                rung("nio-selector", 1, 90_700, 90_700, 800, 0, 1.0)));

        assertFalse(Sweep.trusted(steps.get(2)), "busy 95% of the time: the client set the pace");
        assertEquals(OptionalDouble.of(15_100), Sweep.knee(steps, 1_000), "not 90,700: those figures are the client's");
        assertTrue(Sweep.kneeIsAtLeast(steps, 1_000), "the server never missed the bound where the client kept up");
        assertEquals(OptionalDouble.of(37_800), Sweep.clientLimit(steps));

        List<Row> missed = Row.of(List.of(
                rung("blocking-io", 1, 7_600, 7_600, 90, 0, 0.2),
                rung("blocking-io", 1, 15_100, 15_100, 3_100, 0, 0.5),
                rung("blocking-io", 1, 37_800, 37_800, 9_000, 0, 0.95)));
        assertEquals(OptionalDouble.of(7_600), Sweep.knee(missed, 1_000));
        assertFalse(Sweep.kneeIsAtLeast(missed, 1_000), "the server missed the bound on a rung the client kept");

        String table = new Report(Map.of(), List.of(
                rung("nio-selector", 1, 7_600, 7_600, 90, 0, 0.2),
                rung("nio-selector", 1, 15_100, 15_100, 120, 0, 0.95)), 1_000).table();
        assertTrue(table.lines().anyMatch(l -> l.matches("nio-selector\\s+>= 7,600\\s+30\\s+90\\s+-\\s+15,100")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("nio-selector") && l.contains("0.95 bound")), table);
    }

    @Test
    void aRungWhoseTailWasTheClientsOwnLatenessCountsForNoKneeAndALoneOneIsNotTheClientsLimit() {
        Outcome hiccup = rung("nio-selector", 1, 6_700, 6_700, 4_000, 0, 0.3);
        Map<String, String> late = new java.util.LinkedHashMap<>(hiccup.result());
        late.put("late_p99_us", "2603.0");                                  // most of the 4 ms p99 was the client's
        hiccup = new Outcome("nio-selector", Workload.SWEEP, 1, 100, late, 0, 14, 0, 1, "split", 2.9, 1.5, 0, "",
                6_700.0);
        List<Row> steps = Row.of(List.of(hiccup,
                rung("nio-selector", 1, 10_100, 10_100, 800, 0, 0.4),
                rung("nio-selector", 1, 13_500, 13_500, 900, 0, 0.5),
                rung("nio-selector", 1, 20_200, 20_200, 1_500, 0, 0.95)));

        assertFalse(Sweep.trusted(steps.get(0)), "late p99 2.6 ms of a 4 ms p99: the tail is the client's");
        assertEquals(OptionalDouble.of(13_500), Sweep.knee(steps, 1_000));
        assertTrue(Sweep.kneeIsAtLeast(steps, 1_000));
        assertEquals(OptionalDouble.of(20_200), Sweep.clientLimit(steps), "from where it kept none, not its hiccup");
    }

    @Test
    void aRungWithErrorsIsNotSustainedAndTheMedianOfItsRunsDecides() {
        List<Row> steps = Row.of(List.of(
                rung("blocking-io", 1, 453_700, 453_000, 300, 2),
                rung("nio2-async", 1, 453_700, 453_000, 900, 0),
                rung("nio2-async", 2, 453_700, 453_000, 1_400, 0),
                rung("nio2-async", 3, 453_700, 453_000, 950, 0)));

        assertFalse(Sweep.sustained(steps.get(0)), "errors: never a knee");
        assertEquals(OptionalDouble.of(453_700), Sweep.knee(steps.subList(1, 2), 1_000), "median p99 950 us");
    }

    @Test
    void thePercentileChartsRateIsTheHighestRungAtOrBelowHalfTheSlowestKnee() {
        List<Double> rungs = List.of(75_600.0, 453_700.0, 907_400.0, 1_361_100.0);

        assertEquals(453_700.0, Sweep.commonRate(rungs, List.of(OptionalDouble.of(1_361_100), OptionalDouble.of(907_400))));
        assertEquals(75_600.0, Sweep.commonRate(rungs, List.of(OptionalDouble.of(907_400), OptionalDouble.of(453_700))));
        assertEquals(75_600.0, Sweep.commonRate(rungs, List.of(OptionalDouble.empty())), "no knee: the lightest rung");
    }

    @Test
    void theReportShowsEveryRungAndEachServersKneeAndWritesThemToJson(@TempDir Path folder) throws IOException {
        List<Outcome> runs = List.of(
                rung("nio-selector", 1, 75_600, 75_590, 90, 0),
                rung("nio-selector", 1, 907_400, 905_000, 420, 0),
                rung("netty-epoll", 1, 75_600, 75_500, 120, 0),
                rung("netty-epoll", 1, 907_400, 600_000, 30_000, 0));
        Report report = new Report(Map.of(), runs, 1_000);

        String table = report.table();
        assertTrue(table.contains("knee (msgs/s, p99 <= 1,000 us)"), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("nio-selector\\s+907,400\\s+140\\s+420\\s+-\\s+-")), table);
        assertTrue(table.lines().anyMatch(l -> l.matches("netty-epoll\\s+75,600\\s+40\\s+120\\s+907,400\\s+-")), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("netty-epoll") && l.contains("600,000 *")), table);
        report.writeJson(folder.resolve("results.json"));
        String json = Files.readString(folder.resolve("results.json"));
        assertTrue(json.contains("\"nio-selector\" : 907400.0"), json);
        assertTrue(json.contains("\"offered_msgs_per_sec\" : 907400.0"), json);
        assertEquals(4, Report.readJson(folder.resolve("results.json")).runs().stream()
                .filter(o -> o.offered() != null).count(), "every rung read back with its rate");
    }

    @Test
    void anOpenLoopRowIsClientBoundWhenMostOfItsMedianWasTheClientsOwnLateness() {
        Outcome fine = rung("nio-selector", 1, 75_600, 75_590, 90, 0);       // late p50 0.8 us of p50 30 us
        Map<String, String> late = new java.util.LinkedHashMap<>(fine.result());
        late.put("late_p50_us", "20.0");
        Outcome bound = new Outcome("nio-selector", Workload.SWEEP, 1, 100, late, 0, 14, 0, 1, "split",
                2.9, 1.5, 0, "", 75_600.0);

        assertFalse(fine.clientBound(), "an open loop spins its core by design: that alone is not bound");
        assertTrue(bound.clientBound());
        assertTrue(rung("nio-selector", 1, 75_600, 75_590, 90, 0, 0.93).clientBound(),
                "its loop never waiting: replies read late, which lateness does not show");
    }
}
