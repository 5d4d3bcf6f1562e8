package fourways.coursework.e5_connectionlimit;

import fourways.protocol.Closing;
import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import fourways.protocol.OutboundQueue;
import fourways.protocol.ServerConfig;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Exercise 5's echo connection for the NIO2 server: a read always pending, and one write at a
 * time (exercise 3); it costs its read buffer, its queue, and no thread.
 *
 * <p>Threads: the group's handler threads, one read handler at a time; the write side is guarded
 * by {@code lock}. {@link #close}, and so {@code onClosed}, may run on any of them, once.
 */
public final class AsyncEcho {
    private final AsynchronousSocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocate(8192);
    private final FrameDecoder decoder;
    private final Consumer<AsyncEcho> onClosed;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final OutboundQueue outbound;
    private boolean writing;
    private boolean inputEnded;

    /** {@code onClosed} runs once, when this connection closes for whatever reason. */
    public AsyncEcho(AsynchronousSocketChannel channel, ServerConfig config, Consumer<AsyncEcho> onClosed) {
        this.channel = channel;
        this.decoder = new FrameDecoder(config.maxFrame());
        this.outbound = new OutboundQueue(config.maxBacklog());
        this.onClosed = onClosed;
    }

    public void start() {
        channel.read(in, this, READ);
    }

    private void onRead(int n) {
        if (n < 0) {
            endInput();                               // rule 6
            return;
        }
        in.flip();
        try {
            decoder.decode(in, payload -> queue(Frames.echoReply(payload)));
        } catch (FrameDecoder.FrameTooLongException e) {
            queue(Frames.tooLong());                  // rule 4
            endInput();
            return;
        }
        in.clear();
        flush();
        channel.read(in, this, READ);                 // (rule 11's pause: see exercise 3's solution)
    }

    private void queue(ByteBuffer reply) {
        lock.lock();
        try {
            outbound.add(reply);
        } finally {
            lock.unlock();
        }
    }

    private void flush() {
        ByteBuffer[] batch;
        lock.lock();
        try {
            if (writing || outbound.isEmpty()) return;  // a pending write's completion takes these too
            writing = true;
            batch = outbound.gather();
        } finally {
            lock.unlock();
        }
        channel.write(batch, 0, batch.length, 0, TimeUnit.SECONDS, this, WRITTEN);
    }

    private void onWritten(long n) {
        ByteBuffer[] next = null;
        boolean done = false;
        lock.lock();
        try {
            if (closed.get()) return;
            outbound.consumed(n);                     // a partial write leaves the rest first in line
            if (!outbound.isEmpty()) {
                next = outbound.gather();
            } else {
                writing = false;
                done = inputEnded;
            }
        } finally {
            lock.unlock();
        }
        if (next != null) channel.write(next, 0, next.length, 0, TimeUnit.SECONDS, this, WRITTEN);
        if (done) close();
    }

    private void endInput() {
        boolean idle;
        lock.lock();
        try {
            inputEnded = true;
            idle = !writing && outbound.isEmpty();
        } finally {
            lock.unlock();
        }
        if (idle) close();
        else flush();
    }

    /** Any thread, idempotent: the pending read and write then fail, and find us closed. */
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        Closing.quietly(channel);
        onClosed.accept(this);
    }

    private static final CompletionHandler<Integer, AsyncEcho> READ = new CompletionHandler<>() {
        @Override
        public void completed(Integer n, AsyncEcho c) {
            try {
                c.onRead(n);
            } catch (RuntimeException e) {
                c.close();                            // the group would only print it
            }
        }

        @Override
        public void failed(Throwable e, AsyncEcho c) {
            c.close();                                // rule 15, or our own close
        }
    };

    private static final CompletionHandler<Long, AsyncEcho> WRITTEN = new CompletionHandler<>() {
        @Override
        public void completed(Long n, AsyncEcho c) {
            try {
                c.onWritten(n);
            } catch (RuntimeException e) {
                c.close();
            }
        }

        @Override
        public void failed(Throwable e, AsyncEcho c) {
            c.close();
        }
    };
}
