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
 * <p>The ladder is a share of one number, the fastest server's closed-loop peak in the same run
 * (the pipelined workload's best median): every server then climbs the same rungs, and the top
 * ones lie past what any of them can do.
 */
public final class Sweep {
    /** The sweep's shape: 100 connections, room for 64 frames in flight each so the pipeline limit is not the first wall. */
    public static final int CONNECTIONS = 100, PIPELINE = 64;
    /** A step counts as sustained when it delivered at least this share of what was offered. */
    public static final double SUSTAINED = 0.95;
    /** The knee's default tail bound: p99 at most 1 ms. */
    public static final long DEFAULT_P99_BOUND_US = 1_000;
    /**
     * Shares of the peak: five rungs for a quick look, ten for --full, closer together where
     * knees are (from half the peak up) than at light load, where every server keeps up.
     */
    private static final double[] QUICK = {0.05, 0.3, 0.6, 0.9, 1.2};
    private static final double[] FULL = {0.05, 0.1, 0.2, 0.4, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2};
    /**
     * The warm-up's least length, in seconds at the first rung, however short the rungs. The
     * client climbs the ladder in one process, so only the first rung can meet its JIT cold,
     * and the first rung is the lightest: a quarter of its frames lasts a quarter of a rung,
     * over before the compiler threads have compiled the hot path, and those C2 compiles then
     * land in the lowest rung's measured seconds as milliseconds of p99, the client's, not the
     * server's. Three seconds is time for them to end, and at the peaks seen here (a million
     * frames a second and more) over a hundred thousand frames to set them off.
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
     * A server's knee: the highest offered rate among {@code steps} (one server's) that it
     * sustained with a median p99 of at most {@code p99BoundUs}; empty when none did.
     */
    public static OptionalDouble knee(List<Row> steps, long p99BoundUs) {
        return steps.stream()
                .filter(s -> sustained(s) && s.median(Row.field("p99_us")) != null
                        && s.median(Row.field("p99_us")) <= p99BoundUs)
                .mapToDouble(Row::offered).max();
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
