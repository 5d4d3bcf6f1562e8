package fourways.bench.side;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The side-by-side run's workloads: the same load client command line (rules 17 to 19) for
 * every server. Each has a quick size (the default: the whole run in about four minutes
 * here) and a full one ({@code --full}), a warm-up that runs first in the same client
 * process (so that client and server are both compiled by the JIT before the clock starts),
 * and a default placement ({@link Placement}).
 */
public enum Workload {
    PING_PONG("ping-pong", "1 connection, ping-pong: latency with nothing else going on",
            List.of("--connections", "1"), 30_000, 100_000, 50_000, 20_000, Placement.SAME),
    PIPELINED("pipelined", "100 connections, 16 frames in flight each: throughput",
            List.of("--connections", "100", "--pipeline", "16"), 20_000, 30_000, 5_000, 5_000, Placement.SPLIT),
    OPEN_LOOP("open-loop", "100 connections, 100 frames/s each on a fixed schedule: latency at a set rate",
            List.of("--connections", "100", "--pipeline", "16", "--rate", "100"), 300, 1_000, 1_000, 1_000,
            Placement.SPLIT),
    /**
     * Not one run but a ladder ({@link Sweep}): the open loop at rising offered rates, from 0.5%
     * to 30% of the fastest server's pipelined peak in the same run, one server process and
     * one client process per ladder. Its sizes are seconds per rung, not frames: see
     * {@link #stepSeconds}.
     */
    SWEEP("sweep", "100 connections, open loop at rising offered rates: latency against load, and each server's knee",
            List.of("--connections", String.valueOf(Sweep.CONNECTIONS)), 0, 0, 0, 0, Placement.SPLIT),
    /**
     * Coordinated omission, measured: the open-loop workload's shape, and the server paused for
     * {@link #STALL_MILLIS} ms (SIGSTOP, then SIGCONT) halfway through the measured run; the
     * client's two histograms then show the same replies timed from when they were due and from
     * when they left, which is all a closed loop can see. One frame in flight a connection
     * (rule 17's K = 1), as a closed loop has: the frames that fall due during the pause wait
     * in the client until the late reply comes, and leave late, which is what a closed loop does
     * without knowing it. With room for 64 in flight every frame left on time, and the two
     * timings were the same (measured: p99 150 ms from due time, 154 ms from send time).
     */
    STALL("stall", "100 connections, 100 frames/s each, one in flight, the server paused 200 ms halfway: latency from due time and from send time",
            List.of("--connections", "100", "--pipeline", "1", "--rate", "100"), 600, 600, 1_000, 1_000,
            Placement.SPLIT),
    C10K("c10k", "10,000 connections at once, a few frames each (--messages says how many): what a connection costs",
            List.of("--connections", "10000"), 10, 30, 0, 0, Placement.SPLIT),
    /**
     * Over TLS (rules 21 to 23): per connection, connect, a full handshake, one 64-byte echo,
     * close, by 4 connections at a time; msgs/s counts connections, server us/msg is the
     * server's CPU per handshake. Its client is {@code HandshakeClient}, not a load run. The
     * quick run's 400 handshakes (2,000 with --full) and pipelined-tls's 30,000 frames (500,000)
     * keep both TLS workloads to about half a minute of the quick run, and about seven minutes of
     * --full's three runs, on a two-core machine (sized when the JDK's engine in the load client
     * set the pace; on OpenSSL's, the default, they end sooner): a handshake costs milliseconds of
     * CPU, every TLS trial starts two JVMs, and pipelined-tls opens its 100 connections twice
     * (warm-up, then measured): 200 handshakes.
     */
    HANDSHAKES("handshakes", "4 at a time: connect, TLS handshake, one echo, close; msgs/s = handshakes/s,"
            + " server us/msg = the server's CPU per handshake",
            List.of("--connections", "4"), 100, 500, 25, 100, Placement.SPLIT),
    /** Pipelined over TLS: what records cost, beside the plain row of the same shape. */
    PIPELINED_TLS("pipelined-tls", "100 TLS connections, 16 frames in flight each: throughput over TLS",
            List.of("--connections", "100", "--pipeline", "16"), 300, 5_000, 100, 1_000, Placement.SPLIT),
    /**
     * Not one run but a curve, {@link #CURVE} connections in turn, each held by a fresh server
     * while one frame goes over each: what a connection costs in memory and threads, as a slope.
     */
    CONNECTIONS("connections", "1,000 to 19,000 connections, one frame each: memory and threads per connection",
            List.of("--connections", "19000"), 1, 1, 0, 0, Placement.SPLIT);

    /** How long the stall workload pauses the server. */
    public static final long STALL_MILLIS = 200;

    /**
     * The connection curve's steps. 19,000 is this project's machines' ceiling: 20,000 open
     * files per process, less what the JVM holds, and server and client in two processes.
     */
    public static final List<Integer> CURVE = List.of(1_000, 5_000, 10_000, 19_000);

    private final String label;
    private final String description;
    private final List<String> shape;
    private final int quickMessages;
    private final int fullMessages;
    private final int quickWarmUp;
    private final int fullWarmUp;
    private final Placement placement;

