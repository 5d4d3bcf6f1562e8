package fourways.tutorials;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One direction of an in-memory TCP connection, for chapter 10's TLS pitfalls: the bytes one end
 * wrote and the other has not read yet. A read takes what is there, like a non-blocking
 * {@code SocketChannel.read}: 0 when nothing has come, -1 once the writer has closed and all is
 * read. A test may {@link #holdBack} bytes, to end a read in the middle of a TLS record exactly
 * where it likes, which on a real socket would be luck.
 */
final class Wire {
    private byte[] bytes = new byte[1024];
    private int written;
    private int read;
    /** How many bytes past {@link #read} a reader may have now; all of them unless held back. */
    private int readable = Integer.MAX_VALUE;
    private boolean closed;

    /** The writer's end: every byte is taken, as a socket with room in its buffer takes them. */
    int write(ByteBuffer src) {
        int n = src.remaining();
        if (written + n > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(written + n, 2 * bytes.length));
        src.get(bytes, written, n);
        written += n;
        return n;
    }

    /** The reader's end: what has arrived and fits, 0 if nothing has, -1 at the end. */
    int read(ByteBuffer dst) {
        int available = Math.min(written - read, readable);
        if (available == 0) return closed && read == written ? -1 : 0;
        int n = Math.min(available, dst.remaining());
        dst.put(bytes, read, n);
        read += n;
        if (readable != Integer.MAX_VALUE) readable -= n;
        return n;
    }

    /** From now on a reader gets only the next {@code n} bytes, until {@link #release}. */
    void holdBack(int n) {
        readable = n;
    }

    void release() {
        readable = Integer.MAX_VALUE;
    }

    /** Bytes written and not read yet. */
    int pending() {
        return written - read;
    }

    /** The writer is done: a reader gets -1 once it has read everything before. */
    void close() {
        closed = true;
    }

    /**
     * Someone in the path cuts the connection: the last {@code n} unread bytes never arrive, and
     * a FIN does. What a reader sees is exactly what an honest close of the shorter stream looks
     * like, unless TLS says otherwise.
     */
    void cut(int n) {
        written -= Math.min(n, written - read);
        closed = true;
    }
}
