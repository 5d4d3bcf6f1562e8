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
 * reader had no room for; the cost is about 17 KiB each way, and the third buffer only for a
 * reader with less room than a record. {@link TlsSession} decides when each call is made.
 *
 * <p>Threads: TlsSession's caller, one at a time.
 */
final class TlsRecords {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    private static final int RECORD_HEADER = 5;

    private final ByteChannel net;
    private final SSLEngine engine;
    /** Records read and not yet unwrapped; a partial one waits here for the rest. Fill mode. */
    private ByteBuffer netIn;
    /** Records wrapped and not yet written. Fill mode. */
    private ByteBuffer netOut;
    /** Plaintext a reader had no room for; null until one had less room than a record. Fill mode. */
    private ByteBuffer appIn;

    TlsRecords(ByteChannel net, SSLEngine engine) {
        this.net = net;
        this.engine = engine;
        this.netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    }

    /** One record from netIn into {@code dst}. BUFFER_UNDERFLOW: a partial record, kept first in netIn. */
    SSLEngineResult unwrap(ByteBuffer dst) throws SSLException {
        netIn.flip();
        try {
            return engine.unwrap(netIn, dst);
        } finally {
            netIn.compact();                          // what was not consumed stays, in order
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

    /** Wraps into netOut. BUFFER_OVERFLOW is never an error: room for one more record, and the caller loops. */
    SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length) throws SSLException {
        SSLEngineResult r = engine.wrap(srcs, offset, length, netOut);
        if (r.getStatus() == Status.BUFFER_OVERFLOW) {
            netOut = grow(netOut, netOut.position() + engine.getSession().getPacketBufferSize());
        }
        return r;
    }

    /** A handshake message, an alert or a close_notify: nothing of ours to wrap. */
    SSLEngineResult wrap() throws SSLException {
        return wrap(new ByteBuffer[] {NOTHING}, 0, 1);
    }

    /** One read of the socket into netIn, grown when a record is bigger than it: -1 at the peer's FIN. */
    int read() throws IOException {
        if (!netIn.hasRemaining()) netIn = grow(netIn, engine.getSession().getPacketBufferSize());
        return net.read(netIn);
    }

    /** Writes the records waiting, in one write; true once none waits (else OP_WRITE, then again). */
    boolean flush() throws IOException {
        if (netOut.position() == 0) return true;
        netOut.flip();
        try {
            net.write(netOut);                        // a partial write: the socket is full for now
        } finally {
            netOut.compact();
        }
        return netOut.position() == 0;
    }

    /** Whole plaintext, or a whole record, is still here: no OP_READ will come for it. */
    boolean hasPendingInput() {
        if (appIn != null && appIn.position() > 0) return true;
        // A record is a 5-byte header, whose last two bytes are its length, and that many bytes.
        return netIn.position() >= RECORD_HEADER && RECORD_HEADER + (netIn.getShort(3) & 0xffff) <= netIn.position();
    }

    boolean hasPendingOutput() {
        return netOut.position() > 0;
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
