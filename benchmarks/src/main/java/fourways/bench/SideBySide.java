package fourways.bench;

import fourways.bench.side.Charts;
import fourways.bench.side.Outcome;
import fourways.bench.side.ProcSampler;
import fourways.bench.side.Report;
import fourways.bench.side.Trial;
import fourways.bench.side.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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

    @Spec
    CommandSpec spec;

    private final PrintStream progress = new PrintStream(System.err, true, StandardCharsets.UTF_8);

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        CommandLine cli = new CommandLine(new SideBySide());
        // As rule 20 asks of the modules: a bad option gets one line naming it and one pointing to --help.
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println(e.getMessage());
            System.err.println("Try 'side-by-side --help' for more.");
            return 2;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        try {
            return compare();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);   // an unknown model or workload
        }
    }

    private int compare() throws Exception {
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
                outcomes.add(new Trial(outcomes.size() + 1, total, c, w, loader, serverJvm, full, progress).run());
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
        s.put("load client", loader.label() + " (its own process, JVM " + String.join(" ", Trial.CLIENT_JVM) + ")");
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
}
