package fourways.bench.side;

import fourways.bench.ChildProcess;
import fourways.bench.Contender;
import fourways.bench.ServerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One server under one workload, for the side-by-side run: start the server, warm it up,
 * measure with the load client, stop both, and say how it went. Every process it starts is
 * stopped before {@link #run} returns, and every wait has a limit.
 */
public final class Trial {
    /** The client is the same for every server; its heap only needs to be large enough. */
    public static final List<String> CLIENT_JVM = List.of("-Xms1g", "-Xmx1g");
    /** How often a long run reports how far it is. */
    private static final long TICK_MILLIS = 5_000;

    private final String title;
    private final Contender server;
    private final Workload workload;
    private final Contender loader;
    private final List<String> serverJvm;
    private final boolean full;
    private final PrintStream progress;

    /** @param index this trial's number, from 1 to {@code total}, for the progress lines */
    public Trial(int index, int total, Contender server, Workload workload, Contender loader,
                 List<String> serverJvm, boolean full, PrintStream progress) {
        this.title = String.format(Locale.ROOT, "[%2d/%d] %-16s %-10s", index, total, server.label(), workload.label());
        this.server = server;
        this.workload = workload;
        this.loader = loader;
        this.serverJvm = serverJvm;
        this.full = full;
        this.progress = progress;
    }

    public Outcome run() throws InterruptedException {
        progress.println(title + " " + workload.description());
        long t0 = System.nanoTime();
        ServerProcess process = null;
        ProcSampler sampler = null;
        Map<String, String> result = Map.of();
        String note = "";
        try {
            process = ServerProcess.start(server, serverJvm);
            sampler = new ProcSampler(process.pid());
            List<String> warmUp = workload.warmUpArgs(full);
            if (warmUp != null) {
                ClientRun w = client(process, warmUp, 80, sampler, "warm-up");
                if (w.result.isEmpty() || !"0".equals(w.result.get("errors"))) {
                    note = "warm-up failed: " + w.note;
                }
            }
            ClientRun measured = client(process, workload.clientArgs(full), workload.timeoutSeconds(full) + 20,
                    sampler, "run");
            result = measured.result;
            if (note.isEmpty()) note = measured.note;
            if (!process.process().isAlive()) {
                note = join(note, "server exited: " + lastComplaint(process.process().tail()));
            } else if (!lastComplaint(process.process().tail()).isEmpty()) {
                note = join(note, "server: " + lastComplaint(process.process().tail()));
            }
        } catch (IOException e) {
            note = "server did not start: " + firstLine(e.getMessage());
        } finally {
            if (sampler != null) sampler.close();
            if (process != null) process.close();
        }
        // No RESULT line at all: every connection of the run counts as failed (rule 18's spirit).
        long errors = result.containsKey("errors") ? Long.parseLong(result.get("errors")) : workload.connections();
        Outcome o = new Outcome(server.label(), workload, result, errors,
                sampler == null ? 0 : sampler.peakThreads(), sampler == null ? 0 : sampler.peakRssKib(),
                (System.nanoTime() - t0) / 1e9, note);
        progress.println(summary(o));
        return o;
    }

    /** Runs the load client to its end, or kills it at {@code limitSeconds}. */
    private ClientRun client(ServerProcess process, List<String> args, long limitSeconds, ProcSampler sampler,
                             String phase) throws IOException, InterruptedException {
        List<String> command = ServerProcess.command(loader, CLIENT_JVM, "client");
        command.addAll(List.of("--host", process.address().getAddress().getHostAddress(),
                "--port", String.valueOf(process.address().getPort())));
        command.addAll(args);
        long t0 = System.nanoTime();
        try (ChildProcess c = new ChildProcess(loader.label() + "-client", command, l -> l.startsWith("RESULT "))) {
            Integer status = null;
            for (long waited = 0; status == null && waited < limitSeconds * 1000; waited += TICK_MILLIS) {
                status = c.waitFor(Math.min(TICK_MILLIS, limitSeconds * 1000 - waited));
                if (status == null) {
                    progress.printf(Locale.ROOT, "         %s %.0f s: server %d threads, %.0f MiB resident%n", phase,
                            (System.nanoTime() - t0) / 1e9, sampler.threads(), sampler.rssKib() / 1024.0);
                }
            }
            List<String> kept = c.keptLines();
            Map<String, String> result = Outcome.parse(kept.isEmpty() ? null : kept.getLast());
            String note = "";
            if (status == null) {
                note = "client killed after " + limitSeconds + " s";
            } else if (result.isEmpty()) {
                note = "client exited " + status + " without a RESULT line: " + lastComplaint(c.tail());
            } else if (!"0".equals(result.get("errors"))) {
                note = lastComplaint(c.tail());
            }
            return new ClientRun(result, note);
        }
    }

    private String summary(Outcome o) {
        String figures = o.hasResult()
                ? String.format(Locale.ROOT, "%,.0f msgs/s, p50 %s us, p99 %s us", o.msgsPerSec(),
                        o.result().get("p50_us"), o.result().get("p99_us"))
                : "no result";
        return String.format(Locale.ROOT, "%s %s, %d threads, %.0f MiB, errors %d (%.1f s)%s", title, figures,
                o.peakThreads(), o.peakRssKib() / 1024.0, o.errors(), o.wallSeconds(),
                o.note().isEmpty() ? "" : " -- " + o.note());
    }

    private record ClientRun(Map<String, String> result, String note) {}

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
