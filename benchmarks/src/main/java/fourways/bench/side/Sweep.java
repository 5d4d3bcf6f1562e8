package fourways.bench.side;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The rate sweep ({@link Workload#SWEEP}): each server under the open loop (rule 19) at a ladder
 * of offered rates, from light load to past saturation, and its knee, the highest rate it
 * sustains with a tail under a stated bound. A median at light load says little about a server;
 * where its tail turns up as load rises says what it can be trusted with.
 *
 * <p>The ladder is made of shares of one number, the fastest server's closed-loop peak in the
 * same run (the pipelined workload's best median), so every server climbs the same rungs. The
 * shares are small and grow geometrically: a pipelined client writes sixteen frames a system
 * call and the server answers them with one, but an open loop's frames leave one at a time, and
 * each costs both sides a system call or two. Measured here (2 cores, server on CPU 0, client
 * on CPU 1), the yardsticks' native open-loop client was a whole core at 100,000 frames a
 * second (90% of it in the kernel) and fell behind its schedule above that: a twelfth of the
 * pipelined peak of 1.2 to 1.5 million. So the knees, and everything any one-core client can offer on
 * time, lie in the first tenth of the peak: ten rungs from 0.5% to 30% put nine there, each
 * 1.3 to 1.5 times the last, and the top ones show where the client itself gives out.
 *
 * <p>A rung the client could not keep ({@link Row#clientBound}: its one loop busy 90% of the
 * time or more, or its own lateness more than half the median or half the p99) says nothing
 * about the server: it never counts towards a knee, and a knee with such a rung above it is "at least".
 */
public final class Sweep {
    /** The sweep's shape: 100 connections, room for 64 frames in flight each so the pipeline limit is not the first wall. */
    public static final int CONNECTIONS = 100, PIPELINE = 64;
    /** A step counts as sustained when it delivered at least this share of what was offered. */
    public static final double SUSTAINED = 0.95;
    /** The knee's default tail bound: p99 at most 1 ms. */
    public static final long DEFAULT_P99_BOUND_US = 1_000;
    /**
     * Shares of the peak: four rungs for a quick look, ten for --full (see above for why so low).
     * Four, not five: a rung costs its server about two seconds of the quick run (2026-12-05:
     * the quick run took 261 s with five), and the full run's knees at 1 ms fell between 0.5% and
     * 1.5% of the peak, which the quick ladder's first two rungs bracket.
     */
    private static final double[] QUICK = {0.005, 0.015, 0.045, 0.15};
    private static final double[] FULL = {0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.045, 0.065, 0.1, 0.3};
    /**
     * The warm-up's least length, in seconds at the first rung, however short the rungs. The
     * client climbs the ladder in one process, so only the first rung can meet its JIT cold,
     * and the first rung is the lightest: a quarter of its frames lasts a quarter of a rung,
     * over before the compiler threads have compiled the hot path, and those C2 compiles then
     * land in the lowest rung's measured seconds as milliseconds of p99, the client's, not the
     * server's. Three seconds is time for them to end.
     */
    public static final double WARM_UP_SECONDS = 3;

    private Sweep() {}

    /**
     * The offered rates, in messages per second for all connections together, rounded to a
     * multiple of the connections so each connection's rate is a whole number of frames.
     */
    public static List<Double> ladder(double peakMsgsPerSec, boolean full) {
        if (!(peakMsgsPerSec > 0)) throw new IllegalArgumentException("no peak to climb to: " + peakMsgsPerSec);
        List<Double> rates = new ArrayList<>();
        for (double share : full ? FULL : QUICK) {
            double perConnection = Math.max(1, Math.round(peakMsgsPerSec * share / CONNECTIONS));
            double offered = perConnection * CONNECTIONS;
            if (rates.isEmpty() || offered > rates.getLast()) rates.add(offered);
        }
        return rates;
    }

    /** The peak the ladder climbs to: the best pipelined median of the run, if there is one. */
    public static OptionalDouble peak(List<Row> rows) {
        return rows.stream().filter(r -> r.workload() == Workload.PIPELINED && r.errors() == 0)
                .map(Row::msgsPerSec).filter(v -> v != null && v > 0).mapToDouble(Double::doubleValue).max();
    }

    /**
     * One client's options for a whole ladder (rule 19's several rates): the open loop at every
     * rung of {@code rungs} in turn, each lasting about {@code seconds}, after one warm-up at
     * the first. Each rung must be a whole number of frames a second per connection, as
     * {@link #ladder} makes them: the client names a rung's histograms by the rate it offered.
     */
    public static List<String> ladderArgs(List<Double> rungs, double seconds, int timeoutSeconds) {
        List<String> rates = new ArrayList<>();
        List<Long> messages = new ArrayList<>();
        for (double offered : rungs) {
            double perConnection = offered / CONNECTIONS;
            if (perConnection != Math.rint(perConnection)) {
                throw new IllegalArgumentException(offered + " msgs/s is not a whole rate for each of " + CONNECTIONS);
            }
            rates.add(String.format(Locale.ROOT, "%.0f", perConnection));
            messages.add(Math.max(20, Math.round(perConnection * seconds)));
        }
        long warmUp = Math.max(Math.max(10, messages.getFirst() / 4),
                Math.round(rungs.getFirst() / CONNECTIONS * WARM_UP_SECONDS));
        String counts = String.join(",", messages.stream().map(String::valueOf).toList());
        return List.of("--connections", String.valueOf(CONNECTIONS), "--pipeline", String.valueOf(PIPELINE),
                "--rate", String.join(",", rates), "--messages", counts,
                "--timeout", String.valueOf(timeoutSeconds), "--warm-up", String.valueOf(warmUp));
    }

    /** Whether one step kept up: delivered at least 95% of the offered rate, with no errors. */
    public static boolean sustained(Row step) {
        Double achieved = step.msgsPerSec();
        return step.offered() != null && achieved != null && step.errors() == 0
                && achieved >= SUSTAINED * step.offered();
    }

    /**
     * Whether the client kept this rung's schedule, so that its figures are the server's: not
     * bound ({@link Row#clientBound}), and its tail not its own, its lateness under half the p99
     * (a pause of the client's, a collection or a compile, sets a rung's p99 otherwise). Not a
     * test for every open loop: the stall's frames leave late because the server held the one
     * frame in flight, and that lateness is the server's; a rung has room for 64.
     */
    public static boolean trusted(Row step) {
        Double late = step.median(Row.field("late_p99_us")), p99 = step.median(Row.field("p99_us"));
        return !step.clientBound() && (late == null || p99 == null || late <= p99 / 2);
    }

    /**
     * A server's knee: the highest offered rate among {@code steps} (one server's) that it
     * sustained with a median p99 of at most {@code p99BoundUs}, on a rung the client kept;
     * empty when none did.
     */
    public static OptionalDouble knee(List<Row> steps, long p99BoundUs) {
        return steps.stream()
                .filter(s -> trusted(s) && withinBound(s, p99BoundUs))
                .mapToDouble(Row::offered).max();
    }

    /**
     * Whether a knee is only a floor: the server met the bound on every rung the client kept
     * above it, and the next rung was the client's limit, not the server's.
     */
    public static boolean kneeIsAtLeast(List<Row> steps, long p99BoundUs) {
        OptionalDouble k = knee(steps, p99BoundUs);
        double from = k.isPresent() ? k.getAsDouble() : 0;
        return steps.stream().filter(s -> s.offered() > from).findFirst().map(s -> !trusted(s)).orElse(false);
    }

    /**
     * Where the client gave out: the lowest rung from which it kept none, if it gave out at all.
     * A lone rung it could not keep below rungs it kept was a hiccup of its own, not its limit.
     */
    public static OptionalDouble clientLimit(List<Row> steps) {
        OptionalDouble limit = OptionalDouble.empty();
        for (int i = steps.size() - 1; i >= 0 && !trusted(steps.get(i)); i--) {
            limit = OptionalDouble.of(steps.get(i).offered());
        }
        return limit;
    }

    private static boolean withinBound(Row s, long p99BoundUs) {
        Double p99 = s.median(Row.field("p99_us"));
        return sustained(s) && p99 != null && p99 <= p99BoundUs;
    }

    /**
     * The one rate at which every server's percentile distribution is drawn: the highest rung
     * at or below half the slowest knee, so that every server is well inside what it sustains;
     * the lowest rung where no server has a knee.
     */
    public static double commonRate(List<Double> rungs, List<OptionalDouble> knees) {
        OptionalDouble slowest = knees.stream().filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).min();
        double target = slowest.isPresent() ? slowest.getAsDouble() / 2 : 0;
        double best = rungs.getFirst();
        for (double r : rungs) {
            if (r <= target) best = r;
        }
        return best;
    }
}
