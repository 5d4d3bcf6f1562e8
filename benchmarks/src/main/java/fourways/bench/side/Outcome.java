package fourways.bench.side;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One server under one workload, once: the client's RESULT line (rule 18), parsed, what the
 * samplers saw of the server, and the CPU both processes spent in the measured window.
 *
 * @param repeat which run of this trial it was, from 1 ({@code --full} runs each three times)
 * @param connections how many connections the client was asked to open
 * @param result the RESULT line's fields; empty when the client printed none
 * @param errors the client's error count, or every connection when there was no RESULT line
 * @param placement where the two processes ran ({@link Placement#label()})
 * @param clientCpuSeconds the load client's CPU time (user + system) in the measured window;
 *     null where it could not be sampled
 * @param serverCpuSeconds the server's, likewise
 * @param baseRssKib the server's resident memory before the client connected (its first sample)
 * @param note what went wrong, in a few words, or empty
 * @param offered a sweep step's offered rate, messages per second for all connections (rule
 *     19's rate times the connections); null for every other workload
 */
@JsonIgnoreProperties(ignoreUnknown = true)         // the derived figures below are written, not read
public record Outcome(String model, Workload workload, int repeat, int connections, Map<String, String> result,
                      long errors,
                      int peakThreads, long peakRssKib, double wallSeconds, String placement,
                      Double clientCpuSeconds, Double serverCpuSeconds, long baseRssKib, String note,
                      Double offered) {

    /** Above this share of one core, the client, not the server, set the pace: the row says so. */
    public static final double CLIENT_BOUND_SHARE = 0.9;

    /** What a skipped row's note starts with. */
    public static final String SKIPPED = "skipped: ";

    /**
     * A trial that did not run, and why (a model without TLS yet, an engine that does not load
     * here): a row with no figures and no errors, whose note says so, never a failure.
     */
    public static Outcome skipped(String model, Workload workload, int connections, String placement, String why) {
        return new Outcome(model, workload, 1, connections, Map.of(), 0, 0, 0, 0, placement, null, null, 0,
                SKIPPED + why, null);
    }

    /** The trial did not run ({@link #skipped}); its note says why. */
    @JsonProperty("skipped")
    public boolean isSkipped() {
        return note.startsWith(SKIPPED);
    }

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

    /** The client's CPU microseconds per verified message in the measured window, or null. */
    @JsonProperty("client_cpu_us_per_msg")
    public Double clientUsPerMessage() {
        return perMessage(clientCpuSeconds);
    }

    @JsonProperty("server_cpu_us_per_msg")
    public Double serverUsPerMessage() {
        return perMessage(serverCpuSeconds);
    }

    /** How much of one core the client used while measuring (1.0 = a whole core), or null. */
    @JsonProperty("client_core_share")
    public Double clientCoreShare() {
        double seconds = number("seconds");
        return clientCpuSeconds == null || seconds <= 0 ? null : clientCpuSeconds / seconds;
    }

    /**
     * Whether this row measured the client as much as the server. A closed loop: the client
     * used more than 90% of a core. An open loop spins before every due frame by design
     * ({@code Pacer}), so its core share says nothing; there the signs are lateness, more than
     * half the median latency the client's own delay in sending (rule 19's
     * {@code late_p50_us} against {@code p50_us}), and its loop's busy share, more than 90% of
     * the time working rather than waiting ({@code busy}): such a loop reads replies late too.
     */
    @JsonProperty("client_bound")
    public boolean clientBound() {
        if (result.containsKey("late_p50_us")) {
            return number("late_p50_us") > number("p50_us") / 2
                    || (result.containsKey("busy") && number("busy") > CLIENT_BOUND_SHARE);
        }
        Double share = clientCoreShare();
        return share != null && share > CLIENT_BOUND_SHARE;
    }

    /**
     * What each connection cost the server in resident memory: the peak less the memory before
     * any client came, over the connections; 0 without both figures.
     */
    @JsonProperty("server_rss_kib_per_connection")
    public double rssKibPerConnection() {
        return connections() == 0 || baseRssKib == 0 ? 0 : (double) (peakRssKib - baseRssKib) / connections();
    }

    private Double perMessage(Double cpuSeconds) {
        double messages = number("messages");
        return cpuSeconds == null || messages <= 0 ? null : cpuSeconds * 1e6 / messages;
    }
}
