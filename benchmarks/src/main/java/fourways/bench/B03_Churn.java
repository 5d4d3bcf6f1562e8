package fourways.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
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
 * Lesson 3: connection churn, the pattern of the original C# sample: connect, one exchange
 * with a one-shot server (rule 7), close.
 *
 * <p>Measures: whole connections per second, one after another: the handshake, accepting
 * (and, for blocking-io, starting a platform thread; for virtual-threads, a virtual one; for
 * the reactors, registering a key), the seed's message {@code "This is a test"} and its reply,
 * the server's FIN, and the close. The server runs in its own process with {@code --one-shot};
 * the client is one blocking {@link EchoClient} per connection in JMH's thread, the same for
 * every server.
 *
 * <p>Does not measure: connections opened in parallel (one at a time here), nor the cost of
 * the server's 2-second linger (rule 7), which ends early because the client closes. The
 * server's side ends each connection in TIME_WAIT, as the side that closes first: a long run
 * fills the kernel's table with them, which is part of the cost of churn.
 *
 * <p>Run it: {@code java -jar benchmarks/target/benchmarks.jar B03}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class B03_Churn {

    @Param
    public Contender model;

    private static final ByteBuffer SEED_FRAME =
            ByteBuffer.wrap("This is a test<EOF>".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();

    private ServerProcess server;
    private final ByteBuffer frame = SEED_FRAME.duplicate();

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = ServerProcess.start(model, ServerProcess.HEAP, "--one-shot");
    }

    @Benchmark
    public int connectExchangeClose() throws Exception {
        try (EchoClient client = new EchoClient(server.address(), 64)) {
            client.send(frame);
            return client.replyThenClose();       // the reply, then the server's FIN
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
    }
}
