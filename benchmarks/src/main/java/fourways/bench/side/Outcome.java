package fourways.bench.side;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One server under one workload: the client's RESULT line (rule 18), parsed, and what the
 * sampler saw of the server.
 *
 * @param result the RESULT line's fields; empty when the client printed none
 * @param errors the client's error count, or every connection when there was no RESULT line
 * @param note what went wrong, in a few words, or empty
 */
public record Outcome(String model, Workload workload, Map<String, String> result, long errors, int peakThreads,
                      long peakRssKib, double wallSeconds, String note) {

    /** {@code RESULT connections=C messages=N ...} as a map; empty when the line is missing. */
    public static Map<String, String> parse(String resultLine) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (resultLine == null) return fields;
        for (String part : resultLine.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return fields;
    }

    public boolean hasResult() {
        return result.containsKey("msgs_per_sec");
    }

    /** A numeric field of the RESULT line, or -1 when there is none. */
    public double number(String field) {
        String v = result.get(field);
        return v == null ? -1 : Double.parseDouble(v);
    }

    public double msgsPerSec() {
        return number("msgs_per_sec");
    }
}
