package fourways.bench;

import fourways.protocol.Frames;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
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
 * Lesson 6: what each model's server allocates per echo frame, its transport and the protocol
 * together, over a real loopback socket.
 *
 * <p>Measures: one operation writes 16 pipelined 64-byte frames in one write and reads the 16
 * replies. The server runs in JMH's own process, so {@code -prof gc}'s
 * {@code gc.alloc.rate.norm}, which counts every thread of the process, is the server's
 * garbage per 16 frames: the client here allocates nothing (direct buffers, a blocking
 * channel, no decoding: the replies' length is known). Lesson 5 is the protocol's share alone.
 *
 * <p>Does not measure: time that means anything (client and server share the JVM and the CPUs;
 * the side-by-side run measures speed), or chat and sink, which allocate by design.
 *
 * <p>Run it: {@code java -jar benchmarks/target/benchmarks.jar B06 -prof gc} and read
 * {@code gc.alloc.rate.norm} divided by 16.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class B06_TransportAllocation {
    static final int FRAMES = 16;
    static final int SIZE = 64;
    static final int REPLIES = FRAMES * (Frames.ECHO_PREFIX.length + SIZE + Frames.DELIMITER.length);

    @Param({"BLOCKING_IO", "NIO_SELECTOR", "NIO2_ASYNC", "VIRTUAL_THREADS", "NETTY_EPOLL"})
    public Contender model;

    private Server server;
    private SocketChannel client;
    private final ByteBuffer frames = ByteBuffer.allocateDirect(FRAMES * (SIZE + Frames.DELIMITER.length));
    private final ByteBuffer replies = ByteBuffer.allocateDirect(REPLIES);

    @Setup(Level.Trial)
    public void start() throws IOException {
        server = model.model().start(ServerConfig.defaults().withPort(0).withIdleTimeout(Duration.ZERO));
        client = SocketChannel.open(server.address());
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        for (int i = 0; i < FRAMES; i++) frames.put(Frames.frame(new byte[SIZE]));
    }

    @Benchmark
    public int sixteenFrames() throws IOException {
        frames.clear();
        while (frames.hasRemaining()) client.write(frames);
        replies.clear();
        while (replies.hasRemaining()) {
            if (client.read(replies) < 0) throw new EOFException("the server closed after " + replies.position() + " bytes");
        }
        return replies.get(REPLIES - 1);              // '>' of the last <EOF>: returned, so it is not optimised away
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        try {
            if (client != null) client.close();
        } finally {
            if (server != null) server.close();
        }
    }
}
