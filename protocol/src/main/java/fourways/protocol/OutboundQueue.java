package fourways.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The bytes a server holds for one connection and has not yet written, with the backlog limit
 * of rule 10. Used wherever bytes wait for a writer: the selector loop and the completion
 * handlers write what the socket takes and keep the rest; blocking-io's chat writer drains it.
 *
 * <p>Not thread-safe: it belongs to the one thread (or the one lock) that writes its socket.
 */
public final class OutboundQueue {
    /** At most this many buffers go to one gathering write (Linux's IOV_MAX is 1024). */
    private static final int MAX_GATHER = 64;

    /** The size of the blocks {@link #append} copies into: 16 pipelined 64-byte replies fit one. */
    private static final int BLOCK = 2_048;

    private final long limit;
    // Issue 25: every connection holds one of these queues, mostly empty. ArrayDeque's default
    // array of 16 slots, twice, was 160 bytes a connection for nothing; a deque grows on demand.
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>(2);
    /** This queue's own blocks among {@link #queue}'s buffers, in the same order. */
    private final ArrayDeque<ByteBuffer> blocks = new ArrayDeque<>(2);
    /** The last block, while later bytes may still be copied behind its own; null once sealed. */
    private ByteBuffer tail;
    /**
     * Written blocks go back to one pool the process shares, and new ones come from it. Not
     * kept by the connection: a block kept for the next replies was 2 KiB of every connection
     * that had ever written, held while it sat idle (2,064 of the 3,583 heap bytes of an idle
     * nio2-async connection, issue 25's profile). Not let go either: a new 2 KiB block for
     * every reply was about 3 KB of garbage a message in nio2-async's ping-pong (its server at
     * 316 MiB resident against 73). So a busy connection reuses what the idle ones gave back.
     */
    private static final ElasticBuffer.Pool BLOCKS = ElasticBuffer.Pool.of(BLOCK);
    /** {@link #writeTo}'s gathering array, made at its first use: most connections never need it. */
    private ByteBuffer[] gather;
    private long bytes;

    public OutboundQueue(long limit) {
        this.limit = limit;
    }

    /**
     * A buffer handed over, not copied: a chat frame, whose bytes every receiver shares through
     * its own duplicate. Never refused: the caller has counted it against the limit already.
     */
    public void add(ByteBuffer b) {
        if (!b.hasRemaining()) return;
        queue.add(b);
        bytes += b.remaining();
    }

    /**
     * A connection's own reply (rule 11), copied in: never refused, and the caller keeps its
     * buffer. Replies go into this queue's blocks, one behind the other, so the replies of
     * one read leave in one buffer, and a drained block is used again.
     */
    public void append(ByteBuffer b) {
        int n = b.remaining();
        if (n == 0) return;
        if (tail == null || tail != queue.peekLast() || tail.capacity() - tail.limit() < n) {
            tail = newBlock(n);
            queue.add(tail);
            blocks.add(tail);
        }
        int at = tail.limit();
        tail.limit(at + n).put(at, b, b.position(), n);    // behind the bytes still unsent
        b.position(b.limit());
        bytes += n;
    }

    private ByteBuffer newBlock(int atLeast) {
        ByteBuffer block = atLeast <= BLOCK ? ByteBuffer.wrap(BLOCKS.take()) : ByteBuffer.allocate(atLeast);
        return block.limit(0);
    }

    /** A frame from elsewhere (rule 12): refused, queueing nothing, if it would pass the limit. */
    public boolean offer(ByteBuffer b) {
        if (bytes + b.remaining() > limit) return false;
        add(b);
        return true;
    }

    /** Rule 11: at or past the limit, the connection's reads wait until the queue drains. */
    public boolean atLimit() {
        return bytes >= limit;
    }

    public boolean isEmpty() {
        return bytes == 0;
    }

    public long bytes() {
        return bytes;
    }

    /**
     * Writes as much as the channel takes now, in gathering writes, and keeps the rest.
     * A non-blocking channel may take only part of a buffer: that buffer stays first in line
     * with its position advanced, so nothing is sent twice or skipped.
     *
     * @return the bytes written; 0 when the socket's buffer is full
     */
    // tag::write-to[]
    public long writeTo(GatheringByteChannel channel) throws IOException {
        long total = 0;
        while (!queue.isEmpty()) {
            int n = fillGather();
            long wanted = 0;
            for (int i = 0; i < n; i++) wanted += gather[i].remaining();
            long written = channel.write(gather, 0, n);
            Arrays.fill(gather, 0, n, null);
            consumed(written);
            total += written;
            if (written < wanted) break;              // a partial write: the socket is full for now
        }
        return total;
    }
    // end::write-to[]

    /**
     * The buffers to hand to a gathering write, at most {@value #MAX_GATHER}; see {@link #consumed}.
     * For a write that completes later: no byte is appended to these buffers meanwhile.
     */
    public ByteBuffer[] gather() {
        tail = null;              // an asynchronous write may still read the block's limit: seal it
        return fill(new ByteBuffer[Math.min(queue.size(), MAX_GATHER)]);
    }

    private int fillGather() {
        if (gather == null) gather = new ByteBuffer[MAX_GATHER];
        fill(gather);
        return Math.min(queue.size(), MAX_GATHER);
    }

    /** The first buffers of the queue, as many as {@code into} holds. */
    private ByteBuffer[] fill(ByteBuffer[] into) {
        int n = 0;
        for (ByteBuffer b : queue) {
            if (n == into.length) break;
            into[n++] = b;
        }
        return into;
    }

    /**
     * After a write of {@code written} bytes from the buffers of {@link #gather}: drops those
     * it finished and accounts for the bytes.
     */
    public void consumed(long written) {
        bytes -= written;
        while (!queue.isEmpty() && !queue.peekFirst().hasRemaining()) {
            ByteBuffer done = queue.pollFirst();
            if (done == blocks.peekFirst()) {
                blocks.pollFirst();
                if (done == tail) tail = null;
                // Ours, and written to the last byte: nothing reads it any more. A bigger block
                // (one reply over 2 KiB) is not the pool's size, and goes to the collector.
                if (done.capacity() == BLOCK) BLOCKS.give(done.array());
            }
        }
    }

    /**
     * Drops everything, as when the connection closes. Its blocks are not given back: an
     * asynchronous write may still be reading one.
     */
    public void clear() {
        queue.clear();
        blocks.clear();
        tail = null;
        bytes = 0;
    }
}
