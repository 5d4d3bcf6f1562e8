package fourways.testsuite;

import fourways.protocol.TlsClient;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The hostile peers' TLS client: the JDK's client {@code SSLEngine} driven by hand over a
 * plain blocking socket, so that a test decides what goes into each record and into each TCP
 * write (a KeyUpdate flood, close_notify in the same write as the last frame, a frame cut into
 * records of random sizes). It costs one engine and its buffers; only the test's thread uses it.
 *
 * <p>Unlike {@link RawClient}'s SSLSocket, it writes nothing on its own: what it produces
 * (records, as bytes) goes out only when the test calls {@link #send}. Every read is bounded
 * by the socket's timeout.
 */
final class EngineClient implements AutoCloseable {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final Socket socket;
    private final SSLEngine engine;
    private final InputStream in;
    private final OutputStream out;
    /** Bytes read from the socket, not yet unwrapped: kept in write mode between calls. */
    private ByteBuffer netIn;
    private boolean closeNotifyReceived;

    private EngineClient(Socket socket, SSLEngine engine) throws IOException {
        this.socket = socket;
        this.engine = engine;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    }

    /** Connected and through its handshake, speaking only {@code protocol} ("TLSv1.3" or "TLSv1.2"). */
    static EngineClient connect(InetSocketAddress server, TlsClient tls, String protocol, int timeoutMillis)
            throws IOException {
        return connect(server, tls, protocol, timeoutMillis, false);
    }

    /**
     * A TLS 1.3 client for a flood that never reads: 16 KiB socket buffers on its side, so that
     * what it sends is held back by the server, not by its own kernel; and AES-128, whose keys
     * the JDK schedules about twice as fast as AES-256's, so that KeyUpdates come faster.
     */
    static EngineClient flooder(InetSocketAddress server, TlsClient tls, int timeoutMillis) throws IOException {
        return connect(server, tls, "TLSv1.3", timeoutMillis, true);
    }

    private static EngineClient connect(InetSocketAddress server, TlsClient tls, String protocol, int timeoutMillis,
            boolean flooder) throws IOException {
        Socket s = new Socket();
        try {
            if (flooder) {
                s.setSendBufferSize(16 * 1024);                // before connect, or it is too late
                s.setReceiveBufferSize(16 * 1024);
            }
            s.connect(server, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            s.setTcpNoDelay(true);                             // each send is its own segment, as the test cut it
            SSLEngine engine = tls.newEngine(server);
            engine.setEnabledProtocols(new String[] {protocol});
            if (flooder) engine.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"});
            EngineClient c = new EngineClient(s, engine);
            c.handshake();
            return c;
        } catch (IOException | RuntimeException e) {
            s.close();                                         // a failed connect leaves nothing open
            throw e;
        }
    }

    /** The bytes of a ClientHello, as a fresh client's first write; no socket needed. */
    static byte[] clientHello(TlsClient tls, InetSocketAddress server) throws IOException {
        SSLEngine engine = tls.newEngine(server);
        engine.beginHandshake();
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(NOTHING, net);
        return Arrays.copyOf(net.array(), net.position());
    }

    String protocol() {
        return engine.getSession().getProtocol();
    }

    /** {@code plaintext} as records, one per piece of {@code sizes} (what is left goes in one more). */
    byte[] records(byte[] plaintext, int... sizes) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int at = 0;
        for (int i = 0; at < plaintext.length; i++) {
            int n = i < sizes.length ? Math.min(sizes[i], plaintext.length - at) : plaintext.length - at;
            all.writeBytes(wrap(ByteBuffer.wrap(plaintext, at, n)));
            at += n;
        }
        return all.toByteArray();
    }

    /**
     * TLS 1.3: a KeyUpdate(update_requested) record, which the peer must answer with one of its
     * own. The JDK's engine makes one whenever a handshake is begun on a TLS 1.3 connection.
     */
    byte[] keyUpdate() throws IOException {
        engine.beginHandshake();
        return wrap(NOTHING);
    }

    /** TLS 1.2: the renegotiation's ClientHello, encrypted under the current keys. */
    byte[] renegotiation() throws IOException {
        engine.beginHandshake();
        return wrap(NOTHING);
    }

    /** The close_notify record; the engine sends nothing after it. */
    byte[] closeNotify() throws IOException {
        engine.closeOutbound();
        return wrap(NOTHING);
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(byte[] bytes, int from, int length) throws IOException {
        out.write(bytes, from, length);
        out.flush();
    }

    /**
     * Exactly {@code n} bytes of plaintext, or fewer if the server ended first (see {@link
     * #closeNotifyReceived}); the socket's timeout bounds each wait.
     */
    byte[] read(int n) throws IOException {
        ByteBuffer app = ByteBuffer.allocate(Math.max(n, engine.getSession().getApplicationBufferSize()));
        while (app.position() < n) {
            if (app.remaining() < engine.getSession().getApplicationBufferSize()) {
                app = ByteBuffer.allocate(app.capacity() * 2).put(app.flip());
            }
            if (unwrapSome(app) < 0) break;
        }
        return Arrays.copyOf(app.array(), app.position());
    }

    /** Plaintext until the server's end: its close_notify, a FIN without one, or a reset. */
    byte[] readToEnd() throws IOException {
        ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        try {
            for (;;) {
                if (app.remaining() < engine.getSession().getApplicationBufferSize()) {
                    app = ByteBuffer.allocate(app.capacity() * 2).put(app.flip());
                }
                if (unwrapSome(app) < 0) break;
            }
        } catch (EOFException | java.net.SocketException ended) {
            // a FIN without close_notify, or a reset: the end all the same, close_notify not seen
        }
        return Arrays.copyOf(app.array(), app.position());
    }

    boolean closeNotifyReceived() {
        return closeNotifyReceived;
    }

    InputStream rawInput() {
        return in;
    }

    /** Unwraps what it can into {@code app}: the bytes added, 0 for a record with none, -1 at close_notify. */
    private int unwrapSome(ByteBuffer app) throws IOException {
        for (;;) {
            netIn.flip();
            SSLEngineResult r = engine.unwrap(netIn, app);
            netIn.compact();
            runTasks();
            switch (r.getStatus()) {
                case CLOSED -> {
                    closeNotifyReceived = true;
                    return -1;
                }
                case BUFFER_UNDERFLOW -> fill();
                case BUFFER_OVERFLOW -> throw new IllegalStateException("the caller's buffer has room for a record");
                case OK -> {
                    if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) send(wrap(NOTHING));
                    if (r.bytesProduced() > 0 || r.bytesConsumed() > 0) return r.bytesProduced();
                }
            }
        }
    }

    /** One socket read into {@link #netIn}; the end of the stream is an EOFException. */
    private void fill() throws IOException {
        if (!netIn.hasRemaining()) netIn = ByteBuffer.allocate(netIn.capacity() * 2).put(netIn.flip());
        int n = in.read(netIn.array(), netIn.arrayOffset() + netIn.position(), netIn.remaining());
        if (n < 0) throw new EOFException("the server closed the connection without close_notify");
        netIn.position(netIn.position() + n);
    }

    private byte[] wrap(ByteBuffer plaintext) throws SSLException {
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        ByteBuffer net = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        do {
            net.clear();
            SSLEngineResult r = engine.wrap(plaintext, net);
            runTasks();
            records.write(net.array(), 0, net.position());
            if (r.getStatus() != SSLEngineResult.Status.OK) break;
        } while (plaintext.hasRemaining());
        return records.toByteArray();
    }

    private void handshake() throws IOException {
        engine.beginHandshake();
        ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        for (;;) {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> send(wrap(NOTHING));
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (unwrapSome(app) < 0) throw new SSLException("the server closed during the handshake");
                }
                case NEED_TASK -> runTasks();
                default -> {
                    return;                                    // FINISHED, NOT_HANDSHAKING: done
                }
            }
        }
    }

    private void runTasks() {
        for (Runnable task; (task = engine.getDelegatedTask()) != null; ) task.run();
    }

    /** The TCP socket, at once: no close_notify, which a test that wants one sends itself. */
    @Override
    public void close() throws IOException {
        socket.close();
    }
}
