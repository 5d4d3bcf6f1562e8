package fourways.async;

import java.util.concurrent.LinkedBlockingDeque;

/**
 * The delegated tasks' queue of a TLS server under a flood: first come, first served, bounded,
 * and when it is full the oldest waiting handshake is refused, not the newcomer. It costs the
 * oldest its handshake, which is the point: it is the likeliest to be a flood's ClientHello whose
 * sender reset long ago (the server cannot tell without running it), and a good client that
 * connects now waits behind at most {@code capacity} batches, never behind the whole flood.
 *
 * <p>Threads: any thread offers (group and task threads); the pool's threads take. The
 * {@link Refusable#refuse} of an evicted batch runs on the offering thread.
 */
final class OldestRefused extends LinkedBlockingDeque<Runnable> {
    /** A batch that can be told it will never run: its connection's handshake fails, and closes it. */
    interface Refusable extends Runnable {
        void refuse();
    }

    OldestRefused(int capacity) {
        super(capacity);
    }

    /** What ThreadPoolExecutor calls: never false, so the pool never rejects; the oldest goes instead. */
    @Override
    public boolean offer(Runnable batch) {
        while (!offerLast(batch)) {
            Runnable oldest = pollFirst();            // null if a taker emptied it meanwhile: try again
            if (oldest instanceof Refusable r) r.refuse();
        }
        return true;
    }
}
