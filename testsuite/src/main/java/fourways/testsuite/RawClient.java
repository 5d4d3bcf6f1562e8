package fourways.testsuite;

import static org.junit.jupiter.api.Assertions.fail;

import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import fourways.protocol.TlsClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * The suite's own client: a plain blocking socket that knows the framing and nothing else, so
 * a server is judged by bytes, not by its own module's client. Every read is bounded by a
 * socket timeout, so no test can hang on a server that stays silent.
 *
 * <p>Over TLS (rule 24) the socket is an SSLSocket trusting the test CA, with the JDK's TLS
 * and none of the model's: each write is then its own TLS record (a frame sent a byte at a
 * time is a record per byte), {@link #shutdownOutput} sends close_notify then FIN, and
 * {@link #reset} still cuts the TCP connection beneath, with no close_notify.
 */
public final class RawClient implements AutoCloseable {
    /**
     * 20 s: a reply's wait on a loaded 2-core machine, many times over. The black-box runner
     * ({@link BlackBox}) sets 5 s for its run, so that a run against a server that answers
     * nothing, a test after another waiting this long, still ends within minutes.
     */
    private static volatile int readTimeoutMillis = 20_000;

    /** Sets the wait of every client made from now on; the wait before, to put back after. */
    static int readTimeoutMillis(int millis) {
        int before = readTimeoutMillis;
        readTimeoutMillis = millis;
        return before;
    }

    /** What the client reads and writes: the TCP socket, or an SSLSocket layered on it. */
    private final Socket socket;
    /** The TCP socket, the same as {@link #socket} without TLS. */
    private final Socket tcp;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder = new FrameDecoder(64 << 20);
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private final byte[] buffer = new byte[64 * 1024];
    /** The last bytes received, at most {@link #RECENT}, for failure messages. */
    private byte[] recent = new byte[0];
    private static final int RECENT = 160;

    private RawClient(Socket socket, Socket tcp) throws IOException {
        this.socket = socket;
        this.tcp = tcp;
        socket.setSoTimeout(readTimeoutMillis);
        tcp.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawClient connect(InetSocketAddress server) throws IOException {
        return connect(server, 0);
    }

    /** @param receiveBuffer a small SO_RCVBUF makes a reader stall sooner; 0 keeps the default */
    public static RawClient connect(InetSocketAddress server, int receiveBuffer) throws IOException {
        return connect(server, receiveBuffer, null);
    }

    /**
     * Over TLS when {@code tls} is not null: the handshake is done before this returns, within
     * the read timeout, so that a test's first byte is application data.
     */
    public static RawClient connect(InetSocketAddress server, int receiveBuffer, TlsClient tls) throws IOException {
        Socket s = new Socket();
        try {
            if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);   // before connect, or it is too late
            s.connect(server, readTimeoutMillis);
            if (tls == null) return new RawClient(s, s);
            SSLSocket secure = tls.wrap(s, server);
            secure.setSoTimeout(readTimeoutMillis);
            secure.startHandshake();
            return new RawClient(secure, s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void sendFrame(byte[] payload) throws IOException {
        sendRaw(Frames.frame(payload));
    }

    public void sendFrame(String text) throws IOException {
        sendFrame(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next frame's payload; fails the test on a close, a reset or a timeout. */
    public byte[] readFrame() throws IOException {
        return readFrame("a frame");
    }

    /**
     * The next frame's payload; on a close or a timeout fails the test with {@code waitingFor}
     * ("the echo of ...") and the last bytes that did come, so that the failure shows content.
     */
    public byte[] readFrame(String waitingFor) throws IOException {
        return readFrame(() -> waitingFor);
    }

    /**
     * As {@link #readFrame(String)}, the description made only if the wait fails: rule 11's
     * greedy client reads 250,000 echoes, and describing each up front (with LimitRules making
     * each payload through {@code String.format}) was 40% of that test's CPU on nio-selector.
     */
    private byte[] readFrame(Supplier<String> waitingFor) throws IOException {
        try {
            return nextFrame(waitingFor);
        } catch (SocketTimeoutException silent) {
            return fail("waited " + readTimeoutMillis / 1000 + " s for " + waitingFor.get()
                    + ", and the server sent nothing more; " + received());
        }
    }

    private byte[] nextFrame(Supplier<String> waitingFor) throws IOException {
        while (frames.isEmpty()) {
            int n = in.read(buffer);
            if (n < 0) fail("the server closed the connection while the client waited for " + waitingFor.get() + "; "
                    + received());
            feed(n);
        }
        return frames.poll();
    }

    /** The next frame's payload, or null if none came within {@code wait}. */
    public byte[] pollFrame(java.time.Duration wait) throws IOException {
        socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
        try {
            return nextFrame(() -> "a frame");
        } catch (SocketTimeoutException none) {
            return null;                               // the socket stays usable after a timeout
        } finally {
            socket.setSoTimeout(readTimeoutMillis);
        }
    }

    /** Rule 5: the next frame must be the echo of {@code payload}, byte for byte. */
    public void expectEcho(byte[] payload) throws IOException {
        byte[] expected = Bytes.echoOf(payload);
        Bytes.assertBytes(expected, readFrame(() -> "the echo " + Bytes.show(expected)), "rule 5: the echo");
    }

    public void expectEcho(String text) throws IOException {
        expectEcho(text.getBytes(StandardCharsets.UTF_8));
    }

    /** For a failure message: the last bytes this client received, as text. */
    private String received() {
        return recent.length == 0 ? "it had received no byte at all"
                : "the last bytes it received were " + Bytes.show(recent);
    }

    /**
     * Reads until the server closes and returns every byte left, decoded frames first.
     * A reset counts as a close here only when {@code resetIsClose}.
     */
    public byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] f : frames) all.writeBytes(Frames.frame(f));
        frames.clear();
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException stillOpen) {
            fail("waited " + readTimeoutMillis / 1000 + " s for the server to close the connection, and it did"
                    + " not; meanwhile it sent " + Bytes.show(all.toByteArray()));
        }
        return all.toByteArray();
    }

    /**
     * Reads and drops whatever comes until the server closes: true on a close or a reset,
     * false if the server stayed open past the read timeout.
     */
    public boolean closedByServer() throws IOException {
        frames.clear();
        try {
            while (in.read(buffer) >= 0) {
                // bytes still owed to us, or chat traffic: not what this check is about
            }
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException | SSLException reset) {
            return true;                               // over TLS, a fatal alert ends it as a reset does
        }
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Rule 15: an abortive close, so the server sees a reset, not a FIN (nor close_notify). */
    public void reset() throws IOException {
        tcp.setSoLinger(true, 0);
        tcp.close();
    }

    public InputStream input() {
        return in;
    }

    public OutputStream output() {
        return out;
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    private void feed(int n) throws IOException {
        int keep = Math.min(RECENT, recent.length + n);
        byte[] r = new byte[keep];
        int fromNew = Math.min(n, keep);
        System.arraycopy(recent, recent.length - (keep - fromNew), r, 0, keep - fromNew);
        System.arraycopy(buffer, n - fromNew, r, keep - fromNew, fromNew);
        recent = r;
        try {
            decoder.decode(ByteBuffer.wrap(buffer, 0, n), payload -> {
                byte[] copy = new byte[payload.remaining()];
                payload.get(copy);
                frames.add(copy);
            });
        } catch (FrameDecoder.FrameTooLongException e) {
            throw new IOException(e);
        }
    }

    /**
     * Closes the TCP socket. Over TLS that sends no close_notify, on purpose: SSLSocket.close()
     * would first wait for the lock of a write that a test left blocked on a server that does
     * not read (rule 11), and wait forever. A test that means a graceful close says
     * {@link #shutdownOutput}.
     */
    @Override
    public void close() throws IOException {
        tcp.close();
    }
}
