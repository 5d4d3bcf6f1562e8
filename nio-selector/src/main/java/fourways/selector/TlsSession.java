package fourways.selector;

import fourways.protocol.TlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * TLS in the selector model: an SSLEngine between a non-blocking channel and one connection
 * (server side, load client, message client), driven by whoever waits for that channel's bytes;
 * the cost is two buffers of records (about 17 KiB each, a third for plaintext only when the
 * caller's buffer is too small) and one copy each way. Plain connections have none of it.
 *
 * <p>Nothing here waits: each call does what the bytes at hand allow and says what it waits for
 * next. Threads: the caller's loop, except the delegated tasks of {@link #runTasks}.
 */
final class TlsSession implements ByteChannel, GatheringByteChannel {
    /** What the handshake waits for next. */
    enum Wait { READ, WRITE, TASK, DONE }

    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    private static final int RECORD_HEADER = 5;

    private final ByteChannel net;
    private final SSLEngine engine;
    /** A client's server, named when its handshake fails (rule 23); null on the server side. */
    private final InetSocketAddress server;
    /** Records read and not yet unwrapped; a partial one waits here for the rest. Fill mode. */
    private ByteBuffer netIn;
    /** Records wrapped and not yet written. Fill mode. */
    private ByteBuffer netOut;
    /** Plaintext the caller had no room for; null until a record did not fit. Fill mode. */
    private ByteBuffer appIn;
    private boolean established;

    TlsSession(ByteChannel net, SSLEngine engine, InetSocketAddress server) throws SSLException {
        this.net = net;
        this.engine = engine;
        this.server = server;
        this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        // tag::tls-begin[]
        // SslStream.BeginAuthenticateAsServer's (or AsClient's) twin, less the thread: no byte
        // moves yet; handshake() moves them as the socket allows.
        engine.beginHandshake();
        // end::tls-begin[]
    }

    /**
     * The handshake driven from a selector: as far as the bytes at hand allow, then {@code key}
     * waits for what the engine needs. True once done; the caller then reads at once, since
     * data that came with the last handshake record is already here and no OP_READ will say so.
     */
    // tag::tls-handshake[]
    boolean handshake(SelectionKey key, Executor tasks, Runnable resumeOnLoop) throws IOException {
        switch (handshake()) {
            case READ -> key.interestOps(SelectionKey.OP_READ);     // NEED_UNWRAP, no bytes: wait, never spin
            case WRITE -> key.interestOps(SelectionKey.OP_WRITE);   // records the socket has no room for yet
            case TASK -> {
                key.interestOps(0);                   // nothing to wait for until the tasks are done
                runTasks(tasks, resumeOnLoop);
            }
            case DONE -> {
                return true;
            }
        }
        return false;
    }

    /** One step of the engine's state machine after another, until it must wait. */
    Wait handshake() throws IOException {
        try {
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK:
                        return Wait.TASK;             // signatures, certificate checks: slow, never on the loop
                    case NEED_WRAP:
                        if (!flush()) return Wait.WRITE;  // the socket is full: OP_WRITE, not a loop
                        if (wrap(NOTHING) == Status.CLOSED) throw closedDuringHandshake();
                        if (!flush()) return Wait.WRITE;
                        break;
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN:
                        // Into appIn, kept: plaintext may come right behind the peer's last handshake record.
                        SSLEngineResult r = unwrap(appIn == null ? NOTHING : appIn);
                        if (r.getStatus() == Status.CLOSED) throw closedDuringHandshake();
                        if (r.getStatus() == Status.BUFFER_OVERFLOW) appIn();
                        if (needsBytes(r) && !readRecords()) return Wait.READ;
                        break;
                    default:                          // NOT_HANDSHAKING: the last flight is out, or going
                        if (!flush()) return Wait.WRITE;
                        established = true;
                        return Wait.DONE;
                }
            }
        } catch (SSLException e) {
            throw failed(e);
        }
    }
    // end::tls-handshake[]

    /**
     * The engine's delegated tasks on {@code executor}, never the loop's thread: one slow
     * signature there would stall every connection of the loop. Then {@code resumeOnLoop}, which
     * posts the connection's next step back to its loop (reactor.execute).
     */
    // tag::tls-task[]
    void runTasks(Executor executor, Runnable resumeOnLoop) throws IOException {
        try {
            executor.execute(() -> {
                for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                    task.run();                       // a task that fails leaves its SSLException for the next unwrap
                }
                resumeOnLoop.run();
            });
        } catch (RejectedExecutionException e) {
            throw new IOException("closing: no thread left for the TLS handshake", e);
        }
    }
    // end::tls-task[]

    /**
     * Plaintext into {@code dst}: first what an earlier call had no room for, then every whole
     * record already read, and only when that gave nothing, one read of the socket.
     *
     * @return the plaintext bytes; -1 after the peer's close_notify (rule 6's end of input) or FIN
     */
    // tag::tls-unwrap[]
    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        takeLeftover(dst);
        boolean readSocket = false;
        try {
            while (dst.hasRemaining() && established) {
                // BUFFER_OVERFLOW is never an error: a dst with less room than a record (the JDK
                // says so even for a partial one) gets the plaintext through appIn, of the
                // session's size, and takes what fits; the rest waits there (hasPendingInput).
                boolean direct = dst.remaining() >= engine.getSession().getApplicationBufferSize();
                SSLEngineResult r = unwrap(direct ? dst : appIn());
                if (!direct) takeLeftover(dst);
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    if (dst.position() > start) break;     // hand these over first; the record waits in netIn
                    appIn = grow(appIn(), appIn.capacity() * 2);
                } else if (needsBytes(r)) {
                    // A partial record (or none): keep its bytes, read the rest, once per call.
                    if (readSocket || dst.position() > start) break;
                    readSocket = true;
                    int n = net.read(room());
                    if (n < 0) return dst.position() > start ? dst.position() - start : -1;  // FIN, with or without close_notify
                    if (n == 0) break;
                } else if (r.getStatus() == Status.CLOSED) {
                    answer();                         // TLS 1.2: close_notify closes both ways, ours goes back
                    return dst.position() > start ? dst.position() - start : -1;
                } else {
                    answer();                         // TLS 1.3's KeyUpdate, say: its reply goes out now
                }
            }
        } catch (SSLException e) {
            throw failed(e);                          // a bad record MAC, a renegotiation (rule 21): fatal
        }
        return dst.position() - start;
    }
    // end::tls-unwrap[]

    /** Whether whole plaintext or a whole record is still here: no OP_READ will come for it. */
    boolean hasPendingInput() {
        if (appIn != null && appIn.position() > 0) return true;
        // A record is a 5-byte header, whose last two bytes are its length, and that many bytes.
        return netIn.position() >= RECORD_HEADER && RECORD_HEADER + (netIn.getShort(3) & 0xffff) <= netIn.position();
    }

    /**
     * Wraps plaintext into records and writes them, as long as the socket takes them.
     *
     * @return the plaintext bytes taken: rule 10 counts those, not the records
     */
    // tag::tls-wrap[]
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long taken = 0;
        try {
            while (flush() && remaining(srcs, offset, length)) {
                SSLEngineResult r = engine.wrap(srcs, offset, length, netOut);
                taken += r.bytesConsumed();
                switch (r.getStatus()) {
                    case BUFFER_OVERFLOW -> grownOut();     // never an error: room for a record, and again
                    // TLS 1.2: the peer's close_notify closed our side too; what is owed cannot go.
                    case CLOSED -> throw new SSLException("the peer closed the TLS session");
                    default -> {
                        if (r.bytesProduced() == 0) return taken;   // nothing moved: stop, never spin
                    }
                }
            }
        } catch (SSLException e) {
            throw failed(e);
        }
        return taken;
    }

    /** Writes the records waiting; true once none waits (else OP_WRITE, and call again). */
    boolean flush() throws IOException {
        if (netOut.position() == 0) return true;
        netOut.flip();
        try {
            net.write(netOut);                        // one write: a partial one means the socket is full
        } finally {
            netOut.compact();
        }
        return netOut.position() == 0;
    }
    // end::tls-wrap[]

    boolean hasPendingOutput() {
        return netOut.position() > 0;
    }

    /**
     * Rule 24: close_notify, behind every record already wrapped. True once it is written;
     * false while the socket is full (OP_WRITE, then call again). The caller then sends FIN.
     */
    // tag::tls-close[]
    boolean closeOutbound() throws IOException {
        engine.closeOutbound();                       // idempotent: the alert is made once
        for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {   // bounded: wrap may need room first
            if (!flush()) return false;
            wrap(NOTHING);
        }
        return flush();
    }
    // end::tls-close[]

    boolean established() {
        return established;
    }

    /** Delegated tasks, on daemon threads that end after a second idle: a server's close() also ends them. */
    static ExecutorService taskPool(String name) {
        int n = Runtime.getRuntime().availableProcessors();   // the tasks are CPU work: one thread per core
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name(name, 0).daemon().factory());
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    @Override
    public boolean isOpen() {
        return net.isOpen();
    }

    @Override
    public void close() throws IOException {
        net.close();
    }

    private SSLEngineResult unwrap(ByteBuffer dst) throws SSLException {
        netIn.flip();
        try {
            return engine.unwrap(netIn, dst);
        } finally {
            netIn.compact();                          // BUFFER_UNDERFLOW: the partial record stays, first
        }
    }

    /** BUFFER_UNDERFLOW, a partial record: its bytes stay in netIn. An unwrap that took nothing waits as well. */
    private static boolean needsBytes(SSLEngineResult r) {
        return r.getStatus() == Status.BUFFER_UNDERFLOW || r.getStatus() == Status.OK && r.bytesConsumed() == 0;
    }

    private Status wrap(ByteBuffer src) throws SSLException {
        SSLEngineResult r = engine.wrap(src, netOut);
        // BUFFER_OVERFLOW is never an error: the session now wants bigger records; the caller loops.
        if (r.getStatus() == Status.BUFFER_OVERFLOW) grownOut();
        return r.getStatus();
    }

    /** BUFFER_OVERFLOW on wrap: room for one more record of the session's size behind what waits. */
    private void grownOut() {
        netOut = grow(netOut, netOut.position() + engine.getSession().getPacketBufferSize());
    }

    /** The handshake's read: true when bytes came; false, wait for OP_READ. */
    private boolean readRecords() throws IOException {
        int n = net.read(room());
        if (n < 0) throw closedDuringHandshake();
        return n > 0;
    }

    /** netIn with room to read into: a record larger than netIn (BUFFER_UNDERFLOW when full) grows it. */
    private ByteBuffer room() {
        if (!netIn.hasRemaining()) netIn = grow(netIn, engine.getSession().getPacketBufferSize());
        return netIn;
    }

    /** A message the engine owes the peer after an unwrap (a KeyUpdate's reply, a close_notify): out now. */
    private void answer() throws IOException {
        switch (engine.getHandshakeStatus()) {
            case NEED_WRAP -> {
                wrap(NOTHING);
                flush();                              // what the socket does not take goes with the next flush
            }
            case NEED_TASK -> {
                // A TLS 1.2 peer asks to renegotiate. A client refuses it here; a server goes back
                // to handshake(), whose delegated task refuses it with the handshake_failure alert.
                if (server != null) throw new SSLException("the server asked to renegotiate: refused (rule 21)");
                established = false;
            }
            default -> { }
        }
    }

    /** BUFFER_OVERFLOW with a record that does not fit the caller's buffer: ours, of the session's size. */
    private ByteBuffer appIn() {
        int size = engine.getSession().getApplicationBufferSize();
        if (appIn == null) appIn = ByteBuffer.allocate(size);
        else if (appIn.capacity() - appIn.position() < size) appIn = grow(appIn, appIn.position() + size);
        return appIn;
    }

    private void takeLeftover(ByteBuffer dst) {
        if (appIn == null || appIn.position() == 0) return;
        appIn.flip();
        int n = Math.min(appIn.remaining(), dst.remaining());
        dst.put(dst.position(), appIn, appIn.position(), n).position(dst.position() + n);
        appIn.position(appIn.position() + n).compact();
    }

    private static ByteBuffer grow(ByteBuffer b, int atLeast) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(atLeast, b.capacity() * 2));
        return bigger.put(b.flip());
    }

    private static boolean remaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) return true;
        }
        return false;
    }

    private SSLHandshakeException closedDuringHandshake() {
        return new SSLHandshakeException(server == null ? "the client closed during the TLS handshake"
                : "TLS handshake failed: the server closed the connection (does it speak TLS?)");
    }

    /**
     * A failed handshake or a bad record: the engine holds an alert for the peer (rule 26: "with an
     * alert where TLS has one"); it goes if the socket takes it now, then the caller closes.
     */
    private IOException failed(SSLException e) {
        try {
            engine.closeOutbound();
            wrap(NOTHING);
            flush();
        } catch (IOException | RuntimeException alertLost) {
            // the peer is gone or the engine has nothing to say: the close says it
        }
        return server != null && e instanceof SSLHandshakeException h ? TlsClient.explained(h, server) : e;
    }
}
