package fourways.bench.side;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The connection curve ({@link Workload#CONNECTIONS}): per model, the server's peak threads and
 * resident memory at 1,000 to 19,000 connections, and what one more connection costs, the
 * slope of a straight line fitted through the steps (least squares), so that the memory a JVM
 * holds anyway does not count.
 */
public final class Curve {
    /** One model's steps, in the order of the connections. */
    public record Model(String name, List<Row> steps) {
        /** Resident KiB per connection: the slope of peak RSS over connections; NaN with fewer than two steps. */
        public double kibPerConnection() {
            return slope(r -> r.peakRssMib() == null ? null : r.peakRssMib() * 1024);
        }

        /** Threads per connection, the same way: about 1 for a thread per connection, about 0 otherwise. */
        public double threadsPerConnection() {
            return slope(Row::peakThreads);
        }

        private double slope(java.util.function.Function<Row, Double> y) {
            List<double[]> points = new ArrayList<>();
            for (Row r : steps) {
                Double v = y.apply(r);
                if (v != null) points.add(new double[] {r.connections(), v});
            }
            if (points.size() < 2) return Double.NaN;
            double mx = points.stream().mapToDouble(p -> p[0]).average().orElse(0);
            double my = points.stream().mapToDouble(p -> p[1]).average().orElse(0);
            double sxy = 0, sxx = 0;
            for (double[] p : points) {
                sxy += (p[0] - mx) * (p[1] - my);
                sxx += (p[0] - mx) * (p[0] - mx);
            }
            return sxx == 0 ? Double.NaN : sxy / sxx;
        }
    }

    private final List<Model> models = new ArrayList<>();

    public Curve(List<Row> rows) {
        Map<String, List<Row>> byModel = new LinkedHashMap<>();
        for (Row r : rows) {
            if (r.workload() == Workload.CONNECTIONS) byModel.computeIfAbsent(r.model(), m -> new ArrayList<>()).add(r);
        }
        byModel.forEach((name, steps) -> models.add(new Model(name, steps.stream()
                .sorted((a, b) -> Integer.compare(a.connections(), b.connections())).toList())));
    }

    public boolean isEmpty() {
        return models.isEmpty();
    }

    public List<Model> models() {
        return models;
    }

    /** A few lines: per model, threads and MiB at each step, then the slopes. */
    public String summary() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-16s", "connections"));
        List<Integer> steps = models.stream().flatMap(m -> m.steps().stream().map(Row::connections)).distinct()
                .sorted().toList();
        for (int n : steps) out.append(String.format(Locale.ROOT, "%22s", String.format(Locale.ROOT, "%,d", n)));
        out.append(String.format(Locale.ROOT, "%14s%14s%n", "KiB/conn", "threads/conn"));
        for (Model m : models) {
            out.append(String.format(Locale.ROOT, "%-16s", m.name()));
            for (int n : steps) {
                Row r = m.steps().stream().filter(s -> s.connections() == n).findFirst().orElse(null);
                String cell = r == null ? "-" : String.format(Locale.ROOT, "%s thr %s MiB%s",
                        r.peakThreads() == null ? "n/a" : String.format(Locale.ROOT, "%,.0f", r.peakThreads()),
                        r.peakRssMib() == null ? "n/a" : String.format(Locale.ROOT, "%,.0f", r.peakRssMib()),
                        r.errors() == 0 ? "" : " E" + r.errors());
                out.append(String.format(Locale.ROOT, "%22s", cell));
            }
            out.append(String.format(Locale.ROOT, "%14s%14s%n", fixed(m.kibPerConnection(), "%.2f"),
                    fixed(m.threadsPerConnection(), "%.3f")));
        }
        return out.toString();
    }

    private static String fixed(double v, String format) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, format, v);
    }
}
