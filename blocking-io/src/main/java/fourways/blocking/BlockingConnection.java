package fourways.blocking;

import fourways.protocol.Addresses;
import fourways.protocol.Closing;
import fourways.protocol.Connection;
import fourways.protocol.ElasticBuffer;
import fourways.protocol.ServerConfig;
import fourways.protocol.Services;
import fourways.protocol.Session;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;

/**
 * One client of the blocking server: its own thread reads, decodes, replies and writes, top to
 * bottom, and blocking is the whole flow control. The cost is that thread, parked in
 * {@code read()} or {@code write()} for the connection's whole life.
 *
 * <p>Threads: the connection thread owns the socket's streams and the session. Chat frames from
 * other connections arrive on their threads, so a chat connection has a second thread, its
 * {@link ChatWriter}, which alone writes to the socket. {@code lastActivity} is written by
 * both and read by the sweeper; {@code handshaking} is written by the connection thread and read
 * by the sweeper.
 */
final class BlockingConnection implements Connection {
    /** What the connection reads and writes: the TCP socket, or over TLS an SSLSocket layered on it. */
    private final Socket socket;
    /** The TCP socket itself, the same as {@link #socket} without TLS: what {@link #abort} closes. */
    private final Socket tcp;
    private final Session session;
    private final ThreadPerConnection model;
    private final Consumer<BlockingConnection> onClosed;
    private final InetSocketAddress remote;
    private final InputStream in;
    /** Echo and sink: replies are written by the connection thread itself, through this buffer. */
    private final OutputStream out;
    /** Chat only: frames from anyone, written by the writer thread; null otherwise. */
    private final ChatWriter chatWriter;
    /** When the server accepted it: rule 25's handshake deadline counts from here. */
    private final long accepted = System.nanoTime();
    private volatile long lastActivity = accepted;
    /** Rule 25: true until the TLS handshake is done; never true without TLS. */
    private volatile boolean handshaking;
    private Thread thread;

    BlockingConnection(Socket socket, ServerConfig config, Services services, ThreadPerConnection model,
                       Consumer<BlockingConnection> onClosed) throws IOException {
        // tag::tls-socket[]
        this.tcp = socket;
        // Rule 21: wrap() only layers TLS on the socket; the handshake happens at the first
        // read, in serve(), on this connection's own thread, so a client slow to finish it holds
        // up no one but itself, and is idle time to the sweeper like any other wait (rule 25).
        this.socket = config.tlsEnabled() ? config.tls().wrap(socket) : socket;
        // end::tls-socket[]
        this.model = model;
        this.onClosed = onClosed;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.handshaking = this.socket != tcp;
        this.in = handshaking ? new Handshake(this.socket.getInputStream()) : this.socket.getInputStream();
        this.out = new ReplyStream(new Progress(this.socket.getOutputStream()), model.writeBuffer());
        this.chatWriter = config.service() == ServerConfig.Service.CHAT
                ? new ChatWriter(out, config.maxBacklog(), this::touch, this::abort)
                : null;
        this.session = services.open(this);
    }

    /** The server could not start this connection's thread: undo {@link Services#open}. */
    void refuse() {
        abort();
        session.onClosed();
    }

    void start() {
        // Named for a thread dump: which role, and which client ("blocking-connection 127.0.0.1:50000").
        String client = " " + Addresses.format(remote);
        if (chatWriter != null) {
            // The writer first: the reader may finish at once (rule 4, rule 6), and its join of
            // a writer not yet started would return at once and let it write after the close.
            chatWriter.start(model.threads(), model.name() + "-chat-writer" + client);
        }
        thread = model.threads().newThread(this::serve);
        thread.setName(model.name() + "-connection" + client);
        thread.start();
    }

    /** The connection's whole life, in the order it happens. */
    // tag::serve[]
    private void serve() {
        // What this thread holds while it waits is what a held connection costs: a small floor;
        // a burst already waiting borrows the whole read buffer from a shared pool, and a read
        // the floor could have held gives it back (ElasticBuffer.afterRead).
        int most = model.readBuffer();
        ElasticBuffer reads = new ElasticBuffer(ElasticBuffer.READ_FLOOR, most, ElasticBuffer.Pool.of(most));
        try {
            while (true) {
                ByteBuffer bytes = reads.view();
                int n = in.read(bytes.array());       // BeginReceive/EndReceive, in one blocking call
                if (n < 0) {
                    break;                            // rule 6: half-close; what is owed goes out below, a partial frame is dropped
                }
                touch();
                Session.Next next = session.onBytes(bytes.limit(n));
                // A full buffer may be a burst: read on, and reply to all of it at once. A read that
                // left room drained the socket, and asking the kernel again would cost a system call.
                int waiting = n == bytes.capacity() ? in.available() : 0;
                reads.afterRead(n, waiting);
                if (waiting > 0 && next == Session.Next.READ_MORE) continue;
                // Rule 11: while this write blocks on a client that does not read, this thread
                // is not reading either. Backpressure needs no code: the backlog is the
                // write buffer (well under rule 10's limit), and TCP holds the client back.
                flush();
                if (next == Session.Next.FLUSH_AND_CLOSE) break;
                if (next == Session.Next.FLUSH_AND_LINGER) {
                    linger();
                    break;
                }
            }
            finishWriting();
        } catch (IOException e) {
            // Rule 15: a reset or a broken pipe costs this connection only; it is closed below.
        } finally {
            abort();
            session.onClosed();
            if (chatWriter != null) chatWriter.join();
            onClosed.accept(this);
        }
    }
    // end::serve[]

