package fourways.bench;

import fourways.protocol.Connection;
import fourways.protocol.Frames;
import fourways.protocol.LoadConnection;
import fourways.protocol.LoadPlan;
import fourways.protocol.LoadRun;
import fourways.protocol.ServerConfig;
import fourways.protocol.Services;
import fourways.protocol.Session;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lesson 5: what one read of 16 pipelined 64-byte frames costs the protocol in time and in
 * garbage, on each side of the wire, no sockets involved.
 *
 * <ul>
 *   <li>{@code echoSession}: the server side. One read carrying 16 frames goes through
 *       {@link Session#onBytes}: decoded (rule 3), answered (rule 5), each reply handed to the
 *       transport, here a {@link Connection} that only consumes it.
 *   <li>{@code loadConnection}: the client side. {@link LoadConnection} writes 16 frames, then
 *       checks the 16 replies an echo server would send (rule 17), in one read.
 * </ul>
 * Read it with {@code -prof gc}: {@code gc.alloc.rate.norm} is bytes allocated per operation,
 * 16 frames; divide by 16 for a frame. The load client's side allocates nothing per message
 * (the side-by-side run depends on it being cheap); neither does the server side now: echo
 * builds every reply in one buffer of its connection's, which the transport copies. (Before,
 * a buffer per reply: 161 bytes a 64-byte frame.)
 *
 * <p>Does not measure: the transports, whose buffers, queues and system calls are each
 * model's own: lesson 6 counts their garbage, the side-by-side run's {@code server us/msg}
 * column their whole cost.
 *
 * <p>Run it: {@code java -jar benchmarks/target/benchmarks.jar B05 -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class B05_Allocation {
    /** Frames per read: the side-by-side run's pipelined workload keeps 16 in flight. */
    static final int FRAMES = 16;
    static final int SIZE = 64;

    private ByteBuffer read;
    private Session session;
    private LoadRun run;
    private LoadConnection client;
    private final ByteBuffer sent = ByteBuffer.allocate(FRAMES * (SIZE + 5));
    private ByteBuffer replies;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        // The server side: 16 frames in one read, and a transport that only consumes replies.
        read = ByteBuffer.allocate(FRAMES * (SIZE + Frames.DELIMITER.length));
        for (int i = 0; i < FRAMES; i++) read.put(Frames.frame(new byte[SIZE]));
        session = new Services(ServerConfig.defaults()).open(new Connection() {
            private final InetSocketAddress remote = new InetSocketAddress("127.0.0.1", 50_000);

            @Override
            public InetSocketAddress remote() {
                return remote;
            }

            @Override
            public void reply(ByteBuffer bytes) {
                bh.consume(bytes.get(bytes.limit() - 1));   // a transport copies; the caller keeps its buffer
            }

            @Override
            public boolean deliver(ByteBuffer frame) {
                bh.consume(frame);
                return true;
            }

            @Override
            public void abort() {
                throw new IllegalStateException("an echo of well-formed frames is never aborted");
            }
        });
        // The client side: one connection with room for 16 in flight, and their replies.
        run = new LoadRun(new LoadPlan(1, LoadPlan.MAX_MESSAGES, SIZE, FRAMES, 0, Duration.ofHours(1)));
        run.allConnected();
        client = run.connection(0);
        replies = ByteBuffer.allocate(FRAMES * (Frames.ECHO_PREFIX.length + SIZE + Frames.DELIMITER.length));
    }

    @Benchmark
    public Session.Next echoSession() {
        return session.onBytes(read.clear());
    }

    @Benchmark
    public int loadConnection() {
        sent.clear();
        client.writeFrames(sent, System.nanoTime());
        // What an echo server sends back: each frame's payload behind rule 5's prefix.
        sent.flip();
        replies.clear();
        for (int i = 0; i < FRAMES; i++) {
            replies.put(Frames.ECHO_PREFIX).put(sent.array(), i * (SIZE + 5), SIZE + 5);
        }
        return client.onBytes(replies.flip());
    }
}
