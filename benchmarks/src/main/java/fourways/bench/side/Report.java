package fourways.bench.side;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side run's results, written three ways: a table for the terminal, JSON for
 * tools, Markdown (with the charts) for people.
 */
public final class Report {
    private static final String[] HEADER = {"workload", "model", "msgs/s", "p50 us", "p99 us", "max us",
        "peak threads", "peak RSS MiB", "errors", "note"};

    private final Map<String, String> settings;
    private final List<Outcome> outcomes;

    /** @param settings how the run was made (mode, client, heap, machine), in the order to print */
    public Report(Map<String, String> settings, List<Outcome> outcomes) {
        this.settings = settings;
        this.outcomes = outcomes;
    }

    private List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        for (Outcome o : outcomes) {
            rows.add(new String[] {o.workload().label(), o.model(),
                o.hasResult() ? String.format(Locale.ROOT, "%,.0f", o.msgsPerSec()) : "-",
                field(o, "p50_us"), field(o, "p99_us"), field(o, "max_us"),
                o.peakThreads() > 0 ? String.valueOf(o.peakThreads()) : "-",
                o.peakRssKib() > 0 ? String.format(Locale.ROOT, "%.0f", o.peakRssKib() / 1024.0) : "-",
                String.valueOf(o.errors()), o.note()});
        }
        return rows;
    }

    private static String field(Outcome o, String name) {
        return o.result().getOrDefault(name, "-");
    }

    /** The comparison table, columns aligned, numbers to the right. */
    public String table() {
        List<String[]> rows = rows();
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) width[i] = HEADER[i].length();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        }
        StringBuilder out = new StringBuilder();
        line(out, HEADER, width);
        String previous = null;
        for (String[] r : rows) {
            if (previous != null && !previous.equals(r[0])) out.append('\n');   // a gap between workloads
            line(out, r, width);
            previous = r[0];
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] width) {
        for (int i = 0; i < cells.length; i++) {
            boolean text = i < 2 || i == cells.length - 1;
            if (i == cells.length - 1) {
                out.append(cells[i]);                 // the note: last, unpadded
                break;
            }
            out.append(String.format(Locale.ROOT, "%" + (text ? "-" : "") + width[i] + "s", cells[i])).append("  ");
        }
        out.append('\n');
    }

    public void writeMarkdown(Path file, List<String> charts) throws IOException {
        StringBuilder md = new StringBuilder("# Side-by-side run\n\n");
        settings.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\nEach server ran in its own process, started afresh for each workload; the load ")
                .append("client ran in another. Peak threads and peak RSS are the server process's, sampled ")
                .append("from /proc every 100 ms (threads include the JVM's own, about 15-20). Latencies come ")
                .append("from the client's RESULT line (PROTOCOL.md rule 18).\n\n");
        md.append('|');
        for (String h : HEADER) md.append(' ').append(h).append(" |");
        md.append("\n|");
        for (int i = 0; i < HEADER.length; i++) md.append(i < 2 || i == HEADER.length - 1 ? "---|" : "---:|");
        md.append('\n');
        for (String[] r : rows()) {
            md.append('|');
            for (String c : r) md.append(' ').append(c.replace("|", "\\|")).append(" |");
            md.append('\n');
        }
        md.append("\nWorkloads:\n\n");
        for (Workload w : outcomes.stream().map(Outcome::workload).distinct().toList()) {
            md.append("- `").append(w.label()).append("`: ").append(w.description()).append('\n');
        }
        md.append('\n');
        for (String chart : charts) {
            md.append("![").append(chart).append("](").append(chart).append(")\n\n");
        }
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    }

    public void writeJson(Path file) throws IOException {
        StringBuilder json = new StringBuilder("{\n  \"settings\": {");
        String sep = "\n";
        for (Map.Entry<String, String> e : settings.entrySet()) {
            json.append(sep).append("    ").append(quote(e.getKey())).append(": ").append(quote(e.getValue()));
            sep = ",\n";
        }
        json.append("\n  },\n  \"runs\": [");
        sep = "\n";
        for (Outcome o : outcomes) {
            json.append(sep).append("    {\"workload\": ").append(quote(o.workload().label()))
                    .append(", \"model\": ").append(quote(o.model()))
                    .append(", \"result\": {");
            String inner = "";
            for (Map.Entry<String, String> e : o.result().entrySet()) {
                json.append(inner).append(quote(e.getKey())).append(": ").append(e.getValue());
                inner = ", ";
            }
            json.append("}, \"errors\": ").append(o.errors())
                    .append(", \"peak_threads\": ").append(o.peakThreads())
                    .append(", \"peak_rss_kib\": ").append(o.peakRssKib())
                    .append(String.format(Locale.ROOT, ", \"wall_seconds\": %.3f", o.wallSeconds()))
                    .append(", \"note\": ").append(quote(o.note())).append('}');
            sep = ",\n";
        }
        json.append("\n  ]\n}\n");
        Files.writeString(file, json.toString(), StandardCharsets.UTF_8);
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }
}