    Workload(String label, String description, List<String> shape, int quickMessages, int fullMessages,
             int quickWarmUp, int fullWarmUp, Placement placement) {
        this.label = label;
        this.description = description;
        this.shape = shape;
        this.quickMessages = quickMessages;
        this.fullMessages = fullMessages;
        this.quickWarmUp = quickWarmUp;
        this.fullWarmUp = fullWarmUp;
        this.placement = placement;
    }

    @JsonValue
    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Where server and client run unless {@code --pin} says otherwise. */
    public Placement placement() {
        return placement;
    }

    /** How many connections a load client's options ask for ({@code --connections C}). */
    public static int connections(List<String> clientArgs) {
        return Integer.parseInt(clientArgs.get(clientArgs.indexOf("--connections") + 1));
    }

    public int messages(boolean full) {
        return full ? fullMessages : quickMessages;
    }

    /**
     * Frames per connection the client sends first, unreported ({@code --warm-up}, rule 17), in
     * the same process as the measured run: a fresh client JVM would otherwise measure its own
     * interpreter. None for C10K, which measures what connections cost, not speed. A quick
     * ping-pong measures few messages, so it warms up longer first: measured against the full
     * run's ratios between models, 20,000 left them up to 47% apart, 50,000 within 17%. The open
     * loop and the stall, at 100 frames a second, warm up for 10 s: against the C echo floor,
     * with the native open-loop client beside ours (three interleaved rounds, server on CPU 0,
     * clients on CPU 1), a warm-up of 300 frames left our p99 at 1,999 us (median) to the native
     * client's 122, the client's JIT compiling on its own core; 1,000 frames left it at 240.
     */
    public int warmUpMessages(boolean full) {
        return full ? fullWarmUp : quickWarmUp;
    }

    /**
     * The client's limit for the run (rule 17's {@code --timeout}); the process gets 20 s more.
     * A server that cannot hold 10,000 connections may stall rather than fail: the quick run
     * gives it 45 seconds.
     */
    public int timeoutSeconds(boolean full) {
        return full ? 300 : (this == C10K ? 45 : 60);
    }

    /** The load client's options: the shape, the sizes, the limit, the warm-up. */
    public List<String> clientArgs(boolean full) {
        List<String> args = new ArrayList<>(shape);
        args.addAll(List.of("--messages", String.valueOf(messages(full)), "--timeout",
                String.valueOf(timeoutSeconds(full))));
        int warmUp = warmUpMessages(full);
        if (warmUp > 0) args.addAll(List.of("--warm-up", String.valueOf(warmUp)));
        return args;
    }

    /** The shape with {@code messages} frames per connection and no warm-up: a smoke test's run. */
    public List<String> clientArgs(int messages) {
        List<String> args = new ArrayList<>(shape);
        args.addAll(List.of("--messages", String.valueOf(messages), "--timeout", "60"));
        return args;
    }

    /** One step of the connection curve: N connections, one frame each, two minutes at most. */
    public static List<String> curveArgs(int connections) {
        return List.of("--connections", String.valueOf(connections), "--messages", "1", "--timeout", "120");
    }

    /** A sweep rung's measured seconds: long enough for a p99 of thousands of replies. */
    public static double stepSeconds(boolean full) {
        return full ? 2.0 : 1.0;
    }

    /** The workloads of --full: the quick run's, the stall, and the connection curve. */
    public static List<Workload> fullSet() {
        return List.of(PING_PONG, PIPELINED, SWEEP, OPEN_LOOP, STALL, C10K, HANDSHAKES, PIPELINED_TLS, CONNECTIONS);
    }

    /**
     * Whether a server {@linkplain fourways.bench.Variant variant} (a model with JVM flags of its
     * own, for a lab such as chapter 7's pollers) runs this workload: latency and throughput,
     * not what the model costs per connection or over TLS, which the plain row already shows.
     */
    public boolean forVariants() {
        return this == PING_PONG || this == PIPELINED || this == SWEEP;
    }

    /** Whether its client runs an open loop (rule 19): its rows show the client's lateness. */
    public boolean openLoop() {
        return this == OPEN_LOOP || this == SWEEP || this == STALL;
    }

    /** Why this workload cannot run on this platform, or null: the stall needs POSIX signals. */
    public String whyNotHere() {
        if (this == STALL && System.getProperty("os.name", "").startsWith("Windows")) {
            return "the stall pauses the server with SIGSTOP, which Windows does not have";
        }
        return null;
    }

    /** Whether its servers and client speak TLS. */
    public boolean tls() {
        return this == HANDSHAKES || this == PIPELINED_TLS;
    }

    /**
     * The workloads of a quick run, about four minutes here with five servers (238 s of trials,
     * 2026-12-06; with six, 255 to 283 s). Not the fixed-rate open loop: its thousand warm-up
     * frames at 100 a second took 82 of the quick run's 356 seconds (2026-12-05), and the
     * sweep's lowest rungs ask the same question at the same rates; --full keeps it.
     */
    public static List<Workload> quickSet() {
        return List.of(PING_PONG, PIPELINED, SWEEP, C10K, HANDSHAKES, PIPELINED_TLS);
    }

    @JsonCreator
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
