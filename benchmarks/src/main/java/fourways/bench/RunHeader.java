package fourways.bench;

import fourways.bench.netty.NettyModel;
import fourways.bench.side.Placement;
import fourways.bench.side.Trial;
import fourways.bench.side.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The side-by-side run's header: how the run was made, for the reader of its results (the
 * machine, the JVMs, the placement, each workload's client options, the Netty configuration),
 * in the order to print.
 */
final class RunHeader {
    private RunHeader() {}

    static Map<String, String> of(boolean full, Contender loader, List<String> serverJvm, List<Entrant> servers,
                                  List<Workload> chosen, Placement forced, int repeats) throws IOException {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        s.put("mode", (full ? "full (--full)" : "quick (the default)") + ", "
                + (repeats == 1 ? "each trial run once" : "each trial run " + repeats + " times, interleaved"));
        s.put("servers", String.join(", ", servers.stream().map(Entrant::label).toList())
                + "; each of the project's started with " + String.join(" ", Trial.SERVER_ARGS));
        for (Entrant e : servers) {
            if (e instanceof OutsideServer o) s.put("outside server " + o.label(), o.command() + " (as given, {port} = 0)");
            if (e instanceof Variant v) s.put("variant " + v.label(), v.base().label() + " with " + String.join(" ", v.jvmFlags()));
        }
        s.put("load client", loader.label() + " (its own process, JVM " + String.join(" ", Trial.CLIENT_JVM)
                + "; one thread and one selector for every connection, warm-up in the same process first)");
        s.put("server JVM", String.join(" ", serverJvm) + ", default GC, each of the project's servers in its own process");
        List<String> placements = new ArrayList<>();
        for (Workload w : chosen) placements.add(w.label() + " " + (forced != null ? forced : w.placement()).describe());
        s.put("placement", String.join("; ", placements));
        List<String> shapes = new ArrayList<>();
        for (Workload w : chosen) {
            if (w == Workload.SWEEP) continue;        // its rungs are in the header's "sweep" line
            shapes.add(w.label() + ": client " + String.join(" ", w == Workload.CONNECTIONS
                    ? Workload.curveArgs(Workload.CURVE.getLast()) : w.clientArgs(full)));
        }
        s.put("workloads", String.join("; ", shapes));
        if (servers.stream().anyMatch(e -> e instanceof Contender c && !c.isModule())) {
            s.put("netty baseline", NettyModel.describe());
        }
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
