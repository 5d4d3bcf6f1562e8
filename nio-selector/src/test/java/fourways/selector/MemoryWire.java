package fourways.selector;

import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;

/**
 * One end of an in-memory connection for {@link TlsSessionTest}: what one end writes, the other
 * reads, non-blocking (0 when nothing waits), at most {@link #chunk} bytes a read; the cost is
 * a 1 MiB buffer each way, for tests only.
 */
final class MemoryWire implements ByteChannel {
    private final ByteBuffer incoming;
    private final ByteBuffer outgoing;
    /** The most one read returns: 1 splits every record at every byte; 0, the socket has nothing. */
    int chunk = Integer.MAX_VALUE;
    /** Bytes the next writes may still take: 0 is a socket whose buffer is full. */
    int room = Integer.MAX_VALUE;
    /** Writes tried, taken or not: each is a system call on a real socket. */
    int writes;
    private boolean open = true;

    private MemoryWire(ByteBuffer incoming, ByteBuffer outgoing) {
        this.incoming = incoming;
        this.outgoing = outgoing;
    }

    /** Two ends, each reading what the other writes. */
    static MemoryWire[] pair() {
        ByteBuffer aToB = ByteBuffer.allocate(1 << 20), bToA = ByteBuffer.allocate(1 << 20);
        return new MemoryWire[] {new MemoryWire(bToA, aToB), new MemoryWire(aToB, bToA)};
    }

    @Override
    public int read(ByteBuffer dst) {
        incoming.flip();
        try {
            int n = Math.min(Math.min(incoming.remaining(), dst.remaining()), chunk);
            dst.put(dst.position(), incoming, incoming.position(), n).position(dst.position() + n);
            incoming.position(incoming.position() + n);
            return n;
        } finally {
            incoming.compact();
        }
    }

    @Override
    public int write(ByteBuffer src) {
        writes++;
        int n = Math.min(src.remaining(), room);
        outgoing.put(outgoing.position(), src, src.position(), n).position(outgoing.position() + n);
        src.position(src.position() + n);
        if (room != Integer.MAX_VALUE) room -= n;
        return n;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
