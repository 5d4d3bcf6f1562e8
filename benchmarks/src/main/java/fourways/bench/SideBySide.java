package fourways.bench;

import fourways.bench.netty.NettyTls;
import fourways.bench.side.Charts;
import fourways.bench.side.Limits;
import fourways.bench.side.Outcome;
import fourways.bench.side.Placement;
import fourways.bench.side.ProcessSampler;
import fourways.bench.side.Report;
import fourways.bench.side.Row;
import fourways.bench.side.Sweep;
import fourways.bench.side.Trial;
import fourways.bench.side.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
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
    @Option(names = "--full", description = {"Longer runs, each three times, the stall and the connection curve",
        "(about forty minutes here; 2,719 s with chapter 7's two variants, 2026-12-05), for figures worth keeping."})
    boolean full;

    @Option(names = "--runs", paramLabel = "N", description = {"How many times each trial runs, interleaved",
        "(order reversed every other time); the table shows medians (default: 3 with --full, else 1)."})
    Integer runs;

    @Option(names = "--pin", paramLabel = "WHERE", description = {"same, split or none: both on CPU 0; server on CPU 0,",
        "client on CPU 1; not pinned (default: same for ping-pong, split for the rest)."})
    String pin;

    @Option(names = "--client", paramLabel = "MODEL",
            description = "The load client's model (default: nio-selector when built, else blocking-io).")
    String client;

    @Option(names = "--tls-engine", paramLabel = "ENGINE", description = {"The TLS load client's engine, jdk or openssl",
        "(default: openssl where netty-tcnative loads and the client drives engines, else jdk)."})
    String tlsEngine;

    @Option(names = "--models", paramLabel = "LIST", split = ",",
            description = {"Servers to run, e.g. blocking-io,netty-nio,mine (default: the four models and Netty on its",
                "native transport, with --full Netty on NIO too; and every --server)."})
    List<String> models;

    @Option(names = "--server", paramLabel = "NAME=COMMAND",
            description = {"An outside server to add (repeatable): any program that speaks PROTOCOL.md and",
                "prints 'listening on HOST:PORT', e.g. 'mine=mono EchoServer.exe --port {port}'.",
                "It runs as given, {port} replaced by 0; --models can name it."})
    List<String> outside = new ArrayList<>();

    @Option(names = "--variant", paramLabel = "NAME=MODEL:FLAGS",
            description = {"A model's server with JVM flags of its own, as an extra row (repeatable), e.g.",
                "'vt-poller-mode-1=virtual-threads:-Djdk.pollerMode=1'; --models can name it.",
                "A variant runs ping-pong, pipelined and the sweep only."})
    List<String> variants = new ArrayList<>();

    @Option(names = "--workloads", paramLabel = "LIST", split = ",",
            description = {"Workloads: ping-pong, pipelined, sweep, open-loop, stall, c10k, handshakes, pipelined-tls,",
                "connections (default: ping-pong, pipelined, sweep, c10k and the two TLS ones; --full adds",
                "open-loop, stall and connections, the curve to 19,000). The sweep's rates come from pipelined.",
                "The two TLS ones skip, and say why, a model without TLS yet."})
    List<String> workloads;

    /** For the smoke tests: a whole run in seconds, its figures meaningless. */
    @Option(names = "--messages", paramLabel = "N", hidden = true,
            description = "Every workload's frames per connection, and no warm-up (for tests).")
    Integer messages;

    @Option(names = "--knee-p99", paramLabel = "US",
            description = "The sweep's knee: the highest rate sustained with p99 at most US microseconds (default: ${DEFAULT-VALUE}).")
    long kneeP99Us = Sweep.DEFAULT_P99_BOUND_US;

    @Option(names = "--report", paramLabel = "DIR",
            description = {"Run nothing: draw the table, results.md and the charts again from DIR's results.json",
                "and hgrm/ (e.g. with another --knee-p99), into DIR."})
    Path redraw;

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
        if (kneeP99Us < 1) throw new IllegalArgumentException("--knee-p99 " + kneeP99Us + ": at least 1 us");
        if (redraw != null) return redraw(redraw);
        // Phase 1: what to run, checked before anything starts.
        List<OutsideServer> brought = new ArrayList<>();
        for (String spec : outside) {
            OutsideServer o = OutsideServer.parse(spec);
            if (brought.stream().anyMatch(b -> b.label().equalsIgnoreCase(o.label()))) {
                throw new IllegalArgumentException("--server " + o.label() + ": that name is given twice");
            }
            brought.add(o);
        }
        List<Entrant> extra = new ArrayList<>(brought);
        for (String spec : variants) {
            Variant v = Variant.parse(spec);
            if (extra.stream().anyMatch(b -> b.label().equalsIgnoreCase(v.label()))) {
                throw new IllegalArgumentException("--variant " + v.label() + ": that name is given twice");
            }
            extra.add(v);
        }
        List<Entrant> servers = new ArrayList<>();
        if (models == null) {
            servers.addAll(Contender.listed(full));
            servers.addAll(extra);
        } else {
            for (String name : models) {
                servers.add(extra.stream().filter(b -> b.label().equalsIgnoreCase(name)).findFirst()
                        .orElseGet(() -> Contender.byName(name)));
            }
        }
        for (Entrant e : servers) {
            if (e instanceof Contender c && !c.isAvailable()) {
                throw new IllegalArgumentException(c + " is not available (not built, or not this platform's transport)");
            }
        }
        Contender loader = client == null ? Contender.preferredLoadClient() : Contender.byName(client);
        if (!loader.isModule() || !loader.isAvailable()) {
            throw new IllegalArgumentException("--client " + loader + ": not a model with a client");
        }
        List<Workload> chosen = new ArrayList<>(workloads != null ? workloads.stream().map(Workload::byLabel).toList()
                : full ? Workload.fullSet()
                : Workload.quickSet());
        if (chosen.contains(Workload.SWEEP) && !chosen.contains(Workload.PIPELINED)) {
            progress.println("sweep: the pipelined workload runs first, for the peak the sweep's rungs are shares of");
            chosen.addFirst(Workload.PIPELINED);
        }
        int repeats = runs != null ? runs : full ? 3 : 1;
        if (repeats < 1 || repeats > 9) throw new IllegalArgumentException("--runs " + repeats + ": from 1 to 9");
        Placement forced = pin == null ? null : Placement.byLabel(pin);
        for (Workload w : chosen) {
            Placement p = forced != null ? forced : w.placement();
            if (p.whyUnavailable() != null) {
                if (forced != null) throw new IllegalArgumentException("--pin " + pin + ": " + p.whyUnavailable());
                progress.println("not pinned: " + p.whyUnavailable());
                forced = Placement.NONE;
            }
        }
        List<String> serverJvm = List.of("-Xms" + heap, "-Xmx" + heap);
        Path folder = out != null ? out : Root.find().resolve("benchmarks").resolve("results");
        Files.createDirectories(folder);
        // The TLS workloads' certificate lives as long as the run, and is deleted with it.
        try (TlsPlan tls = chosen.stream().anyMatch(Workload::tls)
                ? TlsPlan.create(client == null ? null : loader, models != null,
                        tlsEngine == null ? null : NettyTls.Provider.byLabel(tlsEngine)) : null) {
            // Phase 2: the trials, every one `repeats` times, the order reversed every other time:
            // a drift of the machine over the run then falls on every server alike.
            // The OS's limits, read first: a step they do not allow is skipped, and the line says so.
            Limits limits = Limits.current();
            List<String> skipped = new ArrayList<>();
            List<Plan> plan = new ArrayList<>();
            for (Workload w : chosen) {
                Placement p = forced != null ? forced : w.placement();
                if (w == Workload.SWEEP) continue;    // its ladder needs the run's peak: phase 2b
                List<List<String>> steps = w == Workload.CONNECTIONS
                        ? Workload.CURVE.stream().map(Workload::curveArgs).toList()
                        : List.of(messages == null ? w.clientArgs(full) : w.clientArgs(messages));
                for (List<String> args : steps) {
                    String why = w.whyNotHere() != null ? w.whyNotHere() : limits.whyNot(Workload.connections(args));
                    if (why != null) {
                        skipped.add(w.label() + ": " + why);
                        continue;
                    }
                    // Over TLS: each server's TLS row (two for Netty), and why it cannot run, if it cannot.
                    List<TlsPlan.Server> rows = w.tls() ? tls.servers(servers)
                            : servers.stream().map(e -> new TlsPlan.Server(e, null)).toList();
                    for (TlsPlan.Server row : rows) {
                        if (row.server() instanceof Variant && !w.forVariants()) continue;   // a lab's rows: see forVariants
                        plan.add(new Plan(new Trial.Setup(row.server(), w.tls() ? tls.loader(loader) : loader, serverJvm,
                                p, full, progress), w, w.tls() ? tls.clientArgs(args) : args, row.whyNot()));
                    }
                }
            }
            progress.println(limits.describe(!skipped.isEmpty()));
            for (String s : skipped) progress.println("skipped " + s);
            Map<String, String> settings = RunHeader.of(full, loader, serverJvm, servers, chosen, forced, repeats);
            settings.put("limits", limits.describe(!skipped.isEmpty()).substring("limits: ".length()));
            if (!skipped.isEmpty()) settings.put("skipped", String.join("; ", skipped));
            if (tls != null) settings.put("tls", tls.describe());
            progress.printf("side-by-side: %s run, %d servers x %d workloads x %d run(s), load client %s%s, servers %s%n",
                    full ? "full" : "quick", servers.size(), chosen.size(), repeats, loader,
                    tls == null ? "" : " (over TLS: " + tls.loader(loader) + ", engine " + tls.engine().label() + ")",
                    String.join(" ", serverJvm));
            if (!ProcessSampler.supported()) {
                progress.println("threads, memory and CPU time cannot be read on this platform: the table says n/a");
            }

            List<Outcome> outcomes = new ArrayList<>();
            boolean sweep = chosen.contains(Workload.SWEEP);
            int total = (int) (plan.stream().filter(p -> p.skip == null).count() + (sweep ? servers.size() : 0)) * repeats;
            int done = 0;
            long started = System.nanoTime();
            Path hgrm = Files.createDirectories(folder.resolve("hgrm"));
            for (int r = 1; r <= repeats; r++) {
                List<Plan> order = new ArrayList<>(plan);
                if (r % 2 == 0) Collections.reverse(order);
                for (Plan p : order) {
                    if (p.skip != null) {
                        // A row that cannot run here (no TLS yet) is said once, in its place, never run.
                        if (r == 1) outcomes.add(skipped(p));
                        continue;
                    }
                    outcomes.addAll(new Trial(++done, total, p.setup, p.workload, Trial.Step.of(p.clientArgs), r, hgrm).run());
                }
            }

            // Phase 2b: the sweep, whose rungs are shares of the fastest pipelined median just measured.
            if (sweep) {
                List<Double> rungs = ladder(outcomes);
                settings.put("sweep", sweepHeader(rungs));
                Placement p = forced != null ? forced : Workload.SWEEP.placement();
                for (int r = 1; r <= repeats; r++) {
                    List<Entrant> order = new ArrayList<>(servers);
                    if (r % 2 == 0) Collections.reverse(order);
                    // One server process and one client process a ladder: the client's JIT, compiled in
                    // its warm-up, stays compiled from rung to rung, as the server's does.
                    Trial.Step ladder = new Trial.Step(Sweep.ladderArgs(rungs, Workload.stepSeconds(full), 60), rungs);
                    for (Entrant e : order) {
                        outcomes.addAll(new Trial(++done, total, new Trial.Setup(e, loader, serverJvm, p, full, progress),
                                Workload.SWEEP, ladder, r, hgrm).run());
                    }
                }
            }
            settings.put("duration", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - started) / 1e9));

            // Phase 3: the table, the files.
            return publish(folder, settings, outcomes);
        }
    }

    /**
     * {@code --report}: a past run's figures drawn again, nothing started. The knees are computed
     * when the report is drawn, not stored, so another bound is another reading of the same
     * rungs; the sweep's header says which bound this reading used.
     */
    private int redraw(Path folder) throws IOException {
        Path json = folder.resolve("results.json");
        if (!Files.isReadable(json)) throw new IllegalArgumentException("--report " + folder + ": no results.json there");
        Report.Results was = Report.readJson(json);
        Map<String, String> settings = new LinkedHashMap<>(was.settings());
        settings.computeIfPresent("sweep", (k, v) -> v.replaceAll("p99 <= [0-9,]+ us",
                String.format(Locale.ROOT, "p99 <= %,d us", kneeP99Us)));
        return publish(folder, settings, was.runs());
    }

    /** The table on standard output; results.json, results.md and the charts into {@code folder}. */
    private int publish(Path folder, Map<String, String> settings, List<Outcome> outcomes) throws IOException {
        Report report = new Report(settings, outcomes, kneeP99Us);
        System.out.println();
        System.out.print(report.table());
        List<String> charts = Charts.write(folder, outcomes, report.sweep());
        report.writeJson(folder.resolve("results.json"));
        report.writeMarkdown(folder.resolve("results.md"), charts);
        System.out.println();
        System.out.println("written: " + folder.resolve("results.json") + ", results.md, " + String.join(", ", charts));
        return 0;
    }

    /**
     * The sweep's rungs: shares of the best pipelined median of this run (phase 2 ran the
     * pipelined workload first, added for the sweep when not asked for). A smoke test's
     * {@code --messages} run gets a small fixed ladder instead: its figures mean nothing.
     */
    private List<Double> ladder(List<Outcome> outcomes) {
        if (messages != null) return List.of(1_000.0, 2_000.0);
        OptionalDouble peak = Sweep.peak(Row.of(outcomes));
        if (peak.isEmpty()) {
            progress.println("sweep: no pipelined run without errors to take the peak from; the ladder climbs to 100,000 msgs/s");
        }
        return Sweep.ladder(peak.orElse(100_000), full);
    }

    private String sweepHeader(List<Double> rungs) {
        return String.format(Locale.ROOT, "open loop, %d connections, pipeline %d, %.0f s a rung, every rung of a server"
                + " in one client process after one warm-up (at least %.0f s) at the first, rungs %s msgs/s offered in all"
                + " (shares of the best pipelined median); knee: the highest"
                + " rung sustained (achieved >= %.0f%% of offered, no errors) with p99 <= %,d us, among the rungs the"
                + " client kept (not bound: its loop busy at most %.0f%% of the time, its lateness at most half the p50 and"
                + " half the p99);"
                + " '>=' where the rung above was the client's limit",
                Sweep.CONNECTIONS, Sweep.PIPELINE, Workload.stepSeconds(full), Sweep.WARM_UP_SECONDS,
                String.join(", ", rungs.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList()),
                Sweep.SUSTAINED * 100, kneeP99Us, Outcome.CLIENT_BOUND_SHARE * 100);
    }

    private Outcome skipped(Plan p) {
        Outcome o = Outcome.skipped(p.setup.server().label(), p.workload, Workload.connections(p.clientArgs),
                p.setup.placement().label(), p.skip);
        progress.printf("        %-16s %-10s %s%n", o.model(), o.workload(), o.note());
        return o;
    }

    /** One trial to run: a server, a workload, the client's options; or, with {@code skip}, why it cannot. */
    private record Plan(Trial.Setup setup, Workload workload, List<String> clientArgs, String skip) {}
}
