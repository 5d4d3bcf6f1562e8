package fourways.async;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A hostile TLS client for the tests: a client SSLEngine over a plain non-blocking socket, so a
 * test decides which records go out in which write, and reads the server's records raw. Where an
 * SSLSocket would hide what the server sent (a KeyUpdate's answer) or read for us, this does not.
 * Every wait is bounded by a deadline the caller gives.
 *
 * <p>Threads: one test thread.
 */
final class EngineClient implements AutoCloseable {
    private final SocketChannel socket;
    private final SSLEngine engine;
    private final Selector selector;
    private ByteBuffer netIn = ByteBuffer.allocate(1 << 17);          // write mode
    private final ByteBuffer appIn = ByteBuffer.allocate(1 << 17);    // write mode

    /** Connects; a small receive buffer so that a client that never reads makes the server's socket full soon. */
    EngineClient(InetSocketAddress server, SSLEngine engine, int receiveBuffer) throws IOException {
        this.engine = engine;
        this.socket = SocketChannel.open();
        if (receiveBuffer > 0) socket.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
        socket.connect(server);
        socket.configureBlocking(false);
        selector = Selector.open();
    }

    /** The whole handshake, each flight written as the engine makes it. */
    void handshake(long deadline) throws IOException {
        handshake(deadline, null);
    }

    /** The same, {@code firstFrame}'s records in the same write as the client's last flight (TLS 1.3's Finished). */
    void handshake(long deadline, String firstFrame) throws IOException {
        engine.beginHandshake();
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> {
                    for (Runnable t; (t = engine.getDelegatedTask()) != null; ) t.run();
                }
                case NEED_WRAP -> {
                    ByteBuffer flight = wrap(ByteBuffer.allocate(0));
                    if (firstFrame != null && engine.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING) {
                        ByteBuffer frame = wrap(firstFrame);
                        flight = ByteBuffer.allocate(flight.remaining() + frame.remaining()).put(flight).put(frame).flip();
                    }
                    writeAll(flight, deadline);
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (unwrapOne().bytesConsumed() == 0) readSome(deadline);
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** The records that carry {@code plaintext}, not yet sent: the test picks the write they go in. */
    ByteBuffer wrap(ByteBuffer plaintext) throws SSLException {
        ByteBuffer out = ByteBuffer.allocate(plaintext.remaining() + 4 * engine.getSession().getPacketBufferSize());
        do {
            SSLEngineResult r = engine.wrap(plaintext, out);
            if (r.bytesProduced() == 0 && !plaintext.hasRemaining()) break;
        } while (plaintext.hasRemaining() || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP);
        return out.flip();
    }

    ByteBuffer wrap(String text) throws SSLException {
        return wrap(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** TLS 1.3: a KeyUpdate with update_requested, which the server must answer (the JDK's beginHandshake). */
    ByteBuffer keyUpdate() throws SSLException {
        engine.beginHandshake();
        return wrap(ByteBuffer.allocate(0));
    }

    /** Writes it all, or false if the server took nothing for {@code stallMillis} (it stopped reading). */
    boolean write(ByteBuffer bytes, long stallMillis) throws IOException {
        while (bytes.hasRemaining()) {
            if (socket.write(bytes) > 0) continue;
            SelectionKey key = socket.register(selector, SelectionKey.OP_WRITE);
            int ready = selector.select(stallMillis);
            key.interestOps(0);
            selector.selectNow();
            if (ready == 0) return false;
        }
        return true;
    }

    void writeAll(ByteBuffer bytes, long deadline) throws IOException {
        while (bytes.hasRemaining()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0 || !write(bytes, left)) throw new IOException("the server took nothing before the deadline");
        }
    }

    /** Reads what has come, waiting until the deadline for something; -1 at the server's FIN. */
    int readSome(long deadline) throws IOException {
        while (true) {
            if (!netIn.hasRemaining()) netIn = ByteBuffer.allocate(2 * netIn.capacity()).put(netIn.flip());
            int n = socket.read(netIn);
            if (n != 0) return n;
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) return 0;
            SelectionKey key = socket.register(selector, SelectionKey.OP_READ);
            selector.select(left);
            key.interestOps(0);
            selector.selectNow();
        }
    }

    /** One record from what was read; its plaintext kept for {@link #plaintext}. */
    SSLEngineResult unwrapOne() throws SSLException {
        netIn.flip();
        try {
            return engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
        }
    }

    /** The bytes read and not yet unwrapped. */
    int buffered() {
        return netIn.position();
    }

    String plaintext() {
        String s = new String(appIn.array(), 0, appIn.position(), StandardCharsets.UTF_8);
        appIn.clear();
        return s;
    }

    SocketChannel socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        selector.close();
        socket.close();
    }
}
