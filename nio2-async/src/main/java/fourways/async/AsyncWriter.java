package fourways.async;

import fourways.protocol.OutboundQueue;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending half of an {@link AsyncConnection}: BeginSend/EndSend with the two traps C#'s
 * sample never met. A write may complete having written only part of its bytes, and a second
 * write started while one is pending throws {@code WritePendingException}. So every byte goes
 * through one outbound queue, and one write at a time drains it; the cost is a lock.
 *
 * <p>Threads: the owner's read handler adds replies; other connections' handler threads offer
 * chat frames; the write handler drains. Every field is guarded by {@code lock}, which is never
 * held while calling the channel: a write may complete at once and run its handler on this
 * very thread, which would then take the lock again in the middle of our bookkeeping.
 */
final class AsyncWriter {
    private final AsynchronousSocketChannel channel;
    /** Over TLS, what turns the queue's plaintext into records; null over TCP, which pays nothing for it. */
    private final AsyncTls tls;
    private final AsyncConnection owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final OutboundQueue queue;
    /**
     * The "writing" flag: true from the moment a thread takes the job of writing until the
     * queue is empty. Only the thread that turns it from false to true starts a write; every
     * later write is started by the completion of the one before. So there is never a second
     * pending write, and bytes added meanwhile are simply picked up by the next one.
     */
    private boolean writing;
    /** Rule 11: no read is pending because the backlog reached the limit. */
    private boolean readPaused;
    /**
     * Rule 24: a read waiting for what the engine says on its own (a KeyUpdate's answer) to be
     * written. Until then no record is unwrapped, so a peer that floods KeyUpdates and reads
     * nothing stops being read once the socket is full (rule 11), and holds one answer, not millions.
     */
    private Runnable ownOutputWaiter;
    /** What to do once the queue is empty (close, or linger); set once, at the end. */
    private Runnable afterDrain;
    /** No more chat frames: the connection is on its way out. */
    private boolean finishing;
    /** The connection is closed; a completion that arrives late finds nothing to do. */
    private boolean closed;

    AsyncWriter(AsynchronousSocketChannel channel, AsyncTls tls, AsyncConnection owner, long maxBacklog) {
        this.channel = channel;
        this.tls = tls;
        // Over TLS the handshake holds the write side, as a pending write would: a chat frame
        // queued meanwhile waits for handshakeDone(), not beside the handshake's own writes.
        this.writing = tls != null;
        this.owner = owner;
        this.queue = new OutboundQueue(maxBacklog);
    }

    /** The owner's reply, copied: never refused; the owner's reads keep it bounded (rule 11). */
    void add(ByteBuffer bytes) {
        lock.lock();
        try {
            queue.append(bytes);
        } finally {
            lock.unlock();
        }
    }

    /** A chat frame from any handler thread: queued and maybe written, never waited for. */
    boolean offer(ByteBuffer frame) {
        lock.lock();
        try {
            if (finishing) return true;               // leaving anyway: drop it quietly
            if (!queue.offer(frame)) return false;    // rule 12: over the limit; the room drops us
        } finally {
            lock.unlock();
        }
        flush();
        return true;
    }

    /** Starts a write unless one is pending: that one's completion will see the new bytes. */
    // tag::flush[]
    void flush() {
        ByteBuffer[] batch;
        lock.lock();
        try {
            if (writing || queue.isEmpty()) return;
            writing = true;
            batch = queue.gather();
        } finally {
            lock.unlock();
        }
        write(batch);
    }
    // end::flush[]

    /** BeginSend: a gathering write of up to 64 queued buffers. No timeout: see AsyncServer. */
    private void write(ByteBuffer[] batch) {
        if (tls == null) {
            channel.write(batch, 0, batch.length, 0, TimeUnit.SECONDS, this, WRITTEN);
        } else {
            tls.write(batch, this, WRITTEN);          // BeginWrite: completes with the plaintext bytes taken (rule 11 counts those)
        }
    }

