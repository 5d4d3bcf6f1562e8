package fourways.bench.side;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the operating system lets one process hold, read before the run so that a step it cannot
 * take is skipped with one line saying why, instead of failing half-way: the open-file limit
 * (every connection is a file descriptor, in the server and in the client) and the range of
 * ephemeral ports (every client connection to one server port needs a port of its own).
 *
 * @param maxFiles open files per process, inherited by the processes the run starts; 0 when unknown
 * @param ports how many ephemeral ports there are; 0 when unknown
 * @param portRange the range as the OS states it, for the line printed; empty when unknown
 */
public record Limits(long maxFiles, int ports, String portRange) {
    /** What a JVM holds besides its connections: jars, pipes, its selector, with room to spare. */
    static final int FILES_BESIDES_CONNECTIONS = 500;

    /** This machine's limits, as far as they can be read here. */
    public static Limits current() {
        long files = 0;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            files = unix.getMaxFileDescriptorCount();
        }
        int ports = 0;
        String range = "";
        Path linux = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        try {
            if (Files.isReadable(linux)) {
                // Not readString: on this kernel and JDK 25 it returned one byte of this /proc file.
                String[] r = Files.readAllLines(linux).getFirst().trim().split("\\s+");
                ports = Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
                range = r[0] + "-" + r[1];
            }
        } catch (IOException | RuntimeException e) {
            ports = 0;                                // unreadable: unknown, said as such below
        }
        return new Limits(files, ports, range);
    }

    /** Why {@code connections} at once cannot be held here, or null when they can (or nothing says otherwise). */
    public String whyNot(int connections) {
        if (maxFiles > 0 && connections + FILES_BESIDES_CONNECTIONS > maxFiles) {
            return String.format(Locale.ROOT, "%,d connections need about %,d open files per process, the limit is %,d",
                    connections, connections + FILES_BESIDES_CONNECTIONS, maxFiles);
        }
        if (ports > 0 && connections > ports) {
            return String.format(Locale.ROOT, "%,d connections need as many ephemeral ports, there are %,d (%s)",
                    connections, ports, portRange);
        }
        return null;
    }

    /** One line: what was found, and how to raise it where it bites. */
    public String describe(boolean anySkipped) {
        String files = maxFiles > 0 ? String.format(Locale.ROOT, "%,d open files per process", maxFiles)
                : "open-file limit unknown";
        String range = ports > 0 ? String.format(Locale.ROOT, "ephemeral ports %s (%,d)", portRange, ports)
                : "ephemeral port range unknown";
        return "limits: " + files + ", " + range + (anySkipped
                ? "; to raise them: `ulimit -n 20000` in the shell that starts ./run (up to the hard limit,"
                        + " `ulimit -Hn`), and on Linux `sysctl net.ipv4.ip_local_port_range=\"10000 65000\"`"
                : "; every step fits");
    }
}
