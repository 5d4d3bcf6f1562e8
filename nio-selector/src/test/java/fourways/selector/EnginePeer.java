package fourways.selector;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS 1.3 client driven by hand, an SSLEngine over a blocking channel, for the peers the JDK's
 * sockets will not play: one that sends its last frame and its close_notify in one write, with
 * no FIN behind (as Python's unwrap() does), and one that floods KeyUpdate(update_requested)
 * records and never reads a byte, so that every answer the server owes stays with it. The
 * JDK has no call named for it, but over TLS 1.3, where there is no renegotiation, a second
 * {@code beginHandshake()} on an established engine makes exactly one KeyUpdate, asking for the
 * peer's (the 27-byte record the probes saw). The cost: trust-all, for loopback tests and
 * measurements only.
 *
 * <p>As a program, {@code EnginePeer PORT SECONDS} floods 127.0.0.1:PORT with KeyUpdates for
 * SECONDS, for measuring a server by hand.
 */
public final class EnginePeer implements AutoCloseable {
    private final SSLEngine engine;
    private final SocketChannel channel;
    private final ByteBuffer out = ByteBuffer.allocate(1 << 16);
    private final AtomicLong written = new AtomicLong();

    /** Connects, with small socket buffers (what is never read stays small on our side), and completes the handshake. */
    public EnginePeer(InetSocketAddress server) throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(null, new TrustManager[] {new TrustAll()}, null);
        engine = context.createSSLEngine(server.getHostString(), server.getPort());
        engine.setUseClientMode(true);
        channel = SocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
        channel.connect(server);
        handshake(engine, channel);
    }

    /**
     * KeyUpdates, written in batches of about 32 KiB, until {@code keepGoing} says stop; the
     * write blocks once the server stops reading (rule 11), as TCP flow control means it to.
     */
    public void flood(java.util.function.BooleanSupplier keepGoing) throws Exception {
        ByteBuffer none = ByteBuffer.allocate(0);
        while (keepGoing.getAsBoolean()) {
            engine.beginHandshake();                  // TLS 1.3, established: one KeyUpdate(update_requested)
            engine.wrap(none, out);
            if (out.position() > out.capacity() / 2) {
                out.flip();
                while (out.hasRemaining()) written.addAndGet(channel.write(out));
                out.clear();
            }
        }
    }

    /** The frame, then close_notify, in one write and no FIN: the end comes with the last frame. */
    public void sendThenCloseNotify(byte[] frame) throws Exception {
        engine.wrap(ByteBuffer.wrap(frame), out);
        engine.closeOutbound();
        while (!engine.isOutboundDone()) engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        while (out.hasRemaining()) channel.write(out);
        out.clear();
    }

    /**
     * Plaintext until the server's close_notify, read with {@code timeoutMillis} per read.
     *
     * @throws java.net.SocketTimeoutException if a read waits that long: no close_notify came
     */
    public byte[] readUntilCloseNotify(int timeoutMillis) throws Exception {
        channel.socket().setSoTimeout(timeoutMillis);
        java.io.InputStream socketIn = channel.socket().getInputStream();   // honours SO_TIMEOUT
        ByteBuffer in = ByteBuffer.allocate(1 << 17), app = ByteBuffer.allocate(1 << 17);
        while (true) {
            in.flip();
            SSLEngineResult r = engine.unwrap(in, app);
            in.compact();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) break;
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0) {
                int n = socketIn.read(in.array(), in.position(), in.remaining());
                if (n < 0) throw new java.io.EOFException("FIN without close_notify: a truncation");
                in.position(in.position() + n);
            }
        }
        return java.util.Arrays.copyOf(app.array(), app.position());
    }

    /** Bytes of KeyUpdate records the socket has taken so far; any thread. */
    public long written() {
        return written.get();
    }

    @Override
    public void close() throws Exception {
        channel.close();
    }

    public static void main(String[] args) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
        try (EnginePeer f = new EnginePeer(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])))) {
            Thread flooder = Thread.ofPlatform().daemon().start(() -> {
                try {
                    f.flood(() -> System.nanoTime() - end < 0);
                } catch (Exception e) {
                    System.out.println("flood ended: " + e);
                }
            });
            // Waits for the flood to end, a second at a time, with a report each second.
            while (System.nanoTime() - end < 0 && flooder.isAlive()) {
                flooder.join(1_000);
                System.out.println("written " + f.written() + " bytes");
            }
        }
        System.exit(0);                               // the flood thread may be blocked in a write
    }

    /** A blocking handshake over the channel: wrap, write, read, unwrap, tasks, until done. */
    private static void handshake(SSLEngine engine, SocketChannel ch) throws Exception {
        ByteBuffer in = ByteBuffer.allocate(1 << 17), out = ByteBuffer.allocate(1 << 17), app = ByteBuffer.allocate(1 << 17);
        engine.beginHandshake();
        for (int i = 0; i < 1_000; i++) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> {
                    engine.wrap(ByteBuffer.allocate(0), out);
                    out.flip();
                    while (out.hasRemaining()) ch.write(out);
                    out.clear();
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    SSLEngineResult r = engine.unwrap(in, app);
                    in.compact();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && ch.read(in) < 0) {
                        throw new IllegalStateException("server closed during the handshake");
                    }
                }
                case NEED_TASK -> {
                    for (Runnable t; (t = engine.getDelegatedTask()) != null; ) t.run();
                }
                default -> {
                    return;
                }
            }
        }
        throw new IllegalStateException("handshake did not end");
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
