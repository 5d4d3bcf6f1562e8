package fourways.async;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.WritePendingException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * The sending half of an {@link AsyncTls}: plaintext wrapped into records and written, one write
 * in flight, whether it carries replies, handshake messages, an alert or close_notify. It costs
 * a connection a buffer of one whole record, and a copy of every byte it sends.
 *
 * <p>Threads: whoever turns {@code writing} from false to true owns {@code netOut} until its
 * write completes; everyone else is told WritePendingException, as the channel would tell them.
 * A write parked behind a delegated task is resumed by whichever side sees the task end first:
 * the task's thread ({@link #resumeParked}) or the parking thread itself.
 */
final class AsyncTlsOutput {
    static final ByteBuffer[] NOTHING = {ByteBuffer.allocate(0)};
    private final AsynchronousSocketChannel channel;
    private final SSLEngine engine;
    /** Records being written (read mode). The engine wraps only into room for a whole record. */
    private ByteBuffer netOut;
    /** The one write in flight: a second would be WritePendingException from the channel. */
    private final AtomicBoolean writing = new AtomicBoolean();
    /** A write the engine could not wrap while its delegated task ran; it keeps {@code writing}. */
    private final AtomicReference<Runnable> parked = new AtomicReference<>();

    AsyncTlsOutput(AsynchronousSocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
        this.netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize()).flip();
    }

    /**
     * Wraps what {@code srcs} hold (after anything the engine has to say first: a handshake
     * message, an alert, a KeyUpdate's answer), writes every record, then calls {@code then}
     * with the plaintext bytes taken. Every failure goes to {@code failed}, never thrown: a
     * throw here could surface in another connection's handler (a chat frame's sender).
     */
    // tag::tls-wrap[]
    void send(ByteBuffer[] srcs, LongConsumer then, Consumer<Throwable> failed) {
        if (!writing.compareAndSet(false, true)) {
            failed.accept(new WritePendingException());
            return;
        }
        long taken;
        try {
            taken = wrap(srcs);
        } catch (SSLException | RuntimeException e) {
            writing.set(false);                       // free for the alert a failed engine still has to send
            failed.accept(e);
            return;
        }
        if (!netOut.hasRemaining() && (taken == 0 && remaining(srcs) || engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP)) {
            // Owed bytes and none made: never complete now with 0, or a caller that writes again
            // from its completion recurses until its stack overflows (issue 22, item 4).
            if (remaining(srcs) && engine.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                park(() -> send(srcs, then, failed)); // a renegotiation's task is running: after it
                return;
            }
            writing.set(false);
            failed.accept(new SSLException("the TLS engine wrote nothing"));   // never a loop: the connection closes
            return;
        }
        flush(() -> then.accept(taken), failed);
    }

    private long wrap(ByteBuffer[] srcs) throws SSLException {
        netOut.clear();
        long taken = 0;
        while (true) {
            SSLEngineResult r = engine.wrap(srcs, netOut);
            taken += r.bytesConsumed();
            if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                if (netOut.position() > 0) break;     // full: room is made by writing these first, never an error
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
    // end::tls-wrap[]

    /**
     * Rule 24's half-close: close_notify, then FIN, as SslStream.ShutdownAsync then
     * Socket.Shutdown(SocketShutdown.Send). A failure runs {@code failed}, which closes.
     */
    // tag::tls-close[]
    void close(Runnable then, Runnable failed) {
        engine.closeOutbound();                       // the engine now has its close_notify to wrap
        send(NOTHING, none -> {
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
    // tag::tls-alert[]
    void alertThen(Runnable failed) {
        send(NOTHING, none -> failed.run(), e -> failed.run());
    }
    // end::tls-alert[]

    /**
     * Waits, still owning the write side, for the delegated task that the reader runs. If that
     * task ended before we parked, nobody else will resume us: we look again, and go on ourselves.
     */
    private void park(Runnable retry) {
        writing.set(false);                           // the retry takes the write side again
        parked.set(retry);
        if (engine.getHandshakeStatus() != HandshakeStatus.NEED_TASK) resumeParked();
    }

    /** A delegated task ended: a write parked behind it goes on (once, whoever calls first). */
    void resumeParked() {
        Runnable retry = parked.getAndSet(null);
        if (retry != null) retry.run();
    }

    private static boolean remaining(ByteBuffer[] srcs) {
        for (ByteBuffer b : srcs) {
            if (b.hasRemaining()) return true;
        }
        return false;
    }

    /** BeginSend of every record in netOut (a partial write goes on); frees the write side, then goes on. */
    private void flush(Runnable then, Consumer<Throwable> failed) {
        if (!netOut.hasRemaining()) {
            writing.set(false);                       // nothing to say: an engine with no alert, say
            then.run();
            return;
        }
        CompletionHandler<Integer, Void> written = new CompletionHandler<>() {
            @Override
            public void completed(Integer n, Void v) {
                try {
                    if (netOut.hasRemaining()) {
                        channel.write(netOut, null, this);   // a partial write: the rest of these records
                        return;
                    }
                } catch (RuntimeException e) {
                    failed(e, v);                     // thrown out of a handler, it would be lost
                    return;
                }
                writing.set(false);                   // before then: it may begin the next write
                then.run();
            }

            @Override
            public void failed(Throwable e, Void v) {
                writing.set(false);
                failed.accept(e);                     // a reset, or our own close
            }
        };
        try {
            channel.write(netOut, null, written);
        } catch (RuntimeException e) {
            written.failed(e, null);                  // the group shutting down: through the handler, as the rest
        }
    }
}
