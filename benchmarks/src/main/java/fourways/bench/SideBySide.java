package fourways.bench;

import fourways.bench.side.Charts;
import fourways.bench.side.Outcome;
import fourways.bench.side.ProcSampler;
import fourways.bench.side.Report;
import fourways.bench.side.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The side-by-side run, what {@code ./run} starts: every model's server and the Netty
 * baseline, each in its own process with the same heap, under the same workloads from ONE
 * load client (another process), with the server's threads and resident memory sampled from
 * /proc. It prints one comparison table and writes JSON, Markdown and PNG charts.
 *
 * <p>Every process it starts is killed when its run ends, and at the latest when this JVM
 * exits ({@link ChildProcess}); every wait has a limit.
 */
@Command(name = "side-by-side", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs every model's server and the Netty baseline under the same workloads, one load client,",
            "and compares them. Writes results.json, results.md and charts to --out."})
public final class SideBySide implements Callable<Integer> {
    /** The client is the same for every server; its heap only needs to be large enough. */
    private static final List<String> CLIENT_JVM = List.of("-Xms1g", "-Xmx1g");
    /** How often a long run reports how far it is. */
    private static final long TICK_MILLIS = 5_000;

    @Option(names = "--full", description = "Longer runs (about ten minutes in all), for figures worth keeping.")
    boolean full;

    @Option(names = "--client", paramLabel = "MODEL",
            description = "The load client's model (default: nio-selector when built, else blocking-io).")
    String client;

    @Option(names = "--models", paramLabel = "LIST", split = ",",
            description = "Servers to run, e.g. blocking-io,netty-nio (default: every one available).")
    List<String> models;

    @Option(names = "--workloads", paramLabel = "LIST", split = ",",
            description = "Workloads: ping-pong, pipelined, open-loop, c10k (default: all).")
    List<String> workloads;

    @Option(names = "--heap", paramLabel = "SIZE", description = "Every server's -Xms and -Xmx (default: ${DEFAULT-VALUE}).")
    String heap = ServerProcess.HEAP_SIZE;

    @Option(names = "--out", paramLabel = "DIR", description = "Where results go (default: benchmarks/results).")
    Path out;

    private final PrintStream progress = new PrintStream(System.err, true, StandardCharsets.UTF_8);

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new SideBySide()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        List<Contender> servers = models == null ? Contender.available()
                : models.stream().map(Contender::byName).toList();
        for (Contender c : servers) {
            if (!c.isAvailable()) throw new IllegalArgumentException(c + " is not available (not built, or no epoll here)");
        }
        Contender loader = client == null ? Contender.preferredLoadClient() : Contender.byName(client);
        if (!loader.isModule() || !loader.isAvailable()) {
            throw new IllegalArgumentException("--client " + loader + ": not a model with a client");
        }
        List<Workload> chosen = workloads == null ? List.of(Workload.values())
                : workloads.stream().map(Workload::byLabel).toList();
        List<String> serverJvm = List.of("-Xms" + heap, "-Xmx" + heap);
        Path folder = out != null ? out : Root.find().resolve("benchmarks").resolve("results");
        Files.createDirectories(folder);

        Map<String, String> settings = settings(loader, serverJvm, servers);
        progress.printf("side-by-side: %s run, %d servers x %d workloads, load client %s, servers %s%n",
                full ? "full" : "quick", servers.size(), chosen.size(), loader, String.join(" ", serverJvm));
        if (!ProcSampler.supported()) progress.println("no /proc here: threads and memory are not sampled");

        List<Outcome> outcomes = new ArrayList<>();
        int total = servers.size() * chosen.size();
        long started = System.nanoTime();
        for (Workload w : chosen) {
            for (Contender c : servers) {
                outcomes.add(new Trial(outcomes.size() + 1, total, c, w, loader, serverJvm).run());
            }
        }
        settings.put("duration", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - started) / 1e9));

        Report report = new Report(settings, outcomes);
        System.out.println();
        System.out.print(report.table());
        List<String> charts = Charts.write(folder, outcomes);
        report.writeJson(folder.resolve("results.json"));
        report.writeMarkdown(folder.resolve("results.md"), charts);
        System.out.println();
        System.out.println("written: " + folder.resolve("results.json") + ", results.md, " + String.join(", ", charts));
        return 0;
    }

    /** How the run was made, for the reader of the results. */
    private Map<String, String> settings(Contender loader, List<String> serverJvm, List<Contender> servers)
            throws IOException {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        s.put("mode", full ? "full (--full)" : "quick (the default)");
        s.put("servers", String.join(", ", servers.stream().map(Contender::label).toList()));
        s.put("load client", loader.label() + " (its own process, JVM " + String.join(" ", CLIENT_JVM) + ")");
        s.put("server JVM", String.join(" ", serverJvm) + ", default GC, each server in its own process");
        s.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        s.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        s.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        Path loadavg = Path.of("/proc/loadavg");
        if (Files.isReadable(loadavg)) {
            s.put("load average at start", Files.readString(loadavg).trim());
        }
        return s;
    }

    /** One server, one workload: start, warm up, measure, stop. */
    private final class Trial {
        private final String title;
        private final Contender server;
        private final Workload workload;
        private final Contender loader;
        private final List<String> serverJvm;

        Trial(int index, int total, Contender server, Workload workload, Contender loader, List<String> serverJvm) {
            this.title = String.format(Locale.ROOT, "[%2d/%d] %-16s %-10s", index, total, server.label(), workload.label());
            this.server = server;
            this.workload = workload;
            this.loader = loader;
            this.serverJvm = serverJvm;
        }

        Outcome run() throws InterruptedException {
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