    /** Rule 24: the engine's own output goes out like a reply; {@code resumeRead} runs once it is written. */
    void writeOwnOutput(Runnable resumeRead) {
        ByteBuffer[] batch;
        lock.lock();
        try {
            if (closed) return;                       // the read is dropped with the socket
            ownOutputWaiter = resumeRead;
            if (writing) return;                      // the next write wraps it first; its completion resumes the read
            writing = true;
            batch = queue.isEmpty() ? AsyncTlsOutput.NOTHING : queue.gather();
        } finally {
            lock.unlock();
        }
        write(batch);
    }

    /** The handshake is over: the write side is the queue's now, and whatever it holds goes out. */
    void handshakeDone() {
        onWritten(0);
    }

    /** SendCallback, with the writer as the attachment. */
    private static final CompletionHandler<Long, AsyncWriter> WRITTEN = new CompletionHandler<>() {
        /** Where C# calls {@code handler.EndSend(ar)} and learns how many bytes went out. */
        @Override
        public void completed(Long n, AsyncWriter w) {
            try {
                w.onWritten(n);
            } catch (RuntimeException e) {
                w.owner.close();                      // the group would only print it: close instead
            }
        }

        /** Where C# would catch the exception from EndSend: the client reset, or we closed. */
        @Override
        public void failed(Throwable e, AsyncWriter w) {
            w.owner.close();                          // rule 15: this connection only
        }
    };

    // tag::on-written[]
    private void onWritten(long n) {
        ByteBuffer[] next = null;
        boolean resumeReading = false;
        Runnable then = null;
        Runnable resumeRead = null;
        lock.lock();
        try {
            if (closed) return;                       // close() dropped the queue under this write
            // A partial write is normal: the buffers it finished leave the queue, a half-written
            // one stays first with its position advanced, and the next write continues it.
            queue.consumed(n);
            boolean ownOutput = ownOutputWaiter != null && tls.hasOwnOutput();
            if (ownOutputWaiter != null && !ownOutput) {
                resumeRead = ownOutputWaiter;         // the engine's answer is out: unwrap on
                ownOutputWaiter = null;
            }
            if (!queue.isEmpty()) {
                next = queue.gather();                // still ours: writing stays true
            } else if (ownOutput) {
                next = AsyncTlsOutput.NOTHING;        // the engine still has its say (wrapped first, and never 0 at once)
            } else {
                writing = false;
                then = afterDrain;
                afterDrain = null;
            }
            if (readPaused && !queue.atLimit()) {
                readPaused = false;                   // rule 11: room again, so read again
                resumeReading = true;
            }
        } finally {
            lock.unlock();
        }
        if (n > 0) owner.touch();                     // rule 13: bytes written count as activity
        if (next != null) write(next);
        if (resumeRead != null) resumeRead.run();
        if (resumeReading) owner.read();
        if (then != null) then.run();
    }
    // end::on-written[]

    /** Rule 11, after a read: true (and no read is armed) when the backlog is at the limit. */
    boolean pauseReadingIfFull() {
        lock.lock();
        try {
            readPaused = queue.atLimit();
            return readPaused;
        } finally {
            lock.unlock();
        }
    }

    /** Rules 4, 6, 7: run {@code action} once every queued byte is written; chat frames stop now. */
    // tag::when-drained[]
    void whenDrained(Runnable action) {
        lock.lock();
        try {
            finishing = true;
            if (writing || !queue.isEmpty()) {
                afterDrain = action;                  // the last write's completion runs it
                return;
            }
        } finally {
            lock.unlock();
        }
        action.run();                                 // nothing is queued or being written
    }
    // end::when-drained[]

    /** The connection closed: whatever is queued is dropped. */
    void clear() {
        lock.lock();
        try {
            finishing = true;
            closed = true;
            queue.clear();
            afterDrain = null;
            ownOutputWaiter = null;
        } finally {
            lock.unlock();
        }
    }
}
