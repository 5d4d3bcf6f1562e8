package fourways.bench.side;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The side-by-side run's results, written three ways: a table for the terminal, JSON for
 * tools (through Jackson, and read back the same way), Markdown (with the charts) for people.
 * Every row says where it ran, what each message cost the server and the client in CPU, and
 * whether the client, not the server, was the limit.
 */
public final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What results.json holds; the summary rows it also holds are derived, and not read back. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Results(Map<String, String> settings, List<Outcome> runs) {}

    private final Map<String, String> settings;
    private final List<Outcome> outcomes;
    /** The main table's rows: every workload but the sweep, whose rungs have a table of their own. */
    private final List<Row> rows;
    private final SweepTable sweep;
    private final boolean repeated;
    /** Whether any row ran an open loop: then the table shows the client's lateness. */
    private final boolean openLoop;

    /** @param settings how the run was made (mode, client, placement, machine), in the order to print */
    public Report(Map<String, String> settings, List<Outcome> outcomes) {
        this(settings, outcomes, Sweep.DEFAULT_P99_BOUND_US);
    }

    /** @param kneeP99Us the sweep's knee bound ({@link Sweep#knee}) */
    public Report(Map<String, String> settings, List<Outcome> outcomes, long kneeP99Us) {
        this.settings = settings;
        this.outcomes = outcomes;
        List<Row> all = Row.of(outcomes);
        this.rows = all.stream().filter(r -> r.workload() != Workload.SWEEP).toList();
        this.sweep = new SweepTable(all, kneeP99Us);
        this.repeated = all.stream().anyMatch(r -> r.runs().size() > 1);
        this.openLoop = rows.stream().anyMatch(r -> r.workload().openLoop());
    }

    /** The sweep's rungs, knees and the stall's two views, for the charts and the tests. */
    public SweepTable sweep() {
        return sweep;
    }

    // ---- the rows, as text ----

    private List<String> header() {
        List<String> h = new ArrayList<>(List.of("workload", "model", "pin", "msgs/s"));
        if (repeated) h.add("min-max");
        h.addAll(List.of("p50 us", "p99 us", "max us"));
        if (openLoop) h.add("late p50/p99 us");
        h.addAll(List.of("server us/msg", "client us/msg", "client core", "threads", "RSS MiB", "errors", "note"));
        return h;
    }

    private List<List<String>> cells(List<Row> which) {
        List<List<String>> out = new ArrayList<>();
        for (Row r : which) {
            List<String> c = new ArrayList<>(List.of(
                    r.workload() == Workload.CONNECTIONS ? String.format(Locale.ROOT, "%,d conns", r.connections())
                            : r.workload().label(), r.model(), r.placement(), number(r.msgsPerSec(), "%,.0f")));
            if (repeated) {
                c.add(r.runs().size() < 2 || r.msgsPerSecMin() == null ? "-" : String.format(Locale.ROOT,
                        "%,.0f-%,.0f", r.msgsPerSecMin(), r.msgsPerSecMax()));
            }
            c.add(number(r.median(Row.field("p50_us")), "%.0f"));
            c.add(number(r.median(Row.field("p99_us")), "%.0f"));
            c.add(number(r.median(Row.field("max_us")), "%.0f"));
            if (openLoop) c.add(SweepTable.late(r));
            c.add(number(r.median(Outcome::serverUsPerMessage), "%.2f"));
            c.add(number(r.median(Outcome::clientUsPerMessage), "%.2f"));
            Double share = r.median(Outcome::clientCoreShare);
            c.add(share == null ? "n/a" : String.format(Locale.ROOT, "%.0f%%%s", share * 100,
                    r.clientBound() ? " bound" : ""));
            c.add(number(r.peakThreads(), "%.0f"));
            c.add(number(r.peakRssMib(), "%.0f"));
            c.add(String.valueOf(r.errors()));
            c.add(r.notes());
            out.add(c);
        }
        return out;
    }

    /** A figure, or "n/a" where it could not be had: never a 0 that reads as a result. */
    private static String number(Double v, String format) {
        return v == null ? "n/a" : String.format(Locale.ROOT, format, v);
    }

    /** The comparison table, columns aligned, numbers to the right. */
    public String table() {
        List<String> header = header();
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(cells(rows));
        int[] width = new int[header.size()];
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) width[i] = Math.max(width[i], r.get(i).length());
        }
        StringBuilder out = new StringBuilder();
        String previous = null;
        for (List<String> r : all) {
            String group = r == header ? null : r.get(0).endsWith("conns") ? "conns" : r.get(0);
            if (previous != null && !previous.equals(group)) out.append('\n');   // a gap between workloads
            for (int i = 0; i < r.size(); i++) {
                boolean text = i < 3 || i == r.size() - 1;
                if (i == r.size() - 1) {
                    out.append(r.get(i));                 // the note: last, unpadded
                    break;
                }
                out.append(String.format(Locale.ROOT, "%" + (text ? "-" : "") + width[i] + "s", r.get(i))).append("  ");
            }
            out.append('\n');
            previous = group;
        }
        Curve curve = new Curve(rows);
        if (!curve.isEmpty()) out.append('\n').append(curve.summary());
        if (!sweep.isEmpty()) {
            out.append("\nThe sweep, every rung (latency from due time; * = not sustained, under 95% of offered;"
                            + " bound = the client set the pace, tail = its own lateness made the p99):\n\n")
                    .append(columns(sweep.stepHeader(), sweep.stepCells()))
                    .append("\nKnees:\n\n").append(columns(sweep.kneeHeader(), sweep.kneeCells()));
        }
        if (!sweep.stalls().isEmpty()) {
            out.append("\nThe stall (the server paused ").append(Workload.STALL_MILLIS)
                    .append(" ms halfway), one run timed two ways:\n\n")
                    .append(columns(sweep.stallHeader(), sweep.stallCells()));
        }
        return out.toString();
    }

    /** A plain table: columns aligned, the first and the last left, the rest right. */
    private static String columns(List<String> header, List<List<String>> cells) {
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(cells);
        int[] width = new int[header.size()];
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) width[i] = Math.max(width[i], r.get(i).length());
        }
        StringBuilder out = new StringBuilder();
        for (List<String> r : all) {
            for (int i = 0; i < r.size(); i++) {
                boolean left = i == 0 || (i == r.size() - 1 && header.getLast().equals("note"));
                out.append(String.format(Locale.ROOT, "%" + (left ? "-" : "") + width[i] + "s", r.get(i)));
                out.append(i == r.size() - 1 ? "" : "  ");
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void markdownTable(StringBuilder md, List<String> header, List<List<String>> cells) {
        md.append('|');
        for (String h : header) md.append(' ').append(h).append(" |");
        md.append("\n|");
        for (int i = 0; i < header.size(); i++) md.append(i == 0 ? "---|" : "---:|");
        md.append('\n');
        for (List<String> r : cells) {
            md.append('|');
            for (String c : r) md.append(' ').append(c.replace("|", "\\|")).append(" |");
            md.append('\n');
        }
    }

    public void writeMarkdown(Path file, List<String> charts) throws IOException {
        StringBuilder md = new StringBuilder("# Side-by-side run\n\n");
        settings.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\nEach server ran in its own process, started afresh for each run; the load client ran in ")
                .append("another, its warm-up first (`--warm-up`, not reported), then the measured run. ")
                .append("`pin` says where they ran (`same`: both on CPU 0; `split`: server on CPU 0, client on CPU 1). ")
                .append("`server us/msg` and `client us/msg` are each process's CPU time (user + system, from ")
                .append("/proc/PID/stat) in the measured window over the messages; `client core` is the share of ")
                .append("one core the client used, `bound` where it passed ")
                .append(Math.round(Outcome.CLIENT_BOUND_SHARE * 100))
                .append("%: such a row measured the client as much as the server. Threads and RSS are the ")
                .append("server's peaks, sampled every 50 ms (threads include the JVM's own, about 15-20). ")
                .append("Latencies come from the client's RESULT line (PROTOCOL.md rule 18).");
        md.append(repeated ? " Each figure is the median of the runs; `min-max` is the spread of msgs/s.\n\n"
                : " Each row is one run (a quick run): take its ratios as a first look, `--full` for figures.\n\n");
        List<String> header = header();
        md.append('|');
        for (String h : header) md.append(' ').append(h).append(" |");
        md.append("\n|");
        for (int i = 0; i < header.size(); i++) md.append(i < 3 || i == header.size() - 1 ? "---|" : "---:|");
        md.append('\n');
        for (List<String> r : cells(rows)) {
            md.append('|');
            for (String c : r) md.append(' ').append(c.replace("|", "\\|")).append(" |");
            md.append('\n');
        }
        Curve curve = new Curve(rows);
        if (!curve.isEmpty()) md.append("\nThe connection curve:\n\n```\n").append(curve.summary()).append("```\n");
        if (!sweep.isEmpty()) {
            md.append("\n## The sweep\n\n").append(settings.getOrDefault("sweep", "")).append(". Latency from due")
                    .append(" time (rule 19); `*`: not sustained (under 95% of offered); `late`: how late the client's")
                    .append(" frames left, its own resolution; `client busy`: the share of the time its loop worked,")
                    .append(" `bound` where it set the pace, `tail` where its own lateness made the p99: such rungs count")
                    .append(" for no knee.\n\n");
            markdownTable(md, sweep.kneeHeader(), sweep.kneeCells());
            md.append('\n');
            markdownTable(md, sweep.stepHeader(), sweep.stepCells());
        }
        if (!sweep.stalls().isEmpty()) {
            md.append("\n## The stall\n\nThe server paused (SIGSTOP, SIGCONT) for ").append(Workload.STALL_MILLIS)
                    .append(" ms halfway through an open-loop run; the same replies timed from when each frame was due")
                    .append(" and from when it left, which is all a closed loop can see (coordinated omission).\n\n");
            markdownTable(md, sweep.stallHeader(), sweep.stallCells());
        }
        md.append("\nWorkloads:\n\n");
        for (Workload w : rows.stream().map(Row::workload).distinct().toList()) {
            md.append("- `").append(w.label()).append("`: ").append(w.description()).append('\n');
        }
        md.append('\n');
        for (String chart : charts) {
            md.append("![").append(chart).append("](").append(chart).append(")\n\n");
        }
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    // ---- JSON ----

    public void writeJson(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.set("settings", JSON.valueToTree(settings));
        var summary = root.putArray("rows");
        List<Row> everyRow = new ArrayList<>(rows);
        everyRow.addAll(sweep.byServer().values().stream().flatMap(List::stream).toList());
        for (Row r : everyRow) {
            ObjectNode n = summary.addObject();
            n.put("workload", r.workload().label());
            n.put("model", r.model());
            n.put("connections", r.connections());
            if (r.offered() != null) {
                n.put("offered_msgs_per_sec", r.offered());
                n.put("sustained", Sweep.sustained(r));
            }
            n.put("placement", r.placement());
            n.put("runs", r.runs().size());
            spread(n, "msgs_per_sec", r, Row.field("msgs_per_sec"));
            spread(n, "p50_us", r, Row.field("p50_us"));
            spread(n, "p90_us", r, Row.field("p90_us"));
            spread(n, "p99_us", r, Row.field("p99_us"));
            spread(n, "p999_us", r, Row.field("p999_us"));
            spread(n, "max_us", r, Row.field("max_us"));
            if (r.workload().openLoop()) {
                spread(n, "late_p50_us", r, Row.field("late_p50_us"));
                spread(n, "late_p99_us", r, Row.field("late_p99_us"));
                spread(n, "from_send_p99_us", r, Row.field("from_send_p99_us"));
                spread(n, "from_send_max_us", r, Row.field("from_send_max_us"));
            }
            spread(n, "server_cpu_us_per_msg", r, Outcome::serverUsPerMessage);
            spread(n, "client_cpu_us_per_msg", r, Outcome::clientUsPerMessage);
            spread(n, "client_core_share", r, Outcome::clientCoreShare);
            n.put("client_bound", r.clientBound());
            n.putPOJO("peak_threads", r.peakThreads());
            n.putPOJO("peak_rss_mib", r.peakRssMib());
            n.put("errors", r.errors());
        }
        if (!sweep.isEmpty()) {
            ObjectNode knees = root.putObject("knees");
            knees.put("p99_bound_us", sweep.p99BoundUs());
            sweep.knees().forEach((model, k) -> knees.putPOJO(model, k.isPresent() ? k.getAsDouble() : null));
            root.put("sweep_common_rate", sweep.commonRate());
        }
        root.set("runs", JSON.valueToTree(outcomes));
        JSON.writeValue(file.toFile(), root);
    }

    private static void spread(ObjectNode n, String name, Row r, Function<Outcome, Double> figure) {
        ObjectNode s = n.putObject(name);
        s.putPOJO("median", r.median(figure));
        s.putPOJO("min", r.min(figure));
        s.putPOJO("max", r.max(figure));
    }

    /** Reads what {@link #writeJson} wrote: the settings and every run. */
    public static Results readJson(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Results.class);
    }

    public List<Row> rows() {
        return rows;
    }
}
