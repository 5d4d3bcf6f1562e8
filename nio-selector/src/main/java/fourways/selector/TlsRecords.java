package fourways.selector;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * The bytes of one TLS connection of the selector model, between its engine and its socket:
 * records read and not yet unwrapped, records wrapped and not yet written, and plaintext a
 * reader had no room for; the cost is about 17 KiB each way once bytes move, and nothing
 * before: a connection that never sends its ClientHello costs no buffer (an idle connect
 * flood is cheap). The third buffer comes only for a reader with less room than a record.
 * {@link TlsSession} decides when each call is made.
 *
 * <p>Neither pile is ever compacted per record: a peer can send a thousand tiny records (a
 * KeyUpdate flood) in one read, and moving what is left of a pile once per record makes the
 * work grow with the square of its size. Each buffer keeps the index of its first byte still
 * owed instead, and is compacted once per socket read, or when a wrap needs room.
 *
 * <p>Threads: TlsSession's caller, one at a time.
 */
final class TlsRecords {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    private static final int RECORD_HEADER = 5;

    private final ByteChannel net;
    private final SSLEngine engine;
    /** Records read; those before {@link #netInStart} are unwrapped already. Fill mode; null until the first read. */
    private ByteBuffer netIn;
    private int netInStart;
    /** Records wrapped; those before {@link #netOutStart} are written already. Fill mode; null until the first wrap. */
    private ByteBuffer netOut;
    private int netOutStart;
    /** Plaintext a reader had no room for; null until one had less room than a record. Fill mode. */
    private ByteBuffer appIn;

    TlsRecords(ByteChannel net, SSLEngine engine) {
        this.net = net;
        this.engine = engine;
    }

    /** One record from netIn into {@code dst}. BUFFER_UNDERFLOW: a partial record, kept first in netIn. */
    SSLEngineResult unwrap(ByteBuffer dst) throws SSLException {
        if (netIn == null) return engine.unwrap(NOTHING, dst);   // no byte yet: the engine says what it needs
        int end = netIn.position();
        netIn.limit(end).position(netInStart);
        try {
            return engine.unwrap(netIn, dst);
        } finally {
            netInStart = netIn.position();            // what was not consumed stays, in order, where it is
            netIn.limit(netIn.capacity()).position(end);
            if (netInStart == end) {                  // all consumed: the buffer is empty again, for free
                netIn.clear();
                netInStart = 0;
            }
        }
    }

    /**
     * A handshake record. Into appIn, kept: plaintext may come right behind the peer's last
     * handshake record, and must not be lost. BUFFER_OVERFLOW makes room, never an error.
     */
    SSLEngineResult unwrapHandshake() throws SSLException {
        SSLEngineResult r = unwrap(appIn == null ? NOTHING : appIn);
        if (r.getStatus() == Status.BUFFER_OVERFLOW) appIn();
        return r;
    }

    /**
     * Plaintext into {@code dst}, a record at most. A dst with less room than a record (the JDK
     * says BUFFER_OVERFLOW then, even for a partial one) gets it through appIn, of the session's
     * size, and takes what fits; the rest waits there ({@link #hasPendingInput}).
     */
    SSLEngineResult unwrapInto(ByteBuffer dst) throws SSLException {
        if (dst.remaining() >= engine.getSession().getApplicationBufferSize()) {
            SSLEngineResult r = unwrap(dst);
            if (r.getStatus() != Status.BUFFER_OVERFLOW) return r;
        }
        SSLEngineResult r = unwrap(appIn());
        if (r.getStatus() == Status.BUFFER_OVERFLOW) appIn = grow(appIn, appIn.capacity() * 2);   // the session grew
        takeLeftover(dst);
        return r;
    }

    /** Plaintext an earlier read had no room for, as much as fits. */
    void takeLeftover(ByteBuffer dst) {
        if (appIn == null || appIn.position() == 0) return;
        appIn.flip();
        int n = Math.min(appIn.remaining(), dst.remaining());
        dst.put(dst.position(), appIn, appIn.position(), n).position(dst.position() + n);
        appIn.position(appIn.position() + n).compact();
    }

