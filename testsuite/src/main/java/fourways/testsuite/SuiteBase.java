package fourways.testsuite;

import static org.junit.jupiter.api.Assertions.fail;

import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;

/**
 * What every rule class of the suite stands on: the model under test, servers that are always
 * closed after each test, and waits that are bounded by a deadline.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class SuiteBase {
    /** JDK threads that come and go on their own: never the server's, so never a leak. */
    private static final List<String> JDK_THREADS = List.of("ForkJoinPool", "Read-Poller", "Write-Poller",
            "VirtualThread-unparker", "process reaper", "Attach Listener", "Common-Cleaner", "InnocuousThread",
            "JFR", "Signal Dispatcher", "Notification Thread", "surefire", "Reference Handler", "Finalizer");

    protected final Model model;
    /**
     * Rule 24, every rule over TLS: the suite's clients trust {@link TestPki}'s CA and its
     * servers show its server certificate; null when the suite runs over plain TCP.
     */
    protected final TlsClient tls;
    /**
     * What the test opened, closed after it: by the test's thread in {@code @AfterEach}, or by the
     * black-box runner's {@link HardDeadline} from its own thread, hence the lock.
     */
    private final List<AutoCloseable> toClose = java.util.Collections.synchronizedList(new ArrayList<>());

    protected SuiteBase(Model model) {
        this(model, false);
    }

    protected SuiteBase(Model model, boolean overTls) {
        this.model = model;
        this.tls = overTls ? TestPki.get().client() : null;
    }

    protected boolean overTls() {
        return tls != null;
    }

    /**
     * For the few tests whose subject TLS does not touch (a stuck standard output, say): over
     * TLS they are skipped, with {@code why}, so that the suite run twice stays in the build's
     * five minutes. The plain run still holds every model to them.
     */
    protected void plainOnly(String why) {
        org.junit.jupiter.api.Assumptions.assumeFalse(overTls(), why);
    }

    /**
     * The config as this run of the suite serves it: over TLS, with the test server certificate
     * unless the test chose another. Its handshake deadline (rule 25) is a minute, not the
     * default 10 s: rule 5 starts 200 handshakes at once, and beside eight busy loops and another
     * build one of them took longer than 10 s from accept and was closed. The tests of rule 25
     * set their own, shorter deadline.
     */
    protected ServerConfig secured(ServerConfig config) {
        return tls == null || config.tlsEnabled() ? config
                : config.withTls(TestPki.get().server().withHandshakeTimeout(Duration.ofMinutes(1)));
    }

    /** A server on a free loopback port, closed after the test. */
    protected Server start(ServerConfig config) throws IOException {
        Server server = model.start(secured(config).withHost("127.0.0.1").withPort(0));
        toClose.add(server);
        return server;
    }

    /** A raw client speaking what the server does (TLS or plain TCP); the caller closes it. */
    protected RawClient rawClient(InetSocketAddress server) throws IOException {
        return RawClient.connect(server, 0, tls);
    }

    protected Server startEcho() throws IOException {
        return start(ServerConfig.defaults());
    }

    /** A raw client, closed after the test. */
    protected RawClient connect(Server server) throws IOException {
        RawClient c = rawClient(server.address());
        toClose.add(c);
        return c;
    }

    protected RawClient connect(Server server, int receiveBuffer) throws IOException {
        RawClient c = RawClient.connect(server.address(), receiveBuffer, tls);
        toClose.add(c);
        return c;
    }

    /** Anything else the test opened. */
    protected <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    /** Newest first; every one is closed even when one fails, and the first failure is thrown. */
    @AfterEach
    void closeEverything() throws Exception {
        List<AutoCloseable> all;
        synchronized (toClose) {
            all = new ArrayList<>(toClose);
            toClose.clear();
        }
        Exception first = null;
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).close();
            } catch (Exception e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    /** A bounded poll: true as soon as {@code condition} holds, false once the deadline passes. */
    protected static boolean eventually(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) return false;
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }

    protected static void awaitOrFail(Duration limit, BooleanSupplier condition, String what)
            throws InterruptedException {
        if (!eventually(limit, condition)) fail("still not true after " + limit + ": " + what);
    }

    /** Platform threads alive now, less the JDK's own. */
    protected static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> JDK_THREADS.stream().noneMatch(t.getName()::startsWith))
                .collect(Collectors.toSet());
    }

    /** Open sockets of this process (Linux: /proc/self/fd); -1 where that cannot be read. */
    protected static long openSockets() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) return -1;
        try (Stream<Path> s = Files.list(fds)) {
            return s.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().startsWith("socket:");
                } catch (IOException gone) {
                    return false;                     // closed while we looked
                }
            }).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * A child JVM running this model's command line (see {@link Launch}); over TLS, a server
     * gets the test certificate's {@code --tls --cert --key}, a client {@code --tls --trust}.
     */
    protected ProcessBuilder childProcess(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        // A child lives for a second or two: C1 alone and the serial collector start it for less
        // CPU than C2 and G1 would (rule 8's sink over TLS on nio-selector: 2.3 s of the child's
        // CPU became 1.2 s, measured 2026-12-06). What it does on the wire is the same.
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                Launch.class.getName(), model.getClass().getName()));
        command.addAll(List.of(withTls(args)));
        return new ProcessBuilder(command);
    }

    /** The command line's TLS options for this run of the suite, after the subcommand. */
    protected String[] withTls(String... args) {
        if (tls == null || args.length == 0) return args;
        TestPki pki = TestPki.get();
        List<String> with = new ArrayList<>(List.of(args));
        if (args[0].equals("server")) {
            with.addAll(1, List.of("--tls", "--cert", pki.file("server.pem").toString(), "--key", pki.file("server.key").toString()));
        } else if (args[0].equals("client")) {
            with.addAll(1, List.of("--tls", "--trust", pki.file("ca.pem").toString()));
        }
        return with.toArray(String[]::new);
    }
}
