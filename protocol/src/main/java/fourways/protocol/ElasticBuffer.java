package fourways.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A connection's buffer sized for what arrives, in every model: nothing until the first byte
 * needs it, grown on demand up to a ceiling (rule 4's {@code --max-frame} for a partial frame),
 * and given back to its floor once the connection goes quiet. Its cost is a copy when a burst
 * outgrows the floor; what it saves is the burst's size on every idle connection.
 *
 * <p>A held connection costs what it holds while it waits, and most connections wait most of
 * the time: a buffer sized for the largest burst, kept for the connection's life, is paid by all
 * of them for what one of them did once (Netty's adaptive receive buffers and the Loom C5M
 * experiment's 16-byte reads make the same bet). The floor is what a quiet connection keeps
 * so that small, steady traffic allocates nothing; 0 keeps nothing. With a {@link Pool}, a
 * burst borrows a ceiling-sized array from the server and gives it back at its end, so that a
 * busy connection allocates nothing either: the server, not each connection, owns the big ones.
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
    private static final byte[] NONE = new byte[0];

    private final int floor;
    private final int ceiling;
    private final Pool pool;                          // null: grown arrays are allocated, and let go
    /** The floor's own array, made at the first use and kept: null until then, or with a floor of 0. */
    private byte[] floorBytes;
    /** What is in use: the floor's array, or a grown one; null until the first use. */
    private byte[] bytes;
    /** A view of {@link #bytes}, made once per array, not once per read. */
    private ByteBuffer view;

    /**
     * @param floor the bytes a quiet connection keeps, once it has needed any (0: none)
     * @param ceiling the most it ever holds; at least {@code floor}
     */
    public ElasticBuffer(int floor, int ceiling) {
        this(floor, ceiling, null);
    }

    /** With a pool, whose arrays are the ceiling's size: a burst borrows one (see above). */
    public ElasticBuffer(int floor, int ceiling, Pool pool) {
        if (floor < 0 || ceiling < floor || (pool != null && pool.size != ceiling)) {
            throw new IllegalArgumentException("floor " + floor + ", ceiling " + ceiling);
        }
        this.floor = floor;
        this.ceiling = ceiling;
        this.pool = pool;
    }

    /** The array in use, the floor's at first (allocated here, at the first use). */
    public byte[] array() {
        if (bytes == null) {
            if (floorBytes == null && floor > 0) floorBytes = new byte[floor];
            bytes = floor > 0 ? floorBytes : NONE;
        }
        return bytes;
    }

    /**
     * An array of at least {@code atLeast} bytes, or of the ceiling if that is smaller, whose first
     * {@code keep} bytes are those held so far. Without a pool, doubling keeps the copying linear in
     * a long frame's size (rule 3), and the ceiling keeps a frame of exactly the maximum from
     * costing twice its size; with one, a burst goes straight to a borrowed array of the ceiling.
     */
    public byte[] grow(int keep, int atLeast) {
        byte[] old = array();
        if (atLeast <= old.length || old.length >= ceiling) return old;
        byte[] grown;
        if (pool != null) {
            grown = pool.take();
            System.arraycopy(old, 0, grown, 0, keep);
        } else {
            int size = (int) Math.min(Math.max(atLeast, Math.max(floor, old.length * 2L)), ceiling);
            grown = keep == 0 ? new byte[size] : Arrays.copyOf(old, size);
        }
        bytes = grown;
        return grown;
    }

    /** The array in use as a buffer, cleared: what a read fills. */
    public ByteBuffer view() {
        byte[] a = array();
        if (view == null || view.array() != a) view = ByteBuffer.wrap(a);
        return view.clear();
    }

    /**
     * After a read of {@code n} bytes into the whole array, once they are decoded: a read that
     * filled it, with bytes still waiting, is a burst, and the next read gets room for them; a read
     * the floor could have held says the traffic is small or over, and the buffer goes back to
     * its floor. A read between the two, a burst's tail, keeps the room for the next read, which
     * decides: a pipelining client sends its next burst at once, and two reads for every burst
     * (the floor's, then the rest) cost a busy connection a third of its throughput. So a
     * connection that goes silent right after a burst keeps one ceiling-sized array until its
     * next read; one that goes quiet after small frames, or talks in them, keeps the floor.
     *
     * @param waiting the bytes known to wait (a blocking socket's {@code available()}), or the
     *     ceiling where no one can tell (an asynchronous read), which assumes a burst
     */
    public void afterRead(int n, int waiting) {
        if (n == capacity() && waiting > 0) {
            grow(0, waiting);
        } else if (n <= floor) {
            shrink();
        }
    }

    /**
     * The connection went quiet (nothing of a frame held): back to the floor. The floor's array is
     * kept, so that a connection of small frames allocates nothing; a grown one goes back to the
     * pool, or to the garbage collector.
     */
    public void shrink() {
        if (bytes == null || bytes == floorBytes) return;
        if (pool != null && bytes.length == ceiling) pool.give(bytes);
        bytes = null;                                 // array() brings the floor's back
        view = null;
    }

    /** The bytes held now: 0 before the first use, and after a shrink with a floor of 0. */
    public int capacity() {
        return bytes == null ? (floorBytes == null ? 0 : floorBytes.length) : bytes.length;
    }

    public int ceiling() {
        return ceiling;
    }

    /**
     * Arrays for bursts, all of one size, shared by every connection that reads or writes with
     * that ceiling (and by {@link OutboundQueue}'s 2 KiB blocks): as many as are bursting at once
     * are in use, and at most {@value #MOST} wait here for the next burst; beyond that they are
     * let go. One per size and process (a server is alone in its process, except in the tests,
     * where servers sharing one is harmless), so that the servers need no new plumbing.
     * Thread-safe: any connection's thread takes and gives.
     */
    public static final class Pool {
        /** A few carriers' worth, with room for connections blocked in a write mid-burst (rule 11). */
        private static final int MOST = 64;
        private static final ConcurrentHashMap<Integer, Pool> BY_SIZE = new ConcurrentHashMap<>();

        private final int size;
        /**
         * Last in, first out: the array given back last is the one still warm in a cache, and a
         * connection that gives one back and takes one again gets its own. Guarded by this.
         */
        private final ArrayDeque<byte[]> free = new ArrayDeque<>();

        private Pool(int size) {
            this.size = size;
        }

        /** The process's pool of arrays of {@code size} bytes. */
        public static Pool of(int size) {
            return BY_SIZE.computeIfAbsent(size, Pool::new);
        }

        byte[] take() {
            byte[] b;
            synchronized (this) {
                b = free.pollFirst();
            }
            return b != null ? b : new byte[size];    // made outside the lock
        }

        void give(byte[] b) {
            synchronized (this) {
                if (free.size() < MOST) free.addFirst(b);   // past MOST the array is let go
            }
        }
    }
}
