package fourways.bench;

import java.nio.ByteBuffer;
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
 * Lesson 1: the latency of one round trip on one connection, each model's server against the
 * same client.
 *
 * <p>Measures: the time from writing one echo frame (64 B or 4 KiB of payload) to holding its
 * whole reply, on a connection opened once, with nothing else in flight (ping-pong). The server
 * runs in its own process (its module's jar, the same heap for all); the client is one blocking
 * {@link EchoClient} in JMH's thread, the same for every model, so a difference is the server's:
 * how many thread hand-offs and system calls stand between a readable socket and the reply.
 * {@code Mode.SampleTime} keeps the distribution, so read the percentiles, not only the mean.
 *
 * <p>Does not measure: behaviour under many connections (B02, and the side-by-side run), the
 * models' own clients, or anything but loopback: no network, no packet loss. With one
 * connection, the reactor's advantage (few threads for many sockets) cannot show.
 *
 * <p>Run it: {@code java -jar benchmarks/target/benchmarks.jar B01 -p model=NIO_SELECTOR,NETTY_NIO}
 * (no {@code -p}: every model, which takes about two minutes per model and size).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class B01_RoundTrip {

    /** Every contender: the four models and the Netty baseline. */
    @Param
    public Contender model;

    @Param({"64", "4096"})
    public int size;

    private ServerProcess server;
    private EchoClient client;
    private ByteBuffer frame;

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = ServerProcess.start(model, ServerProcess.HEAP);
        client = new EchoClient(server.address(), size);
        frame = EchoClient.frame(size);
    }

    @Benchmark
    public int roundTrip() throws Exception {
        return client.roundTrip(frame);           // returned, so JMH keeps it from being optimised away
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        try {
            if (client != null) client.close();
        } finally {
            if (server != null) server.close();      // the server even if closing the client failed
        }
    }
}
