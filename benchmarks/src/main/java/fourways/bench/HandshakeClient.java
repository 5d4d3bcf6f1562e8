package fourways.bench;

import fourways.bench.netty.NettyTls;
import fourways.protocol.Frames;
import fourways.protocol.Link;
import fourways.protocol.Model;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The side-by-side run's handshakes client: {@code --connections} threads, each opening
 * {@code --messages} connections one after another through a model's own client (connect, TLS
 * handshake, one echo of a 64-byte frame, verified to the byte, close), and rule 18's RESULT
 * line with one "message" per connection. Costs a platform thread per parallel connection, and
 * on the JDK's engine per connection a new client context ({@link TlsClient#withNewSessionCache()},
 * about 10 us): with one shared, the JDK client would resume its last session, and the row would
 * measure resumptions, not full handshakes. On OpenSSL's ({@code --engine openssl}, a model whose
 * client drives engines) one context serves all, its session cache off ({@link OpenSslEngines}):
 * a handshake then costs this client a fraction of what it costs a JDK server, which a JDK client
 * on one core could not keep busy.
 */
@Command(name = "handshakes", mixinStandardHelpOptions = true,
        description = "Connect, handshake, one echo, close: again and again, in parallel, with MODEL's client.")
public final class HandshakeClient implements java.util.concurrent.Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The client's model, e.g. blocking-io.")
    String model;

    @Option(names = "--host") String host = "127.0.0.1";
    @Option(names = "--port", required = true) int port;
    @Option(names = "--connections", description = "Connections open at once, each a thread.") int parallel = 4;
    @Option(names = "--messages", description = "Connections each thread opens, one after another.") int cycles = 100;
    @Option(names = "--warm-up", description = "First this many per thread, not reported.") int warmUp;
    @Option(names = "--timeout", description = "Seconds for the whole run.") long timeoutSeconds = 300;
    @Option(names = "--tls") boolean tls;
    @Option(names = "--trust", description = "The CA (PEM) the server's certificate chains to.") Path trust;
    @Option(names = "--engine", description = "The client's TLS engine: jdk or openssl (default: jdk).") String engine = "jdk";

    private static final byte[] PAYLOAD = "x".repeat(64).getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FRAME = Frames.frame(PAYLOAD);
    private static final byte[] REPLY = Frames.echoReply(ByteBuffer.wrap(PAYLOAD)).array();

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private final LongAdder errors = new LongAdder();
    private TlsClient trusting;
    private boolean openSsl;
    private final List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());

    public static void main(String[] args) {
        System.exit(new CommandLine(new HandshakeClient()).execute(args));
    }

    /** {@code java JVMARGS -cp CLASSPATH fourways.bench.HandshakeClient MODEL}: the options follow. */
    public static List<String> command(Contender client, List<String> jvmArgs) {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        c.addAll(jvmArgs);
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), HandshakeClient.class.getName(), client.label()));
        return c;
    }

    @Override
    public Integer call() throws Exception {
        if (tls && trust == null) throw new CommandLine.ParameterException(new CommandLine(this), "--tls needs --trust");
        Model m = Contender.byName(model).model();
        if (!engine.equals("jdk") && !engine.equals("openssl")) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--engine: jdk or openssl, not " + engine);
        }
        openSsl = NettyTls.Provider.byLabel(engine) == NettyTls.Provider.OPENSSL;
        trusting = !tls ? null : openSsl ? OpenSslEngines.trusting(trust) : TlsClient.trusting(trust);
        InetSocketAddress server = new InetSocketAddress(host, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        if (warmUp > 0) run(m, server, warmUp, deadline, new Histogram(3));
        errors.reset();
        Histogram latencies = new Histogram(3);
        long start = System.nanoTime();
        long done = run(m, server, cycles, deadline, latencies);
        double seconds = (System.nanoTime() - start) / 1e9;
        long cut = (long) parallel * cycles - done - errors.sum();      // never finished: an error each
        out.printf(Locale.ROOT, "RESULT connections=%d messages=%d seconds=%.3f msgs_per_sec=%.3f p50_us=%d p90_us=%d"
                        + " p99_us=%d p999_us=%d max_us=%d errors=%d%n", parallel, done, seconds, done / seconds,
                micros(latencies, 50), micros(latencies, 90), micros(latencies, 99), micros(latencies, 99.9),
                latencies.getTotalCount() == 0 ? 0 : (latencies.getMaxValue() + 500) / 1000, errors.sum() + cut);
        firstErrors.forEach(e -> System.err.println(model + ": " + e));
        return errors.sum() + cut == 0 ? 0 : 1;
    }

    /** Runs {@code perThread} cycles on each thread, or until the deadline; returns how many went well. */
    private long run(Model m, InetSocketAddress server, int perThread, long deadline, Histogram into)
            throws InterruptedException {
        AtomicLong good = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(parallel);
        for (int t = 0; t < parallel; t++) {
            // Daemon: a thread stuck on a server that never answers must not keep the JVM past its deadline.
            Thread.ofPlatform().daemon().name("handshakes-" + t).start(() -> {
                Histogram mine = new Histogram(3);
                try {
                    for (int i = 0; i < perThread && System.nanoTime() - deadline < 0; i++) {
                        try {
                            mine.recordValue(cycle(m, server));
                            good.incrementAndGet();
                        } catch (IOException | RuntimeException e) {
                            errors.increment();
                            if (firstErrors.size() < 5) firstErrors.add(e.toString());
                        }
                    }
                } finally {
                    synchronized (into) {
                        into.add(mine);
                    }
                    finished.countDown();
                }
            });
        }
        finished.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return good.get();
    }

    /** One connection: its nanoseconds from connect to the verified reply, the close included. */
    private long cycle(Model m, InetSocketAddress server) throws IOException {
        // Never a resumed session: a fresh JDK context, or OpenSSL's with no session cache at all.
        TlsClient client = !tls ? null : openSsl ? trusting : trusting.withNewSessionCache();
        long t0 = System.nanoTime();
        try (Link link = m.connect(server, client)) {
            link.send(ByteBuffer.wrap(FRAME));
            ByteBuffer reply = ByteBuffer.allocate(REPLY.length);
            while (reply.hasRemaining()) {
                if (link.receive(reply) < 0) throw new IOException("the server closed before its whole reply");
            }
            if (!Arrays.equals(reply.array(), REPLY)) throw new IOException("the reply is not the echo of the frame");
        }
        return System.nanoTime() - t0;
    }

    private static long micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : (h.getValueAtPercentile(percentile) + 500) / 1000;
    }
}
