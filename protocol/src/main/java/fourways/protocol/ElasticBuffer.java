package fourways.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A connection's buffer sized for what arrives, in every model: nothing until the first byte
 * needs it, grown on demand up to a ceiling (rule 4's {@code --max-frame} for a partial frame),
 * and given back to its floor once the connection goes quiet. Its cost is an allocation when
 * a burst outgrows the floor; what it saves is the burst's size on every idle connection.
 *
 * <p>A held connection costs what it holds while it waits, and most connections wait most of
 * the time: a buffer sized for the largest burst, kept for the connection's life, is paid by all
 * of them for what one of them did once (Netty's adaptive receive buffers and the Loom C5M
 * experiment's 16-byte reads make the same bet). The floor is what a quiet connection keeps
 * so that small, steady traffic allocates nothing; 0 keeps nothing.
 *
 * <p>Not thread-safe: it belongs to the one thread (or loop) that reads its connection.
 */
public final class ElasticBuffer {
    /**
     * The floor of a buffer that a read waits on, in the models whose reads hold one while they
     * wait (thread per connection, NIO2): a 64-byte frame's 69 bytes fit it; a burst finds the
     * buffer full and the next read a bigger one. The Loom C5M experiment read into 16 bytes.
     */
    public static final int READ_FLOOR = 128;

    private final int floor;
    private final int ceiling;
    /** Null until first needed, and again after {@link #shrink} when the floor is 0. */
    private byte[] bytes;
    /** A view of {@link #bytes}, made once per array, not once per read. */
    private ByteBuffer view;

    /**
     * @param floor the bytes a quiet connection keeps, once it has needed any (0: none)
     * @param ceiling the most it ever holds; at least {@code floor}
     */
    public ElasticBuffer(int floor, int ceiling) {
        if (floor < 0 || ceiling < floor) {
            throw new IllegalArgumentException("floor " + floor + ", ceiling " + ceiling);
        }
        this.floor = floor;
        this.ceiling = ceiling;
    }

    /** The array as it is, of at least the floor's size: allocated here at the first use. */
    public byte[] array() {
        if (bytes == null) bytes = new byte[Math.max(floor, 1)];
        return bytes;
    }

    /**
     * An array of at least {@code atLeast} bytes, or of the ceiling if that is smaller, whose first
     * {@code keep} bytes are those held so far.
     * Doubling keeps the copying linear in a long frame's size (rule 3); the ceiling keeps a
     * frame of exactly the maximum from costing twice its size.
     */
    public byte[] grow(int keep, int atLeast) {
        int capacity = capacity();
        if (atLeast <= capacity) return array();
        int grown = (int) Math.min(Math.max(atLeast, Math.max(floor, capacity * 2L)), ceiling);
        if (grown <= capacity) return array();       // at the ceiling already
        bytes = keep == 0 || bytes == null ? new byte[grown] : Arrays.copyOf(bytes, grown);
        return bytes;
    }

    /** The whole array as a buffer, cleared: what a read fills. */
    public ByteBuffer view() {
        byte[] a = array();
        if (view == null || !view.hasArray() || view.array() != a) view = ByteBuffer.wrap(a);
        return view.clear();
    }

    /**
     * After a read of {@code n} bytes into the whole array, once they are decoded: a read that
     * filled it, with bytes still waiting, is a burst, and the next read gets room for them
     * (doubling at least); any other read leaves the connection quiet, and the buffer at its floor.
     *
     * @param waiting the bytes known to wait (a blocking socket's {@code available()}), or the
     *     ceiling where no one can tell (an asynchronous read), which assumes a burst
     */
    public void afterRead(int n, int waiting) {
        if (n == capacity() && waiting > 0) {
            grow(0, waiting);
        } else {
            shrink();
        }
    }

    /**
     * The connection went quiet (nothing of a frame held): back to the floor. A floor-sized array
     * is kept, so that a connection of small frames allocates nothing; a grown one is let go.
     */
    public void shrink() {
        if (bytes != null && bytes.length > floor) {
            bytes = null;
            view = null;
        }
    }

    /** The bytes held now: 0 before the first use, and after a shrink with a floor of 0. */
    public int capacity() {
        return bytes == null ? 0 : bytes.length;
    }

    public int floor() {
        return floor;
    }

    public int ceiling() {
        return ceiling;
    }
}
