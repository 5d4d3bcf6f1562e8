package fourways.bench.side;

import fourways.bench.ChildProcess;
import fourways.bench.Contender;
import fourways.bench.Entrant;
import fourways.bench.HandshakeClient;
import fourways.bench.ServerProcess;
import fourways.bench.TlsLoadClient;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
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

    private final String title;
    private final Setup setup;
    private final Workload workload;
    private final List<String> clientArgs;
    private final int repeat;

    /** @param index this trial's number, from 1 to {@code total}, for the progress lines */
    public Trial(int index, int total, Setup setup, Workload workload, List<String> clientArgs, int repeat) {
        this.title = String.format(Locale.ROOT, "[%2d/%d] %-16s %-10s", index, total, setup.server().label(),
                workload == Workload.CONNECTIONS ? Workload.connections(clientArgs) + " conns" : workload.label());
        this.setup = setup;
        this.workload = workload;
        this.clientArgs = clientArgs;
        this.repeat = repeat;
    }

    public Outcome run() throws InterruptedException {
        PrintStream progress = setup.progress();
        progress.println(title + " " + workload.description());
        long t0 = System.nanoTime();
        ServerProcess process = null;
        ProcessSampler server = null;
        ClientRun measured = new ClientRun(Map.of(), "", null);
        String note = "";
        try {
            process = ServerProcess.start(setup.placement().server(), setup.server(), setup.serverJvm(),
                    SERVER_ARGS.toArray(String[]::new));
            server = new ProcessSampler(process.pid());
            measured = client(process, server);
            note = measured.note;
            String complaint = lastComplaint(process.process().tail());
            if (!process.process().isAlive()) {
                note = join(note, "server exited: " + complaint);
            } else if (!complaint.isEmpty()) {
                note = join(note, "server: " + complaint);
            }
        } catch (IOException e) {
            note = "server did not start: " + firstLine(e.getMessage());
        } finally {
            if (server != null) server.close();
            if (process != null) process.close();
        }
        Map<String, String> result = measured.result;
        // No RESULT line at all: every connection of the run counts as failed (rule 18's spirit).
        int connections = Workload.connections(clientArgs);
        long errors = result.containsKey("errors") ? Long.parseLong(result.get("errors")) : connections;
        Double serverCpu = measured.window == null || server == null ? null : measured.window.cpu(server);
        Outcome o = new Outcome(setup.server().label(), workload, repeat, connections, result, errors,
                server == null ? 0 : server.peakThreads(), server == null ? 0 : server.peakRssKib(),
                (System.nanoTime() - t0) / 1e9, setup.placement().label(),
                measured.window == null ? null : measured.window.clientCpu(), serverCpu,
                server == null ? 0 : server.firstRssKib(), note);
        progress.println(summary(o));
        return o;
    }

    /** Runs the load client to its end, or kills it at its limit; samples its CPU meanwhile. */
    private ClientRun client(ServerProcess process, ProcessSampler serverSampler)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(setup.placement().client());
        // Handshakes are not a load run (rules 17 to 19) but connections one after another: a client
        // of their own. pipelined-tls is the model's load run, its engines the JDK's or OpenSSL's.
        command.addAll(workload == Workload.HANDSHAKES ? HandshakeClient.command(setup.loader(), CLIENT_JVM)
                : workload == Workload.PIPELINED_TLS ? TlsLoadClient.command(setup.loader(), CLIENT_JVM)
                : ServerProcess.command(setup.loader(), CLIENT_JVM, "client"));
        command.addAll(List.of("--host", process.address().getAddress().getHostAddress(),
                "--port", String.valueOf(process.address().getPort())));
        command.addAll(clientArgs);
        long limitMillis = (timeoutSeconds(clientArgs) + 20) * 1000L;
        long t0 = System.nanoTime();
        try (ChildProcess c = new ChildProcess(setup.loader().label() + "-client", command,
                l -> l.startsWith("RESULT "));
             ProcessSampler client = new ProcessSampler(c.pid())) {
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
            String note = "";
            if (line == null) {
                note = status == null ? "client killed after " + limitMillis / 1000 + " s"
                        : "client exited " + status + " without a RESULT line: " + lastComplaint(c.tail());
            } else if (!"0".equals(result.get("errors"))) {
                note = lastComplaint(c.tail());
            }
            return new ClientRun(result, note, window);
        }
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
            if (!l.startsWith("RESULT ") && !l.startsWith("listening on ") && !l.isEmpty()
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
