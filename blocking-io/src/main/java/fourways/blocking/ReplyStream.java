package fourways.blocking;

import fourways.protocol.ElasticBuffer;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a thread-per-connection server gathers the replies of one read before writing them, in
 * one system call: a BufferedOutputStream whose buffer is a small floor, or during a burst the
 * model's whole write buffer borrowed from a shared pool and given back at the flush. The cost is
 * a copy of the floor's bytes per burst; a quiet connection keeps only the floor (issue 25: a
 * BufferedOutputStream kept its 8 KiB for the connection's whole life, most of a held connection).
 *
 * <p>Threads: used by one thread at a time, the connection's or, for chat, its writer's.
 */
final class ReplyStream extends OutputStream {
    /** A 64-byte frame's reply (84 bytes) fits it: a connection of single small frames borrows nothing. */
    private static final int FLOOR = 128;

    private final OutputStream socket;
    private final ElasticBuffer buffer;
    private int count;

    /** @param most the most bytes held before they are written, whatever is still to come */
    ReplyStream(OutputStream socket, int most) {
        this.socket = socket;
        this.buffer = new ElasticBuffer(Math.min(FLOOR, most), most, ElasticBuffer.Pool.of(most));
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (count + len > buffer.ceiling()) {
            writeHeld();                              // rule 11: held bytes never pass the ceiling
            if (len >= buffer.ceiling()) {
                socket.write(b, off, len);            // bigger than any buffer: no copy at all
                return;
            }
        }
        byte[] into = buffer.grow(count, count + len);
        System.arraycopy(b, off, into, count, len);
        count += len;
    }

    /** Writes what is held, then gives the buffer back to its floor: the connection may go quiet now. */
    @Override
    public void flush() throws IOException {
        writeHeld();
        buffer.shrink();
        socket.flush();
    }

    private void writeHeld() throws IOException {
        if (count == 0) return;
        int n = count;
        count = 0;                                    // a failed write loses them anyway: the connection closes
        socket.write(buffer.array(), 0, n);
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            socket.close();
        }
    }
}
