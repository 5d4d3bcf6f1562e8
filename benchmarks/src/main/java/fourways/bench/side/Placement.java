package fourways.bench.side;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where the server and the load client run ({@code --pin}), through Linux's {@code taskset}.
 * On two cores placement moves ping-pong latency by tens of microseconds, so a row that does
 * not say where it ran cannot be compared with another.
 *
 * <ul>
 *   <li>{@code same}: both on CPU 0. Each message wakes the other process on the same CPU: no
 *       cross-CPU wake-up, the cheapest hand-off, and what ping-pong latency is measured with.
 *   <li>{@code split}: the server on CPU 0, the client on CPU 1. Every server gets one whole
 *       core, whatever its number of threads, and never competes with the client for it: the
 *       throughput rows then rank what each model does with one core.
 *   <li>{@code none}: the scheduler decides, as in production; the noisiest.
 * </ul>
 */
public enum Placement {
    SAME("0", "0"),
    SPLIT("0", "1"),
    NONE(null, null);

    private final String serverCpus;
    private final String clientCpus;

    Placement(String serverCpus, String clientCpus) {
        this.serverCpus = serverCpus;
        this.clientCpus = clientCpus;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What the results say of it: "same (server CPU 0, client CPU 0)", or "none (not pinned)". */
    public String describe() {
        return this == NONE ? "none (not pinned)"
                : label() + " (server CPU " + serverCpus + ", client CPU " + clientCpus + ")";
    }

    /** The words to put before the server's command: {@code taskset -c 0}, or nothing. */
    public List<String> server() {
        return prefix(serverCpus);
    }

    /** The words to put before the client's command. */
    public List<String> client() {
        return prefix(clientCpus);
    }

    private static List<String> prefix(String cpus) {
        return cpus == null ? List.of() : List.of(TASKSET, "-c", cpus);
    }

    /** Pinning needs Linux's taskset, and two CPUs for {@code split}; null when this one can be had here. */
    public String whyUnavailable() {
        return whyUnavailable(System.getProperty("os.name"), Files.isExecutable(Path.of(TASKSET)),
                Runtime.getRuntime().availableProcessors());
    }

    /** The same for a given system: the seam that lets macOS and Windows be tested on Linux. */
    String whyUnavailable(String osName, boolean hasTaskset, int cpus) {
        if (this == NONE) return null;
        if (!osName.startsWith("Linux")) {
            return "pinning uses Linux's taskset, and " + osName + " has no such command (the run is not pinned)";
        }
        if (!hasTaskset) return "no " + TASKSET + " here (Linux's util-linux package has it)";
        if (this == SPLIT && cpus < 2) return "split needs two CPUs, this machine has " + cpus;
        return null;
    }

    private static final String TASKSET = "/usr/bin/taskset";

    public static Placement byLabel(String label) {
        for (Placement p : values()) {
            if (p.label().equalsIgnoreCase(label)) return p;
        }
        throw new IllegalArgumentException("no placement named '" + label + "' (same, split or none)");
    }
}
