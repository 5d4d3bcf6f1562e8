package fourways.protocol;

import java.nio.ByteBuffer;

/**
 * Incremental decoder for {@code <EOF>}-delimited frames (PROTOCOL.md rules 1 to 4): bytes go
 * in as they arrive, split anywhere, and whole payloads come out; each byte is looked at once.
 *
 * <p>The naive decoder of the C# original turned every chunk into a string, appended it, and
 * searched the whole string for {@code <EOF>} again: a character split across two reads was
 * lost, and the search grew quadratic in the frame's size. This one never decodes text, keeps
 * only the unfinished frame, and remembers how much of the delimiter it has already matched.
 *
 * <p>One decoder serves one connection and is used by one thread at a time.
 */
public final class FrameDecoder {

    /** Receives each whole payload. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @param payload the frame without its delimiter. It is valid only during this call
         *     (it may be a view of the caller's read buffer): copy what must outlive it.
         */
        void onFrame(ByteBuffer payload);
    }

    /** Rule 4: the payload passed the maximum; the decoder is spent. */
    public static final class FrameTooLongException extends Exception {
        private static final long serialVersionUID = 1L;

        FrameTooLongException(int maxFrame) {
            super("frame longer than " + maxFrame + " bytes");
        }
    }

    private static final byte[] DELIMITER = Frames.DELIMITER;
    /** What a connection that splits frames keeps between them: a few short frames' worth. */
    private static final int CARRY_FLOOR = 256;
    private static final byte FIRST = DELIMITER[0];

    // tag::fields[]
    private final int maxFrame;
    /** Rule 4: the most bytes an unfinished frame can need, {@code maxFrame + 4}. */
    private final int mostHeld;
    /** The unfinished frame's bytes carried over from earlier reads, a partial delimiter included. */
    private final ElasticBuffer carried;
    private int carriedLength;
    /** How many bytes of {@code <EOF>} the bytes seen so far end with (0 to 4). */
    private int matched;
    // end::fields[]

    public FrameDecoder(int maxFrame) {
        if (maxFrame < 0) throw new IllegalArgumentException("maxFrame < 0: " + maxFrame);
        this.maxFrame = maxFrame;
        // A long, as maxFrame + 4 overflows an int near Integer.MAX_VALUE.
        this.mostHeld = (int) Math.min((long) maxFrame + DELIMITER.length - 1, Integer.MAX_VALUE - 8);
        // A floor, made at the first frame split across reads and then kept: a pipelining client's
        // frames straddle nearly every read, and an array made anew for each was garbage at every
        // read (pipelined nio-selector's resident memory 261 MiB against 75, its heap pages all
        // touched by it). A connection that never split a frame holds nothing here; one that
        // carried a long frame keeps only the floor once it is out.
        this.carried = new ElasticBuffer(Math.min(CARRY_FLOOR, mostHeld), mostHeld);
    }

    /**
     * Consumes every remaining byte of {@code in} and hands each completed payload to the
     * handler, in order.
     *
     * @throws FrameTooLongException once the current payload is known to pass the maximum;
     *     the frames completed before it in {@code in} have already been handed over, so a
     *     server can still send the replies it owes for them (rule 4)
     */
    // tag::decode[]
    public void decode(ByteBuffer in, Handler handler) throws FrameTooLongException {
        int limit = in.limit();
        int frameStart = in.position();          // where this frame's bytes begin in `in`
        int i = frameStart;
        while (i < limit) {
            if (matched == 0) {
                // Most bytes are payload: run to the next '<' in a tight loop, the hot path.
                i = indexOfFirst(in, i, limit);
                if (i < limit) {
                    matched = 1;
                    i++;
                }
            } else {
                byte b = in.get(i++);
                if (b == DELIMITER[matched]) {
                    if (++matched == DELIMITER.length) {
                        matched = 0;
                        deliver(in, frameStart, i, handler);
                        frameStart = i;
                    }
                    continue;                         // a partial match adds no payload byte
                }
                // "<E<EOF>": a mismatch may itself start the delimiter again. No other
                // overlap exists, because '<' occurs in "<EOF>" only at its start.
                matched = b == FIRST ? 1 : 0;
            }
            // Rule 4: bytes that can no longer be part of the delimiter belong to the payload;
            // at most BYTES + 4 are held before the verdict.
            if (carriedLength + (i - frameStart) - matched > maxFrame) {
                in.position(limit);
                throw new FrameTooLongException(maxFrame);
            }
        }
        carry(in, frameStart, limit);
        in.position(limit);
    }

    /** The index of the next '<' from {@code from}, or {@code limit}; straight from the array if there is one. */
    private static int indexOfFirst(ByteBuffer in, int from, int limit) {
        if (in.hasArray()) {
            byte[] a = in.array();
            int offset = in.arrayOffset();
            for (int i = from; i < limit; i++) {
                if (a[offset + i] == FIRST) return i;
            }
            return limit;
        }
        for (int i = from; i < limit; i++) {
            if (in.get(i) == FIRST) return i;
        }
        return limit;
    }
    // end::decode[]

    /** True when bytes of an unfinished frame are held (rule 6 drops them at half-close). */
    public boolean hasPartialFrame() {
        return carriedLength > 0;
    }

    /** The bytes of memory held for the unfinished frame: never more than {@code maxFrame + 4}, 0 between frames. */
    int capacity() {
        return carried.capacity();
    }

    /** The frame ends at {@code end} (exclusive) in {@code in}, its delimiter included. */
    private void deliver(ByteBuffer in, int frameStart, int end, Handler handler) {
        int payloadLength = carriedLength + (end - frameStart) - DELIMITER.length;
        if (carriedLength == 0) {
            // The whole frame came in this read: hand over a view, copy nothing.
            handler.onFrame(in.slice(frameStart, payloadLength));
            return;
        }
        // The frame began in an earlier read. Its delimiter may even have begun there
        // ("...<EO" then "F>"), in which case fewer carried bytes are payload.
        if (payloadLength > carriedLength) {
            carry(in, frameStart, frameStart + payloadLength - carriedLength);
        }
        carriedLength = 0;
        handler.onFrame(ByteBuffer.wrap(carried.array(), 0, payloadLength));
        // The handler has copied what it keeps: a frame that grew the buffer (up to rule 4's
        // maximum) leaves nothing behind for the connection's quiet time.
        carried.shrink();
    }

    // tag::carry[]
    private void carry(ByteBuffer in, int from, int to) {
        int n = to - from;
        if (n == 0) return;
        // Grown by doubling, which keeps the copying linear (rule 3), up to mostHeld: the size
        // check in decode guarantees that carriedLength + n never passes it.
        byte[] into = carried.grow(carriedLength, carriedLength + n);
        in.get(from, into, carriedLength, n);
        carriedLength += n;
    }
    // end::carry[]
}
