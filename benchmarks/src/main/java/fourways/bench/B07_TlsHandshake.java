package fourways.bench;

import fourways.bench.netty.NettyModel;
import fourways.bench.netty.NettyTls;
import fourways.protocol.TlsClient;
import fourways.protocol.TlsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson 7: what a TLS handshake costs, per server: connect, a full TLS 1.3 handshake (EC P-256
 * certificate, the JDK's defaults for the key exchange), close. A handshake is milliseconds of
 * CPU where an echo over an open connection is microseconds: a server that serves short
 * connections over TLS spends most of its time here, whatever its model.
 *
 * <p>Measures: the time of one handshake seen from the client, the JDK's {@link SSLSocket} in
 * JMH's thread, the same for every server, against each model's server over TLS in a process
 * of its own ({@code --tls --cert --key}), and the Netty baseline with its two engines
 * ({@code netty-tls-jdk}, {@code netty-tls-openssl}, on the platform's native transport). Each
 * handshake gets a fresh client context, made before the clock starts: with one shared, the
 * client would resume its last session, a much shorter handshake than a new client's.
 *
 * <p>Does not measure: the server's CPU per handshake (the side-by-side run's
 * {@code handshakes} workload has it, with four clients at a time), resumed sessions, TLS 1.2,
 * RSA certificates (several times slower to sign with), nor any exchange after the handshake.
 * A model without a TLS server yet fails its trial with the reason, and the others run.
 *
 * <p>Run it: {@code java -jar benchmarks/target/benchmarks.jar B07}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// Longer than the plain lessons': the JDK's elliptic-curve arithmetic, in Java, on both sides,
// reaches its compiled speed only after some hundreds of handshakes.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class B07_TlsHandshake {

    @Param({"blocking-io", "nio-selector", "nio2-async", "virtual-threads", "netty-tls-jdk", "netty-tls-openssl"})
    public String server;

    private Path dir;
    private BenchPki pki;
    private ServerProcess process;
    private TlsClient trusting;
    private TlsClient client;

    @Setup(Level.Trial)
    public void start() throws Exception {
        dir = Files.createTempDirectory("fourways-b07-");
        pki = BenchPki.create(dir);
        TlsContender contender = contender(server, pki.serverArgs());
        String why = contender.whyNot(TlsServer.fromPem(pki.cert(), pki.key()));
        if (why != null) throw new IllegalStateException(server + " cannot run: " + why);
        process = ServerProcess.start(List.of(), contender, ServerProcess.HEAP, "--idle-timeout", "0");
        trusting = TlsClient.trusting(pki.cert());
    }

    /** Before the clock: a client with no session to resume. */
    @Setup(Level.Invocation)
    public void freshClient() throws IOException {
        client = trusting.withNewSessionCache();
    }

    @Benchmark
    public String connectHandshakeClose() throws IOException {
        try (SSLSocket socket = client.connect(process.address(), 10_000)) {
            return socket.getSession().getProtocol();     // TLSv1.3; returned, so the JIT keeps the work
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        if (process != null) process.close();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(dir);
    }

    /** A module by name, or the Netty baseline on this platform's native transport with an engine. */
    static TlsContender contender(String label, List<String> tlsArgs) {
        if (!label.startsWith("netty-tls-")) return new TlsContender(Contender.byName(label), null, tlsArgs);
        Contender netty = Contender.byName("netty-" + NettyModel.Transport.nativeOrNio().name().toLowerCase(Locale.ROOT));
        return new TlsContender(netty, NettyTls.Provider.byLabel(label.substring("netty-tls-".length())), tlsArgs);
    }
}
