package fourways.selector;

import fourways.protocol.TlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectionKey;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * TLS in the selector model: an SSLEngine between a non-blocking channel and one connection
 * (the server's, the load client's, the message client's), driven by whoever waits for that
 * channel's bytes; the cost is {@link TlsRecords}' buffers and a copy each way. Nothing here
 * waits: each call does what the bytes at hand allow, and says what it waits for next.
 *
 * <p>Threads: the caller's loop, except the delegated tasks ({@link TlsTasks}).
 */
final class TlsSession implements ByteChannel, GatheringByteChannel {
    /** What the handshake waits for next. */
    enum Wait { READ, WRITE, TASK, DONE }

    private final SSLEngine engine;
    private final TlsRecords records;
    private final ByteChannel net;
    /** A client's server, named when its handshake fails (rule 23); null on the server side. */
    private final InetSocketAddress server;
    private boolean established;

    TlsSession(ByteChannel net, SSLEngine engine, InetSocketAddress server) throws SSLException {
        this.engine = engine;
        this.records = new TlsRecords(net, engine);
        this.net = net;
        this.server = server;
        // SslStream.BeginAuthenticateAsServer's (or AsClient's) twin, less the thread: no byte
        // moves yet; handshake() moves them as the socket allows.
        engine.beginHandshake();
    }

    /**
     * The handshake, driven from a selector: as far as the bytes at hand allow, then {@code key}
     * waits for what the engine needs. True once done: the caller then reads at once, since data
     * that came with the last handshake record is already here, and no OP_READ will say so.
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

    /** One step of the engine's state machine after another, until one must wait. */
    Wait handshake() throws IOException {
        try {
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK:
                        return Wait.TASK;             // signatures, certificate checks: slow, never on the loop
                    case NEED_WRAP:
                        if (!records.flush()) return Wait.WRITE;   // the socket is full: OP_WRITE, not a loop
                        if (records.wrap().getStatus() == Status.CLOSED) throw closedDuringHandshake();
                        if (!records.flush()) return Wait.WRITE;
                        break;
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN:
                        SSLEngineResult r = records.unwrapHandshake();
                        if (r.getStatus() == Status.CLOSED) throw closedDuringHandshake();
                        if (TlsRecords.needsBytes(r)) {
                            int n = records.read();
                            if (n < 0) throw closedDuringHandshake();
                            if (n == 0) return Wait.READ;
                        }
                        break;
                    default:                          // NOT_HANDSHAKING: the last flight is out, or going
                        if (!records.flush()) return Wait.WRITE;
                        established = true;
                        return Wait.DONE;
                }
            }
        } catch (SSLException e) {
            throw failed(e);
        }
    }
    // end::tls-handshake[]

    /** After Wait.TASK: the engine's delegated tasks on {@code executor}, never the loop's thread. */
    void runTasks(Executor executor, Runnable resumeOnLoop) throws IOException {
        TlsTasks.run(engine, net, executor, resumeOnLoop);   // skipped once the channel is closed
    }

    /**
     * While the delegated tasks run (the engine is theirs, and locked: not one call on it here):
     * one read of the socket, its bytes kept for the engine, so that a reset or a FIN is seen
     * and the tasks of a connection already gone are skipped.
     *
     * @return the bytes read, 0 also when there is no room left (stop reading then); -1 at FIN
     */
    int readAhead() throws IOException {
        return records.readAhead();
    }

    /**
     * Plaintext into {@code dst}: what an earlier call had no room for, then every whole record
     * already read, and only when that gave nothing, one read of the socket.
     *
     * @return the plaintext bytes; -1 after the peer's close_notify (rule 6's end of input) or FIN
     */
    // tag::tls-unwrap[]
    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        records.takeLeftover(dst);
        boolean readSocket = false;
        try {
            while (dst.hasRemaining() && established) {
                SSLEngineResult r = records.unwrapInto(dst);   // BUFFER_OVERFLOW: made room, try again
                if (r.getStatus() == Status.CLOSED) {
                    answer();                         // TLS 1.2: close_notify closes both ways, ours goes back
                    return dst.position() > start ? dst.position() - start : -1;
                }
                if (TlsRecords.needsBytes(r)) {
                    // A partial record, or none: its bytes stay, the rest is read, once a call.
                    if (readSocket || dst.position() > start) break;
                    readSocket = true;
                    int n = records.read();
                    if (n < 0) return dst.position() > start ? dst.position() - start : -1;  // FIN
                    if (n == 0) break;
                } else if (r.getStatus() == Status.OK) {
                    answer();                         // a TLS 1.3 KeyUpdate, say: its reply goes out now
                }
            }
        } catch (SSLException e) {
            throw failed(e);                          // a bad record MAC, a renegotiation (rule 21): fatal
        }
        return dst.position() - start;
    }
    // end::tls-unwrap[]

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
            while (records.flush() && TlsRecords.remaining(srcs, offset, length)) {
                SSLEngineResult r = records.wrap(srcs, offset, length);
                taken += r.bytesConsumed();
                // TLS 1.2: the peer's close_notify closed our side too; what is owed cannot go.
                if (r.getStatus() == Status.CLOSED) throw new SSLException("the peer closed the TLS session");
                if (r.getStatus() == Status.OK && r.bytesProduced() == 0) break;   // nothing moved: never spin
            }
        } catch (SSLException e) {
            throw failed(e);
        }
        return taken;
    }
    // end::tls-wrap[]

    /**
     * Rule 24: close_notify, behind every record already wrapped. True once it is written;
     * false while the socket is full (OP_WRITE, then call again). The caller then sends FIN.
     */
    // tag::tls-close[]
    boolean closeOutbound() throws IOException {
        engine.closeOutbound();                       // idempotent: the alert is made once
        for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {   // bounded: a wrap may need room first
            if (!records.flush()) return false;
            records.wrap();
        }
        return records.flush();
    }
    // end::tls-close[]

    /** Writes the records waiting; true once none waits (else OP_WRITE, and call again). */
    boolean flush() throws IOException {
        return records.flush();
    }

    boolean hasPendingInput() {
        return records.hasPendingInput();
    }

    boolean hasPendingOutput() {
        return records.hasPendingOutput();
    }

    /** Rule 10: bytes wrapped and not yet written, the engine's own answers among them. */
    int pendingOutput() {
        return records.pendingOutput();
    }

    boolean established() {
        return established;
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

    /**
     * A message the engine owes the peer after an unwrap (a KeyUpdate's reply, a close_notify):
     * out now if the socket has room. Rule 24: it is owed output like any reply; the caller
     * counts it ({@link #pendingOutput}) and stops reading while too much of it waits.
     */
    private void answer() throws IOException {
        switch (engine.getHandshakeStatus()) {
            case NEED_WRAP -> {
                // A socket already full is not tried again per record (a KeyUpdate flood brings a
                // thousand in one read): the caller's next write, on OP_WRITE, flushes them all.
                boolean socketFull = records.hasPendingOutput();
                records.wrap();
                if (!socketFull) records.flush();
            }
            case NEED_TASK -> {
                // A TLS 1.2 peer asks to renegotiate. A client refuses it here; a server goes back
                // to handshake(), whose delegated task refuses it with a handshake_failure alert.
                if (server != null) throw new SSLException("the server asked to renegotiate: refused (rule 21)");
                established = false;
            }
            default -> { }
        }
    }

    private SSLHandshakeException closedDuringHandshake() {
        return new SSLHandshakeException(server == null ? "the client closed during the TLS handshake"
                : "TLS handshake failed: the server closed the connection (does it speak TLS?)");
    }

    /**
     * A failed handshake or a bad record: the engine holds an alert for the peer (rule 26, "with
     * an alert where TLS has one"); it goes if the socket takes it now, then the caller closes.
     */
    private IOException failed(SSLException e) {
        try {
            engine.closeOutbound();
            records.wrap();
            records.flush();
        } catch (IOException | RuntimeException alertLost) {
            // the peer is gone, or the engine has nothing to say: the close says it
        }
        return server != null && e instanceof SSLHandshakeException h ? TlsClient.explained(h, server) : e;
    }
}
