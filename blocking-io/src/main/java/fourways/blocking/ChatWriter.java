package fourways.blocking;

import fourways.protocol.OutboundQueue;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A chat connection's outbound queue and the thread that writes it. Thread per connection
 * answers "a slow reader never blocks anyone else" (rule 10) with a second thread: a sender's
 * thread only queues, and only this writer ever blocks on the slow client's socket. The queue
 * is bounded by the backlog limit, so a reader that falls too far behind is dropped (rule 12)
 * instead of growing the queue without end.
 *
 * <p>Threads: any connection's thread calls {@link #offer}; the owner's thread calls
 * {@link #add} and {@link #finish}; the writer thread drains. All state is guarded by
 * {@code lock}, which is never held while writing to the socket; only the positions of the
 * buffers being written move outside it, and only the writer moves them.
 */
final class ChatWriter {
    private final OutputStream out;
    private final Runnable onWrite;
    private final Runnable onFailure;
    // tag::lock[]
    // A ReentrantLock, not synchronized: a virtual thread waiting in Object.wait() pins its
    // carrier on Java 21, one parked on a Condition does not.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // end::lock[]
    /** Rule 10's bytes and their limit, as in the non-blocking models; guarded by {@code lock}. */
    private final OutboundQueue queue;
    private boolean finishing;
    private Thread thread;

    ChatWriter(OutputStream out, long maxBacklog, Runnable onWrite, Runnable onFailure) {
        this.out = out;
        this.queue = new OutboundQueue(maxBacklog);
        this.onWrite = onWrite;
        this.onFailure = onFailure;
    }

    void start(ThreadFactory threads, String name) {
        thread = threads.newThread(this::writeLoop);
        thread.setName(name);
        thread.start();
    }

    /** The owner's own bytes (rule 4's error frame), copied: never refused, or they would be lost. */
    void add(ByteBuffer bytes) {
        lock.lock();
        try {
            queue.append(bytes);
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Rule 12: false, queueing nothing, when the frame would pass the backlog limit. */
    // tag::offer[]
    boolean offer(ByteBuffer frame) {
        lock.lock();
        try {
            if (finishing) return true;                   // leaving anyway: drop it quietly
            if (!queue.offer(frame)) return false;        // over the limit: the room drops us
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }
    // end::offer[]

    /** No more frames: the writer writes what is queued, then ends. */
    void finish() {
        lock.lock();
        try {
            finishing = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    private void writeLoop() {
        try {
            for (ByteBuffer[] batch; (batch = takeBatch()) != null; ) {
                long written = 0;
                for (ByteBuffer b : batch) {
                    written += b.remaining();
                    write(out, b);                         // blocks on a slow client: only this thread
                }
                out.flush();
                onWrite.run();
                consumed(written);
            }
        } catch (IOException | InterruptedException e) {
            onFailure.run();                               // closes the socket; the reader ends too
        }
    }

    /** Waits for bytes; null when finishing and nothing is left. The bytes stay counted until written. */
    private ByteBuffer[] takeBatch() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !finishing) {
                changed.await();
            }
            return queue.isEmpty() ? null : queue.gather();
        } finally {
            lock.unlock();
        }
    }

    private void consumed(long written) {
        lock.lock();
        try {
            queue.consumed(written);
        } finally {
            lock.unlock();
        }
    }

    void join() {
        Thread t = thread;
        if (t == null || t == Thread.currentThread()) return;
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes a buffer's remaining bytes to a stream, and consumes them; heap buffers without a copy. */
    static void write(OutputStream out, ByteBuffer b) throws IOException {
        if (b.hasArray()) {
            out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
        } else {
            byte[] copy = new byte[b.remaining()];
            b.duplicate().get(copy);
            out.write(copy);
        }
        b.position(b.limit());
    }
}