    /**
     * Wraps into netOut. BUFFER_OVERFLOW is never an error: room for one more record, and the
     * caller loops. Room comes from compacting only when the bytes already written are at least
     * as many as those still owed (so each byte moves at most once on average), else by growing.
     */
    SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length) throws SSLException {
        if (netOut == null) netOut = ByteBuffer.allocate(packetSize());   // the first record: not before
        SSLEngineResult r = engine.wrap(srcs, offset, length, netOut);
        if (r.getStatus() == Status.BUFFER_OVERFLOW) {
            int owed = netOut.position() - netOutStart;
            if (netOutStart >= owed && netOut.capacity() - owed >= packetSize()) {
                netOut.limit(netOut.position()).position(netOutStart);
                netOut.compact();
                netOutStart = 0;
            } else {
                netOut = grow(netOut, netOut.position() + packetSize());
            }
        }
        return r;
    }

    /** A handshake message, an alert or a close_notify: nothing of ours to wrap. */
    SSLEngineResult wrap() throws SSLException {
        return wrap(new ByteBuffer[] {NOTHING}, 0, 1);
    }

    /**
     * One read of the socket into netIn, -1 at the peer's FIN. The one place netIn is
     * compacted: once per socket read, and grown when a record is bigger than it.
     */
    int read() throws IOException {
        if (netIn == null) netIn = ByteBuffer.allocate(packetSize());   // the first bytes: ClientHello, say
        compactIn();
        if (!netIn.hasRemaining()) netIn = grow(netIn, packetSize());
        return net.read(netIn);
    }

    /** {@link TlsSession#readAhead}: as read(), but never a call on the engine, nor a bigger buffer. */
    int readAhead() throws IOException {
        if (netIn == null) return 0;                  // never: the tasks come after the first read
        compactIn();
        return netIn.hasRemaining() ? net.read(netIn) : 0;
    }

    private void compactIn() {
        if (netInStart == 0) return;
        netIn.limit(netIn.position()).position(netInStart);
        netIn.compact();
        netInStart = 0;
    }

    /**
     * Writes the records waiting, in one write; true once none waits (else OP_WRITE, then
     * again). A partial write moves nothing: the next write starts where this one stopped.
     */
    boolean flush() throws IOException {
        if (!hasPendingOutput()) return true;
        int end = netOut.position();
        netOut.limit(end).position(netOutStart);
        try {
            net.write(netOut);                        // a partial write: the socket is full for now
        } finally {
            netOutStart = netOut.position();
            netOut.limit(netOut.capacity()).position(end);
            if (netOutStart == end) {
                netOut.clear();
                netOutStart = 0;
            }
        }
        return !hasPendingOutput();
    }

    /**
     * Whole plaintext, or a whole record, is still here, or the peer's close_notify came with
     * the last records read (the end is known, and must be said): no OP_READ will come for it.
     */
    boolean hasPendingInput() {
        if (appIn != null && appIn.position() > 0) return true;
        if (engine.isInboundDone()) return true;      // rule 24: read() will say -1, and at once
        if (netIn == null) return false;
        // A record is a 5-byte header, whose last two bytes are its length, and that many bytes.
        int held = netIn.position() - netInStart;
        return held >= RECORD_HEADER && RECORD_HEADER + (netIn.getShort(netInStart + 3) & 0xffff) <= held;
    }

    boolean hasPendingOutput() {
        return netOut != null && netOut.position() > netOutStart;
    }

    /** Rule 10: wrapped bytes this connection still owes its socket (a KeyUpdate's answers, say). */
    int pendingOutput() {
        return netOut == null ? 0 : netOut.position() - netOutStart;
    }

    private int packetSize() {
        return engine.getSession().getPacketBufferSize();
    }

    /** appIn with room for a record of the session's size behind what it holds. */
    private ByteBuffer appIn() {
        int size = engine.getSession().getApplicationBufferSize();
        if (appIn == null) appIn = ByteBuffer.allocate(size);
        else if (appIn.capacity() - appIn.position() < size) appIn = grow(appIn, appIn.position() + size);
        return appIn;
    }

    /** BUFFER_UNDERFLOW, a partial record; or an unwrap that took nothing: more bytes are needed. */
    static boolean needsBytes(SSLEngineResult r) {
        return r.getStatus() == Status.BUFFER_UNDERFLOW || r.getStatus() == Status.OK && r.bytesConsumed() == 0;
    }

    static boolean remaining(ByteBuffer[] srcs, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i].hasRemaining()) return true;
        }
        return false;
    }

    private static ByteBuffer grow(ByteBuffer b, int atLeast) {
        return ByteBuffer.allocate(Math.max(atLeast, b.capacity() * 2)).put(b.flip());
    }
}