    /** Rule 5 (and rule 4's error frame): called by this connection's own thread only. */
    @Override
    // tag::reply[]
    public void reply(ByteBuffer bytes) {
        if (chatWriter != null) {
            chatWriter.add(bytes);                    // one writer per socket: chat's writer thread
            return;
        }
        try {
            ChatWriter.write(out, bytes);
        } catch (IOException e) {
            abort();                                  // the read loop then ends with an IOException
        }
    }
    // end::reply[]

    /** Rule 12: never blocks the sending connection's thread. */
    @Override
    public boolean deliver(ByteBuffer frame) {
        return chatWriter != null && chatWriter.offer(frame);
    }

    private void flush() throws IOException {
        if (chatWriter == null) {
            out.flush();                              // BeginSend/EndSend of everything this read produced
            touch();
        }
    }

    /** Rules 4 and 7: all sent; shut down output, then drop input until the client closes or 2 s pass. */
    // tag::linger[]
    private void linger() throws IOException {
        finishWriting();                              // chat: rule 4's error frame is in the writer's queue
        socket.shutdownOutput();
        byte[] discard = new byte[model.readBuffer()];
        long deadline = System.nanoTime() + Session.ONE_SHOT_LINGER_MILLIS * 1_000_000;
        try {
            for (long left; (left = deadline - System.nanoTime()) > 0; ) {
                // The time left, not 2 s for each read: a trickle of bytes must not stretch it.
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                if (in.read(discard) < 0) break;      // the client closed
                // Reading and dropping keeps the kernel from answering the client with a reset.
            }
        } catch (SocketTimeoutException e) {
            // Two seconds without the client closing: close anyway.
        }
    }
    // end::linger[]

    /**
     * Rules 4 and 6: everything owed is written before the socket closes. Over TLS, close_notify
     * then follows it (rule 24): without it a client cannot tell the end of the replies from a
     * connection cut by someone in the path, and OpenSSL reports "unexpected eof".
     */
    // tag::finish-writing[]
    private void finishWriting() throws IOException {
        if (chatWriter != null) {
            chatWriter.finish();                      // the writer drains, then we close below
            chatWriter.join();
        } else {
            out.flush();
        }
        if (socket != tcp) socket.shutdownOutput();   // SSLSocket: close_notify, then FIN
    }
    // end::finish-writing[]

    void touch() {
        lastActivity = System.nanoTime();
    }

    /**
     * Rule 13: every chunk that reaches the socket is activity. Touching only after a whole
     * flush, or a whole chat batch (up to 1 MiB), would let the sweeper close a connection
     * whose replies are still moving, slowly, to a slow reader.
     */
    private final class Progress extends FilterOutputStream {
        private static final int CHUNK = 64 * 1024;

        Progress(OutputStream socket) {
            super(socket);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int n; len > 0; off += n, len -= n) {
                n = Math.min(len, CHUNK);
                out.write(b, off, n);                 // returns once these bytes are in the socket
                touch();
            }
        }
    }

    /**
     * Rule 25: the handshake, done before the first read as its own step, so that the sweeper
     * knows when it ends. Without this it would happen inside that read, and nothing would tell
     * a handshake still dribbling in from a client that has finished it and sends nothing.
     */
    private final class Handshake extends FilterInputStream {
        Handshake(InputStream tls) {
            super(tls);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (handshaking) {
                // getSession() handshakes only if no one has: startHandshake() on a socket whose
                // chat writer already finished it would start another (a KeyUpdate, or a TLS 1.2
                // renegotiation). A handshake that fails leaves the socket broken, and the read
                // below reports it; the closing is serve()'s, as for any failed read.
                ((SSLSocket) socket).getSession();
                handshaking = false;
            }
            return in.read(b, off, len);
        }
    }

    long lastActivityNanos() {
        return lastActivity;
    }

    long acceptedNanos() {
        return accepted;
    }

    boolean handshaking() {
        return handshaking;
    }

    /**
     * Closing the socket wakes any thread blocked on it with an exception; they clean up. The
     * TCP socket, never the SSLSocket: SSLSocket.close() first takes the lock its writer holds
     * while blocked on a client that does not read, to send close_notify, and would wait with it.
     */
    @Override
    public void abort() {
        Closing.quietly(tcp);
        if (chatWriter != null) chatWriter.finish();
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    /** For the server's close(): waits for this connection's thread to end, up to the deadline. */
    void join(long deadlineNanos) {
        Thread t = thread;
        if (t != null) Closing.join(t, deadlineNanos);
    }
}
