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

/**
 * One server under one workload, once, for the side-by-side run: start the server, run the
 * load client (its warm-up, then the measured run, in one process), stop both, and say how it
 * went. Both processes are sampled: the server's threads and memory, and the CPU time each
 * spent in the measured window. Every process it starts is stopped before {@link #run}
 * returns, and every wait has a limit.
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
     * One client run against the trial's server: its options, and for a sweep rung the rate
     * offered (messages per second in all), null otherwise.
     */
    public record Step(List<String> clientArgs, Double offered) {
        public static Step of(List<String> clientArgs) {
            return new Step(clientArgs, null);
        }
    }

    private final String title;
    private final Setup setup;
    private final Workload workload;
    private final List<Step> steps;
    private final int repeat;
    /** Where each client writes its latency histograms ({@code --hgrm}); null: nowhere. */
    private final Path histograms;

    /**
     * @param index this trial's number, from 1 to {@code total}, for the progress lines
     * @param steps the client runs, one after another against one server process: one for
     *     every workload but the sweep, whose server climbs its whole ladder warm
     */
    public Trial(int index, int total, Setup setup, Workload workload, List<Step> steps, int repeat, Path histograms) {
        this.title = String.format(Locale.ROOT, "[%2d/%d] %-16s %-10s", index, total, setup.server().label(),
                workload == Workload.CONNECTIONS ? Workload.connections(steps.getFirst().clientArgs()) + " conns"
                        : workload.label());
        this.setup = setup;
        this.workload = workload;
        this.steps = steps;
        this.repeat = repeat;
        this.histograms = histograms;
    }

    public List<Outcome> run() throws InterruptedException {
        PrintStream progress = setup.progress();
        progress.println(title + " " + workload.description());
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
            for (Step step : steps) {
                long t0 = System.nanoTime();
                ClientRun measured = new ClientRun(Map.of(), "", null);
                String note = started;
                if (process != null) {
                    measured = client(process, server, step);
                    note = measured.note;
                    String complaint = lastComplaint(process.process().tail());
                    if (!process.process().isAlive()) {
                        note = join(note, "server exited: " + complaint);
                    } else if (!complaint.isEmpty()) {
                        note = join(note, "server: " + complaint);
                    }
                }
                outcomes.add(outcome(step, measured, server, note, (System.nanoTime() - t0) / 1e9));
                progress.println(summary(outcomes.getLast()));
                if (process == null || !process.process().isAlive()) break;   // the rest of a ladder has no server
            }
        } finally {
            if (server != null) server.close();
            if (process != null) process.close();
        }
        return outcomes;
    }

    private Outcome outcome(Step step, ClientRun measured, ProcessSampler server, String note, double wallSeconds) {
        Map<String, String> result = measured.result;
        // No RESULT line at all: every connection of the run counts as failed (rule 18's spirit).
        int connections = Workload.connections(step.clientArgs());
        long errors = result.containsKey("errors") ? Long.parseLong(result.get("errors")) : connections;
        Double serverCpu = measured.window == null || server == null ? null : measured.window.cpu(server);
        return new Outcome(setup.server().label(), workload, repeat, connections, result, errors,
                server == null ? 0 : server.peakThreads(), server == null ? 0 : server.peakRssKib(),
                wallSeconds, setup.placement().label(),
                measured.window == null ? null : measured.window.clientCpu(), serverCpu,
                server == null ? 0 : server.firstRssKib(), note, step.offered());
    }

    /**
     * Where one step's client writes its histograms: one prefix per server, workload, rung and
     * run, so that no two trials of a run share a file.
     */
    public static Path hgrmPrefix(Path folder, String model, Workload workload, Double offered, int repeat) {
        String rung = offered == null ? "" : String.format(Locale.ROOT, ".%.0f", offered);
        return folder.resolve(model + "." + workload.label() + rung + ".r" + repeat);
    }

    /** Runs the load client to its end, or kills it at its limit; samples its CPU meanwhile. */
    private ClientRun client(ServerProcess process, ProcessSampler serverSampler, Step step)
            throws InterruptedException {
        try {
            return clientRun(process, serverSampler, step);
        } catch (IOException e) {
            return new ClientRun(Map.of(), "client did not start: " + firstLine(e.getMessage()), null);
        }
    }

    private ClientRun clientRun(ServerProcess process, ProcessSampler serverSampler, Step step)
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
        Path hgrm = histograms == null || workload == Workload.HANDSHAKES ? null
                : hgrmPrefix(histograms, setup.server().label(), workload, step.offered(), repeat);
        if (hgrm != null) command.addAll(List.of("--hgrm", hgrm.toString()));
        long limitMillis = (timeoutSeconds(clientArgs) + 20) * 1000L;
        long t0 = System.nanoTime();
        try (ChildProcess c = new ChildProcess(setup.loader().label() + "-client", command,
                l -> l.startsWith("RESULT "));
             ProcessSampler client = new ProcessSampler(c.pid());
             Stall stall = workload == Workload.STALL
                     ? Stall.start(process.pid(), c, stallAfterMillis(clientArgs), limitMillis) : null) {
            String line = null;
            for (long waited = 0; line == null && waited < limitMillis && c.isAlive(); waited += TICK_MILLIS) {
                line = c.awaitLine(l -> l.startsWith("RESULT "), Math.min(TICK_MILLIS, limitMillis - waited));
                if (line == null) {
                    setup.progress().printf(Locale.ROOT, "         %.0f s: server %d threads, %.0f MiB resident%n",
                            (System.nanoTime() - t0) / 1e9, serverSampler.threads(), serverSampler.rssKib() / 1024.0);
                }
            }
            long end = System.nanoTime();             // the RESULT line arrives as the measured run ends
            Integer status = c.waitFor(line == null ? 0 : 10_000);
            if (line == null) {
                List<String> kept = c.keptLines();    // it may have come just as the process ended
                line = kept.isEmpty() ? null : kept.getLast();
            }
            Map<String, String> result = Outcome.parse(line);
            Window window = null;
            if (result.containsKey("seconds")) {
                // Rule 18: `seconds` runs from the moment every connection was open to the last
                // reply: the measured window, without the warm-up and the JVM's start.
                long start = end - (long) (Double.parseDouble(result.get("seconds")) * 1e9);
                window = new Window(start, end, client.cpuSeconds(start, end));
            }
            if (stall != null) stall.close();         // before judging it: the pause is over
            if (hgrm != null && workload.openLoop() && line != null) result = withFromSend(result, hgrm);
            String note = stall == null || window == null ? "" : stall.judge(window.start, window.end);
            if (line == null) {
                note = join(note, status == null ? "client killed after " + limitMillis / 1000 + " s"
                        : "client exited " + status + " without a RESULT line: " + lastComplaint(c.tail()));
            } else if (!"0".equals(result.get("errors"))) {
                note = join(note, lastComplaint(c.tail()));
            }
            return new ClientRun(result, note, window);
        }
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

    private record ClientRun(Map<String, String> result, String note, Window window) {}

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
