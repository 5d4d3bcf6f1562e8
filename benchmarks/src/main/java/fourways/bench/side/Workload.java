package fourways.bench.side;

import java.util.ArrayList;
import java.util.List;

/**
 * The side-by-side run's workloads: the same load client command line (rules 17 to 19) for
 * every server. Each has a quick size (the default: the whole run in about two minutes) and a
 * full one ({@code --full}).
 */
public enum Workload {
    PING_PONG("ping-pong", "1 connection, ping-pong: latency with nothing else going on",
            List.of("--connections", "1"), 20_000, 300_000, true),
    PIPELINED("pipelined", "100 connections, 16 frames in flight each: throughput",
            List.of("--connections", "100", "--pipeline", "16"), 2_000, 30_000, true),
    OPEN_LOOP("open-loop", "100 connections, 100 frames/s each on a fixed schedule: latency at a set rate",
            List.of("--connections", "100", "--pipeline", "16", "--rate", "100"), 200, 3_000, true),
    C10K("c10k", "10,000 connections at once, 10 frames each: what a connection costs",
            List.of("--connections", "10000"), 10, 30, false);

    private final String label;
    private final String description;
    private final List<String> shape;
    private final int quickMessages;
    private final int fullMessages;
    private final boolean warmUp;

    Workload(String label, String description, List<String> shape, int quickMessages, int fullMessages,
             boolean warmUp) {
        this.label = label;
        this.description = description;
        this.shape = shape;
        this.quickMessages = quickMessages;
        this.fullMessages = fullMessages;
        this.warmUp = warmUp;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** How many connections the load client opens. */
    public int connections() {
        return Integer.parseInt(shape.get(shape.indexOf("--connections") + 1));
    }

    public int messages(boolean full) {
        return full ? fullMessages : quickMessages;
    }

    /**
     * The client's limit for the run (rule 17's {@code --timeout}); the process gets 20 s more.
     * A server that cannot hold 10,000 connections may stall rather than fail: the quick run
     * gives it 45 seconds.
     */
    public int timeoutSeconds(boolean full) {
        return full ? 300 : (this == C10K ? 45 : 60);
    }

    /** The load options of the measured run. */
    public List<String> clientArgs(boolean full) {
        List<String> args = new ArrayList<>(shape);
        args.addAll(List.of("--messages", String.valueOf(messages(full)), "--timeout",
                String.valueOf(timeoutSeconds(full))));
        return args;
    }

    /**
     * A tenth of the run, closed loop, before measuring: the server's JIT compiles its hot
     * path first, so a short quick run does not mostly measure the interpreter. Null for C10K,
     * which measures what connections cost, not speed.
     */
    public List<String> warmUpArgs(boolean full) {
        if (!warmUp) return null;
        List<String> args = new ArrayList<>(shape.subList(0, 2));
        args.addAll(List.of("--pipeline", "4", "--messages", String.valueOf(Math.max(1, messages(full) / 10)),
                "--timeout", "60"));
        return args;
    }

    public static Workload byLabel(String label) {
        for (Workload w : values()) {
            if (w.label.equalsIgnoreCase(label) || w.name().equalsIgnoreCase(label)) return w;
        }
        throw new IllegalArgumentException("no workload named '" + label + "'");
    }

    @Override
    public String toString() {
        return label;
    }
}
