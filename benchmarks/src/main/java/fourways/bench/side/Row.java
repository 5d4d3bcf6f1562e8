package fourways.bench.side;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One server under one workload, every run of it: what a table row shows. These machines
 * drift from one minute to the next, so one run proves little; with three or more (the full
 * run), the row shows the median and the spread.
 */
public record Row(String model, Workload workload, List<Outcome> runs) {

    public String placement() {
        return runs.getFirst().placement();
    }

    /** The median of a figure over the runs that have it; null when none has. */
    public Double median(Function<Outcome, Double> figure) {
        double[] v = values(figure);
        if (v.length == 0) return null;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    public Double min(Function<Outcome, Double> figure) {
        double[] v = values(figure);
        return v.length == 0 ? null : v[0];
    }

    public Double max(Function<Outcome, Double> figure) {
        double[] v = values(figure);
        return v.length == 0 ? null : v[v.length - 1];
    }

    private double[] values(Function<Outcome, Double> figure) {
        return runs.stream().map(figure).filter(Objects::nonNull).mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /** A RESULT field as a figure, null where the run has no RESULT line. */
    public static Function<Outcome, Double> field(String name) {
        return o -> o.hasResult() && o.result().containsKey(name) ? o.number(name) : null;
    }

    public Double msgsPerSec() {
        return median(field("msgs_per_sec"));
    }

    public Double msgsPerSecMin() {
        return min(field("msgs_per_sec"));
    }

    public Double msgsPerSecMax() {
        return max(field("msgs_per_sec"));
    }

    /** The errors of the worst run: one bad run is not hidden by two good ones. */
    public long errors() {
        return runs.stream().mapToLong(Outcome::errors).max().orElse(0);
    }

    /** Client-bound when most of its runs were. */
    public boolean clientBound() {
        return runs.stream().filter(Outcome::clientBound).count() * 2 > runs.size();
    }

    public Double peakThreads() {
        return median(o -> o.peakThreads() > 0 ? (double) o.peakThreads() : null);
    }

    public Double peakRssMib() {
        return median(o -> o.peakRssKib() > 0 ? o.peakRssKib() / 1024.0 : null);
    }

    public int connections() {
        return runs.getFirst().connections();
    }

    /** A sweep step's offered rate, messages per second in all; null for other workloads. */
    public Double offered() {
        return runs.getFirst().offered();
    }

    /** The notes of the runs, each once. */
    public String notes() {
        return String.join("; ", runs.stream().map(Outcome::note).filter(n -> !n.isEmpty()).distinct().toList());
    }

    /**
     * Groups runs by workload, model, connections (the curve's steps) and offered rate (the
     * sweep's steps), keeping the order in
     * which each first ran.
     */
    public static List<Row> of(List<Outcome> outcomes) {
        return outcomes.stream()
                .map(Row::key)
                .distinct()
                .map(k -> outcomes.stream().filter(o -> key(o).equals(k)).toList())
                .map(runs -> new Row(runs.getFirst().model(), runs.getFirst().workload(), runs))
                .toList();
    }

    private static List<Object> key(Outcome o) {
        return Arrays.asList(o.workload(), o.model(), o.connections(), o.offered());
    }
}
