package fourways.async;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.WritePendingException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * TLS on NIO2: one SSLEngine driven by completion handlers, the twin of C#'s SslStream with its
 * BeginAuthenticateAsServer, BeginRead and BeginWrite. It costs a connection two small buffers
 * and one of a whole record, a copy of every byte each way, and a thread hop per delegated task.
 *
 * <p>It offers what the channel offers (a read, a write, each with a completion handler), so a
 * connection reads the same over TLS as over TCP. Threads: one read at a time owns {@code netIn}
 * and {@code appIn}; one write at a time owns {@code netOut} ({@code writing} says which); the
 * engine allows a wrap and an unwrap at once. A handler may be called before a method returns.
 */
final class AsyncTls {
    /** Enough for small frames; a whole 16 KiB record makes a buffer grow, once. */
    static final int FIRST_BUFFER = 4 * 1024;
    private static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};

    private final AsynchronousSocketChannel channel;
    private final SSLEngine engine;
    private final Executor tasks;
    /** Records read, not yet unwrapped; ready for the next channel read (write mode). */
    private ByteBuffer netIn = ByteBuffer.allocate(FIRST_BUFFER);
    /** Plaintext unwrapped, not yet handed to a reader (read mode). */
    private ByteBuffer appIn = ByteBuffer.allocate(FIRST_BUFFER).flip();
    /** Records being written (read mode). The engine wraps only into room for a whole record. */
    private ByteBuffer netOut;
    /** The one write in flight, of records or of the handshake: a second would be WritePendingException. */
    private final AtomicBoolean writing = new AtomicBoolean();

    /** @param tasks where delegated tasks run: never the channel group, this model's event loop */
    AsyncTls(AsynchronousSocketChannel channel, SSLEngine engine, Executor tasks) {
        this.channel = channel;
        this.engine = engine;
        this.tasks = tasks;
        this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize()).flip();
    }

    /** BeginAuthenticateAsServer (or AsClient): completes when the engine has nothing left to say or hear. */
    // tag::tls-handshake[]
    <A> void handshake(A att, CompletionHandler<Void, ? super A> done) {
        try {
            engine.beginHandshake();                  // a fresh engine says NOT_HANDSHAKING: we would "finish" at once
        } catch (SSLException e) {
            done.failed(e, att);
            return;
        }
        step(att, done);
    }

    private <A> void step(A att, CompletionHandler<Void, ? super A> done) {
        try {
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK -> {
                        runTasks(() -> step(att, done));     // off the group's threads; continues from there
                        return;
                    }
                    case NEED_WRAP -> {
                        claimWrite();
                        try {
                            wrap(NOTHING);
                        } catch (SSLException | RuntimeException e) {
                            writing.set(false);       // a delegated task failed: the alert it left needs the write side
                            throw e;
                        }
                        // A write, and the next step only from its completion: never a spin, never two writes.
                        flush(() -> step(att, done), e -> done.failed(e, att));
                        return;
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        SSLEngineResult r = unwrap();
                        if (r.getStatus() == Status.BUFFER_OVERFLOW) makeRoom();   // early plaintext: kept for the first read
                        if (r.getStatus() == Status.CLOSED) throw new SSLHandshakeException("TLS handshake failed: the peer closed it");
                        if (r.getStatus() == Status.BUFFER_UNDERFLOW) {
                            // Nothing buffered, or half a record: start a read (not another unwrap), keeping the half.
                            fill(n -> {
                                if (n < 0) done.failed(new SSLHandshakeException("TLS handshake failed: the peer closed the connection"), att);
                                else step(att, done);
                            }, e -> done.failed(e, att));
                            return;
                        }
                    }
                    default -> {
                        // NOT_HANDSHAKING (FINISHED is only ever a result's). Records that came with the
                        // last handshake message are still in netIn or appIn: the first read gets them.
                        done.completed(null, att);
                        return;
                    }
                }
            }
        } catch (SSLException | RuntimeException e) {
            failAfterAlert(() -> done.failed(e, att));
        }
    }
    // end::tls-handshake[]

    /** BeginRead: plaintext into {@code dst}, as much as is ready; -1 at the peer's close_notify or FIN. */
    // tag::tls-unwrap[]
    <A> void read(ByteBuffer dst, A att, CompletionHandler<Integer, ? super A> h) {
        try {
            while (!appIn.hasRemaining()) {           // plaintext left from an earlier read goes first
                SSLEngineResult r = unwrapAll();
                if (appIn.hasRemaining()) break;      // what stopped the unwrapping waits for the next read
                if (r.getStatus() == Status.CLOSED) {
                    h.completed(-1, att);             // the peer's close_notify is end of input (rule 6)
                    return;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks(() -> read(dst, att, h));   // a post-handshake message; the read goes on after it
                    return;
                }
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    makeRoom();                       // a record bigger than appIn: grow it, never an error
                } else if (r.getStatus() == Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0) {
                    // Half a record, or none: read more, appended to the half held. Not an error.
                    fill(n -> {
                        if (n < 0) h.completed(-1, att);    // FIN: end of input, as over TCP (rule 6)
                        else read(dst, att, h);
                    }, e -> h.failed(e, att));
                    return;
                }                                     // else a record with no plaintext (a ticket): the next
            }
            int n = Math.min(dst.remaining(), appIn.remaining());
            dst.put(dst.position(), appIn, appIn.position(), n).position(dst.position() + n);
            appIn.position(appIn.position() + n);
            h.completed(n, att);
        } catch (SSLException | RuntimeException e) {
            failAfterAlert(() -> h.failed(e, att)); // a bad record: the peer gets an alert, we the error
        }
    }

    /**
     * Every whole record netIn holds, while appIn has room: the records of one read (a frame
     * split into one-byte records, data sent with the last handshake message) make one delivery.
     * NEED_WRAP here (a KeyUpdate to answer) waits for the next write, which wraps it first:
     * wrapping it now could start a second write beside the writer's.
     */
    private SSLEngineResult unwrapAll() throws SSLException {
        SSLEngineResult r;
        do {
            r = unwrap();
        } while (r.getStatus() == Status.OK && r.bytesConsumed() > 0 && r.getHandshakeStatus() != HandshakeStatus.NEED_TASK);
        return r;
    }

    /** One record from netIn into appIn; both are left in their resting modes. */
    private SSLEngineResult unwrap() throws SSLException {
        netIn.flip();
        appIn.compact();
        try {
            return engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();
            appIn.flip();
        }
    }
    // end::tls-unwrap[]

    /** BUFFER_OVERFLOW: room for what appIn holds and a whole record more. */
    private void makeRoom() {
        int size = appIn.remaining() + engine.getSession().getApplicationBufferSize();
        appIn = ByteBuffer.allocate(size).put(appIn).flip();
    }

    /** BeginReceive of more records, behind what netIn holds; grown first if a record fills it. */
    private void fill(Consumer<Integer> then, Consumer<Throwable> failed) {
        if (!netIn.hasRemaining()) {
            int size = Math.max(engine.getSession().getPacketBufferSize(), 2 * netIn.capacity());
            netIn = ByteBuffer.allocate(size).put(netIn.flip());
        }
        channel.read(netIn, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void v) {
                then.accept(n);
            }

            @Override
            public void failed(Throwable e, Void v) {
                failed.accept(e);                     // a reset, or our own close (the idle timeout)
            }
        });
    }

    /** BeginWrite: srcs' plaintext as records, all written; completes with the plaintext bytes taken. */
    // tag::tls-wrap[]
    <A> void write(ByteBuffer[] srcs, A att, CompletionHandler<Long, ? super A> h) {
        if (!writing.compareAndSet(false, true)) {
            h.failed(new WritePendingException(), att);   // through the handler: a throw here could hit another connection
            return;
        }
        long taken;
        try {
            taken = wrap(srcs);
        } catch (SSLException | RuntimeException e) {
            writing.set(false);
            h.failed(e, att);
            return;
        }
        flush(() -> h.completed(taken, att), e -> h.failed(e, att));
    }

    private void claimWrite() {
        if (!writing.compareAndSet(false, true)) throw new WritePendingException();
    }

    /** Records into netOut, a pending handshake message or alert first; by the holder of {@code writing} only. */
    private long wrap(ByteBuffer[] srcs) throws SSLException {
        netOut.clear();
        long taken = 0;
        while (true) {
            SSLEngineResult r = engine.wrap(srcs, netOut);
            taken += r.bytesConsumed();
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                if (netOut.position() > 0) break;     // full: room is made by writing these first
                netOut = ByteBuffer.allocate(Math.max(engine.getSession().getPacketBufferSize(), 2 * netOut.capacity()));
                continue;                             // the session wants bigger records than we had room for
            }
            if (r.getStatus() == Status.CLOSED && netOut.position() == 0 && remaining(srcs)) {
                throw new SSLException("TLS output is closed");   // plaintext after close_notify: the writer fails
            }
            if (r.bytesProduced() == 0 || !remaining(srcs) && r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) break;
        }
        netOut.flip();
        return taken;
    }

    private static boolean remaining(ByteBuffer[] srcs) {
        for (ByteBuffer b : srcs) {
            if (b.hasRemaining()) return true;
        }
        return false;
    }

    /** Writes all of netOut (a partial write goes on), frees the write side, then goes on itself. */
    private void flush(Runnable then, Consumer<Throwable> failed) {
        if (!netOut.hasRemaining()) {
            writing.set(false);
            then.run();
            return;
        }
        channel.write(netOut, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void v) {
                try {
                    if (netOut.hasRemaining()) {
                        channel.write(netOut, null, this);   // a partial write: the rest of these records
                        return;
                    }
                } catch (RuntimeException e) {
                    failed(e, v);
                    return;
                }
                writing.set(false);                   // before then: it may start the next write
                then.run();
            }

            @Override
            public void failed(Throwable e, Void v) {
                writing.set(false);
                failed.accept(e);
            }
        });
    }
    // end::tls-wrap[]

    /**
     * Rule 24's half-close: close_notify, then FIN, as SslStream.ShutdownAsync then
     * Socket.Shutdown(SocketShutdown.Send). Called when every reply is written.
     */
    // tag::tls-close[]
    void closeOutput(Runnable then, Runnable failed) {
        try {
            claimWrite();
            engine.closeOutbound();                   // the engine now has its close_notify to wrap
            wrap(NOTHING);
        } catch (SSLException | RuntimeException e) {
            failed.run();                             // the caller closes the socket: no close_notify, still closed
            return;
        }
        flush(() -> {
            try {
                channel.shutdownOutput();             // FIN after close_notify, never before
            } catch (IOException e) {
                failed.run();
                return;
            }
            then.run();
        }, e -> failed.run());
    }
    // end::tls-close[]

    /**
     * A failed handshake or a bad record: the engine holds an alert saying why (handshake_failure,
     * bad_certificate); it goes out if the write side is free, then {@code failed} closes the
     * connection. Never more than that one write; a peer that does not read it costs nothing.
     */
    private void failAfterAlert(Runnable failed) {
        try {
            claimWrite();
            wrap(NOTHING);
        } catch (SSLException | RuntimeException e) {
            failed.run();                             // a write in flight, or no alert to send: just close
            return;
        }
        flush(failed, e -> failed.run());
    }

    /** NEED_TASK: the engine's slow work (key agreement, signatures, certificate checks) off the group's threads. */
    private void runTasks(Runnable then) {
        tasks.execute(() -> {
            for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                task.run();
            }
            then.run();                               // and on from this thread: the next I/O is asynchronous anyway
        });
    }
}
