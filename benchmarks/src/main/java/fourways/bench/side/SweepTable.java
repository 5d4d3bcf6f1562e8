package fourways.bench.side;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * What the sweep and the stall workloads print ({@link Sweep}, {@link Workload#STALL}): every
 * rung of every server, each server's knee, and the stall's two views of one run. Tables of
 * text cells, which {@link Report} lays out for the terminal and for Markdown alike.
 *
 * @param p99BoundUs the knee's tail bound, microseconds, named in the knee table's header
 */
public record SweepTable(List<Row> rows, long p99BoundUs) {

    /** The sweep's rows, grouped by server in the order they ran, each server's rungs rising. */
    public Map<String, List<Row>> byServer() {
        Map<String, List<Row>> out = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.workload() == Workload.SWEEP) out.computeIfAbsent(r.model(), m -> new ArrayList<>()).add(r);
        }
        return out;
    }

    public boolean isEmpty() {
        return byServer().isEmpty();
    }

    /** Each server's knee, empty where no rung qualified. */
    public Map<String, OptionalDouble> knees() {
        Map<String, OptionalDouble> out = new LinkedHashMap<>();
        byServer().forEach((model, steps) -> out.put(model, Sweep.knee(steps, p99BoundUs)));
        return out;
    }

    /** The rungs offered, rising. */
    public List<Double> rungs() {
        return byServer().values().stream().flatMap(List::stream).map(Row::offered).distinct().sorted().toList();
    }

    /** The rate the percentile-distribution chart compares every server at. */
    public double commonRate() {
        return Sweep.commonRate(rungs(), List.copyOf(knees().values()));
    }

    public List<String> stepHeader() {
        return List.of("model", "offered/s", "achieved/s", "p50 us", "p90 us", "p99 us", "p99.9 us", "max us",
                "server us/msg", "late p50/p99 us", "client busy", "errors");
    }

    /**
     * One line per rung: offered and achieved rates, the percentiles from due time, CPU, the
     * client's lateness and busy share; {@code bound} where the client set the pace.
     */
    public List<List<String>> stepCells() {
        List<List<String>> out = new ArrayList<>();
        byServer().forEach((model, steps) -> {
            for (Row r : steps) {
                out.add(List.of(model, num(r.offered(), "%,.0f"), num(r.msgsPerSec(), "%,.0f") + (Sweep.sustained(r) ? "" : " *"),
                        num(r.median(Row.field("p50_us")), "%.0f"), num(r.median(Row.field("p90_us")), "%.0f"),
                        num(r.median(Row.field("p99_us")), "%.0f"), num(r.median(Row.field("p999_us")), "%.0f"),
                        num(r.median(Row.field("max_us")), "%.0f"), num(r.median(Outcome::serverUsPerMessage), "%.2f"),
                        late(r), busy(r), String.valueOf(r.errors())));
            }
        });
        return out;
    }

    public List<String> kneeHeader() {
        return List.of("model", String.format(Locale.ROOT, "knee (msgs/s, p99 <= %,d us)", p99BoundUs),
                "p50 us there", "p99 us there", "first rung not sustained", "client's limit");
    }

    /** A knee with {@code >=} where the rung above it was the client's limit, not the server's. */
    public List<List<String>> kneeCells() {
        List<List<String>> out = new ArrayList<>();
        Map<String, OptionalDouble> knees = knees();
        byServer().forEach((model, steps) -> {
            OptionalDouble k = knees.get(model);
            Row at = k.isEmpty() ? null : steps.stream().filter(s -> s.offered() == k.getAsDouble()).findFirst().orElse(null);
            Row broke = steps.stream().filter(s -> !Sweep.sustained(s)).findFirst().orElse(null);
            String knee = k.isEmpty() ? "none" : (Sweep.kneeIsAtLeast(steps, p99BoundUs) ? ">= " : "")
                    + String.format(Locale.ROOT, "%,.0f", k.getAsDouble());
            OptionalDouble limit = Sweep.clientLimit(steps);
            out.add(List.of(model, knee,
                    at == null ? "-" : num(at.median(Row.field("p50_us")), "%.0f"),
                    at == null ? "-" : num(at.median(Row.field("p99_us")), "%.0f"),
                    broke == null ? "-" : String.format(Locale.ROOT, "%,.0f", broke.offered()),
                    limit.isEmpty() ? "-" : String.format(Locale.ROOT, "%,.0f", limit.getAsDouble())));
        });
        return out;
    }

    /** The stall workload's rows, if the run had it. */
    public List<Row> stalls() {
        return rows.stream().filter(r -> r.workload() == Workload.STALL).toList();
    }

    public List<String> stallHeader() {
        return List.of("model", "timed from", "p50 us", "p99 us", "p99.9 us", "max us", "note");
    }

    /** Two lines per server: the same replies timed from their due time (rule 19) and from when they left. */
    public List<List<String>> stallCells() {
        List<List<String>> out = new ArrayList<>();
        for (Row r : stalls()) {
            out.add(List.of(r.model(), "due time (rule 19)", med(r, "p50_us"), med(r, "p99_us"), med(r, "p999_us"),
                    med(r, "max_us"), r.notes()));
            out.add(List.of(r.model(), "send time (a closed loop's view)", med(r, "from_send_p50_us"),
                    med(r, "from_send_p99_us"), med(r, "from_send_p999_us"), med(r, "from_send_max_us"), ""));
        }
        return out;
    }

    private static String med(Row r, String field) {
        return num(r.median(Row.field(field)), "%.0f");
    }

    /** The client's lateness, {@code p50/p99}, or "-" for a closed loop. */
    static String late(Row r) {
        Function<Outcome, Double> p50 = Row.field("late_p50_us"), p99 = Row.field("late_p99_us");
        Double a = r.median(p50), b = r.median(p99);
        return a == null ? "-" : String.format(Locale.ROOT, "%.1f/%.1f", a, b);
    }

    /**
     * The client loop's busy share; {@code bound} where the client set the pace, {@code tail}
     * where its own lateness made the p99 ({@link Sweep#trusted}).
     */
    static String busy(Row r) {
        Double b = r.median(Row.field("busy"));
        return (b == null ? "-" : String.format(Locale.ROOT, "%.2f", b))
                + (r.clientBound() ? " bound" : Sweep.trusted(r) ? "" : " tail");
    }

    private static String num(Double v, String format) {
        return v == null ? "n/a" : String.format(Locale.ROOT, format, v);
    }
}
