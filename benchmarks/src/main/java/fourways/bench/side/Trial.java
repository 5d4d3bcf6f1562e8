package fourways.bench.side;

import fourways.bench.ChildProcess;
import fourways.bench.Contender;
import fourways.bench.Entrant;
import fourways.bench.HandshakeClient;
import fourways.bench.ServerProcess;
import fourways.bench.TlsLoadClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One server under one workload, once, for the side-by-side run: start the server, run the
 * load client (its warm-up, then the measured run, in one process; for the sweep, its warm-up
 * and then every rung), stop both, and say how it went. Both processes are sampled: the
 * server's threads and memory, and the CPU time each spent in each measured window. Every
 * process it starts is stopped before {@link #run} returns, and every wait has a limit.
 */
public final class Trial {
    /** The client is the same for every server; its heap only needs to be large enough. */
    public static final List<String> CLIENT_JVM = List.of("-Xms1g", "-Xmx1g");
    /**
     * Every server runs without its idle limit (rule 13), as the yardsticks' method does: a
     * connect storm that keeps early connections waiting must not be cut short by it, and no
     * model pays for an idle sweeper the others do not have.
     */
    public static final List<String> SERVER_ARGS = List.of("--idle-timeout", "0");
    /** How often a long run reports how far it is. */
    private static final long TICK_MILLIS = 5_000;

    /** A server (the project's, or one brought with --server), the client that drives it, where, how big a run. */
    public record Setup(Entrant server, Contender loader, List<String> serverJvm, Placement placement,
                        boolean full, PrintStream progress) {}

    /**
     * The trial's one client run: its options, and for the sweep the rates its rungs offer, in
     * order (messages per second in all; {@link Sweep#ladderArgs}), empty otherwise.
     */
    public record Step(List<String> clientArgs, List<Double> rungs) {
        public static Step of(List<String> clientArgs) {
            return new Step(clientArgs, List.of());
        }

        /** The RESULT lines the client prints: one a rung, one for any other run. */
        int results() {
            return Math.max(1, rungs.size());
        }

        /** The rate the {@code i}th measured run offered; null where it is not a rung. */
        Double offered(int i) {
            return rungs.isEmpty() ? null : rungs.get(i);
        }
    }

    private final String title;
    private final Setup setup;
    private final Workload workload;
    private final Step step;
    private final int repeat;
    /** Where each client writes its latency histograms ({@code --hgrm}); null: nowhere. */
    private final Path histograms;

    /** @param index this trial's number, from 1 to {@code total}, for the progress lines */
    public Trial(int index, int total, Setup setup, Workload workload, Step step, int repeat, Path histograms) {
        this.title = String.format(Locale.ROOT, "[%2d/%d] %-16s %-10s", index, total, setup.server().label(),
                workload == Workload.CONNECTIONS ? Workload.connections(step.clientArgs()) + " conns"
                        : workload.label());
        this.setup = setup;
        this.workload = workload;
        this.step = step;
        this.repeat = repeat;
        this.histograms = histograms;
    }

    public List<Outcome> run() throws InterruptedException {
        setup.progress().println(title + " " + workload.description());
        List<Outcome> outcomes = new ArrayList<>();
        ServerProcess process = null;
        ProcessSampler server = null;
        String started = "";
        try {
            process = ServerProcess.start(setup.placement().server(), setup.server(), setup.serverJvm(),
                    SERVER_ARGS.toArray(String[]::new));
            server = new ProcessSampler(process.pid());
        } catch (IOException e) {
            started = "server did not start: " + firstLine(e.getMessage());
        }
        try {
            ServerProcess running = process;
            ProcessSampler sampler = server;
            String missing = process == null ? started : client(process, server, m -> add(outcomes, m, running, sampler));
            // The runs whose RESULT line never came: each a row of its own, with no figures and the reason.
            while (outcomes.size() < step.results()) add(outcomes, new ClientRun(Map.of(), missing, null, 0), process, server);
        } finally {
            if (server != null) server.close();
            if (process != null) process.close();
        }
        return outcomes;
    }

    /** A measured run's row, said at once in the progress, with the server's state as of now. */
    private void add(List<Outcome> outcomes, ClientRun measured, ServerProcess process, ProcessSampler server) {
        String note = measured.note;
        if (process != null) {
            String complaint = lastComplaint(process.process().tail());
            if (!process.process().isAlive()) {
                note = join(note, "server exited: " + complaint);
            } else if (!complaint.isEmpty()) {
                note = join(note, "server: " + complaint);
            }
        }
        outcomes.add(outcome(outcomes.size(), measured, server, note));
        setup.progress().println(summary(outcomes.getLast()));
    }

    private Outcome outcome(int i, ClientRun measured, ProcessSampler server, String note) {
        Map<String, String> result = measured.result;
        // No RESULT line at all: every connection of the run counts as failed (rule 18's spirit).
        int connections = Workload.connections(step.clientArgs());
        long errors = result.containsKey("errors") ? Long.parseLong(result.get("errors")) : connections;
        Double serverCpu = measured.window == null || server == null ? null : measured.window.cpu(server);
        return new Outcome(setup.server().label(), workload, repeat, connections, result, errors,
                server == null ? 0 : server.peakThreads(), server == null ? 0 : server.peakRssKib(),
                measured.wallSeconds, setup.placement().label(),
                measured.window == null ? null : measured.window.clientCpu(), serverCpu,
                server == null ? 0 : server.firstRssKib(), note, step.offered(i));
    }

    /**
     * Where a measured run's histograms go: one prefix per server, workload, run and rung, so
     * that no two trials of a run share a file. A rung's is its trial's with the offered rate
     * after it, as the client of a ladder names them itself (rule 19): {@code --hgrm} gets the
     * prefix with {@code offered} null.
     */
    public static Path hgrmPrefix(Path folder, String model, Workload workload, Double offered, int repeat) {
        String rung = offered == null ? "" : String.format(Locale.ROOT, ".%.0f", offered);
        return folder.resolve(model + "." + workload.label() + ".r" + repeat + rung);
    }

    /**
     * Runs the load client to its end, or kills it at its limit; samples its CPU meanwhile.
     * Hands each measured run to {@code measured} as it settles, in order; returns why the
     * runs not handed on have no RESULT line.
     */
    private String client(ServerProcess process, ProcessSampler serverSampler, Consumer<ClientRun> measured)
            throws InterruptedException {
        try {
            return clientRun(process, serverSampler, measured);
        } catch (IOException e) {
            return "client did not start: " + firstLine(e.getMessage());
        }
    }

    private String clientRun(ServerProcess process, ProcessSampler serverSampler, Consumer<ClientRun> measured)
            throws IOException, InterruptedException {
        List<String> clientArgs = step.clientArgs();
        List<String> command = new ArrayList<>(setup.placement().client());
        // Handshakes are not a load run (rules 17 to 19) but connections one after another: a client
        // of their own. pipelined-tls is the model's load run, its engines the JDK's or OpenSSL's.
        command.addAll(workload == Workload.HANDSHAKES ? HandshakeClient.command(setup.loader(), CLIENT_JVM)
                : workload == Workload.PIPELINED_TLS ? TlsLoadClient.command(setup.loader(), CLIENT_JVM)
                : ServerProcess.command(setup.loader(), CLIENT_JVM, "client"));
        command.addAll(List.of("--host", process.address().getAddress().getHostAddress(),
                "--port", String.valueOf(process.address().getPort())));
        command.addAll(clientArgs);
        if (writesHistograms()) {
            Path prefix = hgrmPrefix(histograms, setup.server().label(), workload, null, repeat);
            command.addAll(List.of("--hgrm", prefix.toString()));
        }
        // Each measured run has a --timeout of its own; the warm-up and the JVM's start fit in the 20 s.
        long limitMillis = (timeoutSeconds(clientArgs) * step.results() + 20) * 1000L;
        long t0 = System.nanoTime();
        try (ChildProcess c = new ChildProcess(setup.loader().label() + "-client", command,
                l -> l.startsWith("RESULT "));
             ProcessSampler client = new ProcessSampler(c.pid());
             Stall stall = workload == Workload.STALL
                     ? Stall.start(process.pid(), c, stallAfterMillis(clientArgs), limitMillis) : null) {
            ResultLines lines = new ResultLines(c, step.results());
            Integer status = lines.read(limitMillis, TICK_MILLIS,
                    () -> setup.progress().printf(Locale.ROOT, "         %.0f s: server %d threads, %.0f MiB resident%n",
                            (System.nanoTime() - t0) / 1e9, serverSampler.threads(), serverSampler.rssKib() / 1024.0),
                    (i, line, seconds) -> measured.accept(settled(i, line, seconds, c, client, stall)));
            return status == null ? "client killed after " + limitMillis / 1000 + " s"
                    : "client exited " + status + " without a RESULT line: " + lastComplaint(c.tail());
        }
    }

    /** A measured run from its RESULT line, once it has settled ({@link ResultLines}). */
    private ClientRun settled(int i, ChildProcess.Kept line, double seconds, ChildProcess c, ProcessSampler client,
                              Stall stall) throws InterruptedException {
        Map<String, String> result = Outcome.parse(line.line());
        Window window = null;
        if (result.containsKey("seconds")) {
            // Rule 18: `seconds` runs from the moment every connection was open to the last reply:
            // the measured window, without the warm-up and the JVM's start. Its line is printed as
            // it ends.
            long start = line.nanos() - (long) (Double.parseDouble(result.get("seconds")) * 1e9);
            window = new Window(start, line.nanos(), client.cpuSeconds(start, line.nanos()));
        }
        if (writesHistograms() && workload.openLoop()) {
            result = withFromSend(result, hgrmPrefix(histograms, setup.server().label(), workload, step.offered(i), repeat));
        }
        if (stall != null) stall.close();             // before judging it: the pause is over
        String note = stall == null || window == null ? "" : stall.judge(window.start, window.end);
        if (!"0".equals(result.get("errors"))) note = join(note, lastComplaint(c.tail()));
        return new ClientRun(result, note, window, seconds);
    }

    /** Handshakes have no latency histogram: their client times connections, not frames. */
    private boolean writesHistograms() {
        return histograms != null && workload != Workload.HANDSHAKES;
    }

    /**
     * The open loop's second histogram, read back: the same replies timed from when each frame
     * actually left ({@code from_send_*}), which is what a closed loop would have reported.
     */
    private static Map<String, String> withFromSend(Map<String, String> result, Path prefix) {
        Path file = Path.of(prefix + ".from-send.hgrm");
        if (!Files.isReadable(file)) return result;
        try {
            Hgrm h = Hgrm.read(file);
            Map<String, String> more = new LinkedHashMap<>(result);
            for (String p : List.of("50", "99", "99.9")) {
                more.put("from_send_p" + p.replace(".", "") + "_us",
                        String.format(Locale.ROOT, "%.0f", h.valueAt(Double.parseDouble(p))));
            }
            more.put("from_send_max_us", String.format(Locale.ROOT, "%.0f", h.max()));
            return more;
        } catch (IOException e) {
            return result;                            // the row keeps its RESULT figures
        }
    }

    /** When the stall workload pauses the server: halfway through the measured run. */
    private static long stallAfterMillis(List<String> args) {
        double rate = Double.parseDouble(args.get(args.indexOf("--rate") + 1));
        int messages = Integer.parseInt(args.get(args.indexOf("--messages") + 1));
        return Math.round(messages / 2.0 / rate * 1000);
    }

    /** The measured window on this JVM's clock, and the client's CPU in it. */
    private record Window(long start, long end, double clientCpuSeconds) {
        Double cpu(ProcessSampler s) {
            double v = s.cpuSeconds(start, end);
            return Double.isNaN(v) ? null : v;
        }

        Double clientCpu() {
            return Double.isNaN(clientCpuSeconds) ? null : clientCpuSeconds;
        }
    }

    /** One measured run: its RESULT figures, what went wrong, its window, and the seconds it took (ResultLines). */
    private record ClientRun(Map<String, String> result, String note, Window window, double wallSeconds) {}

    private String summary(Outcome o) {
        String figures = o.hasResult()
                ? String.format(Locale.ROOT, "%,.0f %s/s, p50 %s us, p99 %s us", o.msgsPerSec(),
                        workload == Workload.HANDSHAKES ? "handshakes" : "msgs",
                        o.result().get("p50_us"), o.result().get("p99_us"))
                : "no result";
        String cpu = o.clientCoreShare() == null ? ""
                : String.format(Locale.ROOT, ", client %.0f%% of a core%s", o.clientCoreShare() * 100,
                        o.clientBound() ? " (client-bound)" : "");
        if (o.offered() != null) {
            figures = String.format(Locale.ROOT, "offered %,.0f/s: ", o.offered()) + figures;
        }
        if (o.result().containsKey("late_p99_us")) {
            figures += ", late p50/p99 " + o.result().get("late_p50_us") + "/" + o.result().get("late_p99_us") + " us";
        }
        return String.format(Locale.ROOT, "%s %s, %d threads, %.0f MiB, errors %d%s (%.1f s)%s", title, figures,
                o.peakThreads(), o.peakRssKib() / 1024.0, o.errors(), cpu, o.wallSeconds(),
                o.note().isEmpty() ? "" : " -- " + o.note());
    }

    private static long timeoutSeconds(List<String> args) {
        int i = args.indexOf("--timeout");
        return i < 0 ? 300 : Long.parseLong(args.get(i + 1));
    }

    /** The last line of a process's output that reads like a complaint, shortened; or empty. */
    static String lastComplaint(String output) {
        List<String> lines = Arrays.asList(output.split("\n"));
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i).trim();
            if (!l.startsWith("RESULT ") && !l.startsWith("listening on ") && !l.isEmpty() && !l.startsWith("# ")
                    && !l.startsWith("WARNING:") && !l.startsWith("at ")) {
                return l.length() > 120 ? l.substring(0, 117) + "..." : l;
            }
        }
        return "";
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " " + lastComplaint(s.substring(nl + 1));
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }
}
