package fourways.bench;

import fourways.bench.netty.NettyTls;
import fourways.protocol.Frames;
import fourways.protocol.TlsServer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson 8: what TLS costs per frame once the handshake is done: one 64-byte frame (69 bytes
 * with its delimiter) wrapped into one TLS 1.3 record by the client's {@link SSLEngine}, and
 * that record unwrapped by the server's, on an in-memory pair of engines, no sockets: the work
 * nio-selector and nio2-async do by hand for every frame, and SSLSocket and Netty's SslHandler
 * do for the others. The JDK's engine, or BoringSSL's through netty-tcnative ({@code provider}).
 *
 * <p>Measures: {@code wrap}, the sender's cost (AES-GCM and the record's 22 bytes of header and
 * tag); {@code wrapAndUnwrap}, both sides: the receiver's cost is the difference. Direct
 * buffers, as a channel's I/O would use.
 *
 * <p>Does not measure: the handshake (lesson 7), system calls, many frames gathered into one
 * record (a server that batches its replies pays the record's fixed cost once per batch), nor
 * the copies a model makes around the engine.
 *
 * <p>Run it: {@code java -jar benchmarks/target/benchmarks.jar B08}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)   // the JDK's AES-GCM reaches its compiled speed only after several seconds
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class B08_TlsRecords {

    @Param({"JDK", "OPENSSL"})
    public NettyTls.Provider provider;

    private static final int BUFFER = 32 * 1024;       // more than a TLS record's largest, 16 KiB and overhead
    private final ByteBuffer frame = ByteBuffer.allocateDirect(69).put(Frames.frame(new byte[64])).flip();
    private final ByteBuffer net = ByteBuffer.allocateDirect(BUFFER);
    private final ByteBuffer app = ByteBuffer.allocateDirect(BUFFER);
    private SSLEngine client;
    private SSLEngine server;

    @Setup(Level.Trial)
    public void connect() throws IOException {
        Path dir = Files.createTempDirectory("fourways-b08-");
        try {
            BenchPki pki = BenchPki.create(dir);
            SslContext serverContext = NettyTls.serverContext(TlsServer.fromPem(pki.cert(), pki.key()), provider);
            SslContext clientContext = NettyTls.clientContext(pki.cert(), provider);
            server = serverContext.newEngine(ByteBufAllocator.DEFAULT);
            client = clientContext.newEngine(ByteBufAllocator.DEFAULT, "127.0.0.1", 443);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.delete(f);   // the engines hold the key now, not the file
            }
            Files.delete(dir);
        }
        handshake(client, server);
        if (!"TLSv1.3".equals(client.getSession().getProtocol())) {
            throw new SSLException("the engines agreed on " + client.getSession().getProtocol() + ", not TLS 1.3");
        }
    }

    @Benchmark
    public int wrap() throws SSLException {
        frame.rewind();
        net.clear();
        client.wrap(frame, net);
        return net.position();
    }

    @Benchmark
    public int wrapAndUnwrap() throws SSLException {
        frame.rewind();
        net.clear();
        client.wrap(frame, net);
        net.flip();
        app.clear();
        SSLEngineResult r = server.unwrap(net, app);
        if (app.position() != frame.capacity()) throw new SSLException("unwrapped " + r + ", not the frame");
        return app.position();
    }

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    /**
     * The two engines' handshake, each one's output the other's input, turn by turn. Bounded:
     * a pair that stops making progress fails the trial instead of spinning.
     */
    static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        ByteBuffer toServer = ByteBuffer.allocateDirect(BUFFER), toClient = ByteBuffer.allocateDirect(BUFFER);
        ByteBuffer ignored = ByteBuffer.allocateDirect(BUFFER);
        client.beginHandshake();
        server.beginHandshake();
        for (int turn = 0; turn < 1_000; turn++) {
            boolean clientBusy = step(client, toClient, toServer, ignored);
            boolean serverBusy = step(server, toServer, toClient, ignored);
            if (!clientBusy && !serverBusy) return;
        }
        throw new SSLException("the in-memory handshake did not finish in 1,000 turns");
    }

    /** One step of one engine: its delegated tasks, or a wrap into {@code out}, or an unwrap of {@code in}. */
    private static boolean step(SSLEngine e, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
        switch (e.getHandshakeStatus()) {
            case NEED_TASK -> {
                for (Runnable task = e.getDelegatedTask(); task != null; task = e.getDelegatedTask()) task.run();
            }
            case NEED_WRAP -> e.wrap(NOTHING, out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();                               // what the peer wrote, now to be read
                e.unwrap(in, app.clear());               // BUFFER_UNDERFLOW: the peer has not written it yet
                in.compact();
            }
            default -> {
                return false;                            // FINISHED or NOT_HANDSHAKING: this side is done
            }
        }
        return true;
    }
}
