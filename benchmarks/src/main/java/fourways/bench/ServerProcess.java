package fourways.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A contender's server in a process of its own, as a user would run it, so that the measuring
 * client shares neither its heap, nor its garbage collector, nor its JIT threads. Every server
 * gets the same heap ({@link #HEAP}), so the resident memory compares what each model spends on
 * its connections, not each JVM's sizing policy.
 */
public final class ServerProcess implements AutoCloseable {
    /**
     * The same fixed heap for every server: Xms = Xmx, so no server grows its heap differently;
     * 1 GiB, so that 10,000 connections fit in every model's heap (with 512 MiB, blocking-io ran
     * out of heap near 6,000) and C10K shows what threads cost rather than which model meets
     * the heap's ceiling first. Untouched heap pages do not count in the resident memory, so
     * RSS still shows what each model used.
     */
    public static final String HEAP_SIZE = "1g";
    public static final List<String> HEAP = List.of("-Xms" + HEAP_SIZE, "-Xmx" + HEAP_SIZE);
    private static final long START_MILLIS = 30_000;
    private static final String LISTENING = "listening on ";

    private final ChildProcess process;
    private final InetSocketAddress address;

    private ServerProcess(ChildProcess process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    /**
     * Starts {@code contender}'s server ({@code server --port 0} and {@code serverArgs}) and
     * returns once it prints {@code listening on HOST:PORT} (rule 20).
     */
    public static ServerProcess start(Contender contender, List<String> jvmArgs, String... serverArgs)
            throws IOException, InterruptedException {
        return start(List.of(), contender, jvmArgs, serverArgs);
    }

    /**
     * As {@link #start(Contender, List, String...)}, the command behind {@code launcher} ({@code taskset -c 0});
     * an {@link OutsideServer} runs its own command instead, without {@code jvmArgs} or {@code serverArgs}.
     */
    public static ServerProcess start(List<String> launcher, Entrant server, List<String> jvmArgs,
                                      String... serverArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        if (server instanceof OutsideServer outside) {
            command.addAll(outside.commandLine());   // its own options only: jvmArgs and serverArgs are ours
        } else if (server instanceof TlsContender tls) {
            command.addAll(command(tls.contender(), jvmArgs, "server"));
            command.addAll(tls.serverArgs());
            command.addAll(List.of("--port", "0"));
            command.addAll(List.of(serverArgs));
        } else if (server instanceof Variant v) {
            List<String> jvm = new ArrayList<>(jvmArgs);
            jvm.addAll(v.jvmFlags());
            command.addAll(command(v.base(), jvm, "server"));
            command.addAll(List.of("--port", "0"));
            command.addAll(List.of(serverArgs));
        } else {
            command.addAll(command((Contender) server, jvmArgs, "server"));
            command.addAll(List.of("--port", "0"));
            command.addAll(List.of(serverArgs));
        }
        ChildProcess p = new ChildProcess(server.label() + "-server", command, line -> false);
        try {
            String line = p.awaitLine(l -> l.startsWith(LISTENING), START_MILLIS);
            if (line == null) {
                throw new IOException(server.label() + " server did not start:\n" + p.tail());
            }
            String hostPort = line.substring(LISTENING.length()).trim();
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            return new ServerProcess(p, new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1))));
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.close();                                // never leave a half-started server behind
            throw e;
        }
    }

    /**
     * {@code java JVMARGS -jar <module>/target/<module>.jar SUBCOMMAND}, the module's own jar
     * when it is built; otherwise this JVM's class path through {@link ModelMain}. The Netty
     * baseline runs from this JVM's class path ({@code benchmarks.jar}).
     */
    public static List<String> command(Contender contender, List<String> jvmArgs, String subcommand) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        Path root = Root.find();
        if (contender.isModule()) {
            Path jar = root.resolve(contender.label()).resolve("target").resolve(contender.label() + ".jar");
            if (Files.isRegularFile(jar)) {
                command.addAll(List.of("-jar", jar.toString(), subcommand));
            } else {
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), ModelMain.class.getName(),
                        contender.label(), subcommand));
            }
        } else {
            // The Netty baseline lives here: this JVM's own class path has it (benchmarks.jar,
            // or target/classes in this module's tests), never a stale copy. Netty's epoll
            // transport loads a JNI library; say so, rather than be warned.
            command.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    "fourways.bench.netty.NettyMain", subcommand,
                    "--transport", contender.transport().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return command;
    }

    public InetSocketAddress address() {
        return address;
    }

    public long pid() {
        return process.pid();
    }

    public ChildProcess process() {
        return process;
    }

    /** SIGTERM, then SIGKILL if it does not exit in time. */
    @Override
    public void close() {
        process.close();
    }
}
