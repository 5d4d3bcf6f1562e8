package fourways.async;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousByteChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
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
 * <p>It is a channel in front of the channel, as C#'s SslStream is a Stream in front of the
 * NetworkStream: a connection's reads and writes are the same calls over TLS as over TCP.
 * Threads: one read at a time uses {@link AsyncTlsInput}, one write at a time {@link AsyncTlsOutput},
 * as the engine allows. A handler may be called before the method that began it returns. A
 * delegated task runs on the tasks' pool; what follows it runs on the group's threads again.
 */
final class AsyncTls implements AsynchronousByteChannel {
    private final AsynchronousSocketChannel channel;
    private final SSLEngine engine;
    private final Executor tasks;
    /** Records in, and their plaintext: one read at a time. */
    private final AsyncTlsInput input;
    /** Records out, one write at a time: the handshake's, alerts, close_notify and the replies. */
    private final AsyncTlsOutput output;
    private final Runnable onHandshaken;
    /**
     * Rule 24: what the engine has to say on its own (a KeyUpdate's answer) goes out through
     * the connection's writer, which owns the write side, and the read goes on only once it is
     * written. Null (the clients): it waits for the next write, which wraps it first.
     */
    private final Consumer<Runnable> ownOutput;
    /** Read side only, like the input: set by the handshake's last step, read by the next read. */
    private boolean handshaken;
    /** Room for nothing: a read into it completes at once (see {@link #runTasks}). */
    private static final ByteBuffer NO_ROOM = ByteBuffer.allocate(0);

    /**
     * @param tasks where delegated tasks run: never the channel group, this model's event loop
     * @param onHandshaken run once the handshake is done, before its completion handler
     */
    AsyncTls(AsynchronousSocketChannel channel, SSLEngine engine, Executor tasks, Runnable onHandshaken) {
        this(channel, engine, tasks, onHandshaken, null);
    }

    /** @param ownOutput writes the engine's own output, then runs the read's continuation it is given */
    AsyncTls(AsynchronousSocketChannel channel, SSLEngine engine, Executor tasks, Runnable onHandshaken,
             Consumer<Runnable> ownOutput) {
        this.channel = channel;
        this.ownOutput = ownOutput;
        this.engine = engine;
        this.tasks = tasks;
        this.onHandshaken = onHandshaken;
        this.input = new AsyncTlsInput(channel, engine);
        this.output = new AsyncTlsOutput(channel, engine);
    }

    /** BeginAuthenticateAsServer (or AsClient): completes when the engine has nothing left to say or hear. */
    <A> void handshake(A att, CompletionHandler<Void, ? super A> done) {
        begin(() -> done.completed(null, att), e -> done.failed(e, att));
    }

    // tag::tls-handshake[]
    private void begin(Runnable then, Consumer<Throwable> failed) {
        try {
            engine.beginHandshake();                  // a fresh engine says NOT_HANDSHAKING: we would "finish" at once
        } catch (SSLException e) {
            failed.accept(e);
            return;
        }
        step(then, failed);
    }

    private void step(Runnable then, Consumer<Throwable> failed) {
        try {
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK -> {
                        runTasks(() -> step(then, failed), failed);  // off the group's threads, then back
                        return;
                    }
                    case NEED_WRAP -> {
                        // A write, and the next step only from its completion: never a spin, never two
                        // writes. A delegated task's failure surfaces here: its alert goes out, then we fail.
                        output.send(AsyncTlsOutput.NOTHING, none -> step(then, failed), e -> output.alertThen(() -> failed.accept(e)));
                        return;
                    }
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        SSLEngineResult r = input.unwrap();
                        if (r.getStatus() == Status.BUFFER_OVERFLOW) input.makeRoom();   // early plaintext: kept for the first read
                        if (r.getStatus() == Status.CLOSED) throw new SSLHandshakeException("TLS handshake failed: the peer closed it");
                        if (r.getStatus() == Status.BUFFER_UNDERFLOW) {
                            // Nothing buffered, or half a record: start a read (not another unwrap), keeping the half.
                            input.fill(n -> {
                                if (n < 0) failed.accept(new SSLHandshakeException("TLS handshake failed: the peer closed the connection"));
                                else step(then, failed);
                            }, failed);
                            return;
                        }
                    }
                    default -> {
                        // NOT_HANDSHAKING (FINISHED is only ever a result's). Records that came with the
                        // last handshake message wait in the input, or were unwrapped: the first read gets them.
                        handshaken = true;
                        onHandshaken.run();
                        then.run();
                        return;
                    }
                }
            }
        } catch (SSLException | RuntimeException e) {
            output.alertThen(() -> failed.accept(e));
        }
    }
    /**
     * NEED_TASK: the engine's slow work (key agreement, signatures, certificate checks) off the
     * group's threads, then back to them: what follows may be a read handler, and sink's write to
     * a stalled stdout there would hold a task thread, every connection's handshake with it.
     */
    private void runTasks(Runnable then, Consumer<Throwable> failed) {
        try {
            tasks.execute(new OldestRefused.Refusable() {
                @Override
                public void run() {
                    if (!channel.isOpen()) {
                        failed.accept(new ClosedChannelException());   // closed while it waited (a deadline): skip the work
                        return;
                    }
                    for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                        task.run();
                    }
                    backToTheGroup(then, failed);
                }

                @Override
                public void refuse() {
                    failed.accept(new RejectedExecutionException("TLS handshake refused: too many waiting"));
                }
            });
        } catch (RejectedExecutionException e) {
            failed.accept(e);                         // the server is closing: this connection with it
        }
    }

    /**
     * A read of nothing completes at once, and its handler runs on a group thread, as every
     * handler of a channel in a group does: the way back, with no executor of its own.
     */
    private void backToTheGroup(Runnable then, Consumer<Throwable> failed) {
        channel.read(NO_ROOM, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void v) {
                output.resumeParked();                // a reply that waited for the task first
                then.run();
            }

            @Override
            public void failed(Throwable e, Void v) {
                failed.accept(e);                     // closed meanwhile
            }
        });
    }
    // end::tls-handshake[]

    /** BeginRead: plaintext into {@code dst}, as much as is ready; -1 at the peer's close_notify or FIN. */
    // tag::tls-unwrap[]
    @Override
    public <A> void read(ByteBuffer dst, A att, CompletionHandler<Integer, ? super A> h) {
        if (!handshaken) {
            // A server's connection: its first read begins with the handshake, as an SSLSocket's
            // does (BeginAuthenticateAsServer, then BeginRead). A failure closes it (rule 26).
            begin(() -> read(dst, att, h), e -> h.failed(e, att));
            return;
        }
        try {
            while (!input.hasPlaintext()) {           // plaintext left from an earlier read goes first
                SSLEngineResult r = input.unwrapAll();
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                    runTasks(() -> read(dst, att, h), e -> h.failed(e, att));   // a post-handshake message; the read goes on after it
                    return;
                }
                if (r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && ownOutput != null) {
                    ownOutput.accept(() -> read(dst, att, h));   // rule 24: its answer out first, as a reply (rules 10, 11)
                    return;
                }
                if (input.hasPlaintext()) break;      // what stopped the unwrapping waits for the next read
                if (r.getStatus() == Status.CLOSED) {
                    h.completed(-1, att);             // the peer's close_notify is end of input (rule 6)
                    return;
                }
                if (r.getStatus() == Status.BUFFER_OVERFLOW) {
                    input.makeRoom();                 // a record bigger than the plaintext buffer: grow it, never an error
                } else if (r.getStatus() == Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0) {
                    // Half a record, or none: read more, appended to the half held. Not an error.
                    input.fill(n -> {
                        if (n < 0) h.completed(-1, att);    // FIN: end of input, as over TCP (rule 6)
                        else read(dst, att, h);
                    }, e -> h.failed(e, att));
                    return;
                }
            }
            h.completed(input.deliver(dst), att);
        } catch (SSLException | RuntimeException e) {
            output.alertThen(() -> h.failed(e, att)); // a bad record: the peer gets an alert, we the error
        }
    }
    // end::tls-unwrap[]

    /** BeginWrite: srcs' plaintext as records, all written; completes with the plaintext bytes taken. */
    <A> void write(ByteBuffer[] srcs, A att, CompletionHandler<Long, ? super A> h) {
        output.send(srcs, taken -> h.completed(taken, att), e -> h.failed(e, att));
    }

    /** The same for one buffer: up to a record's worth is taken; the caller writes the rest, as after a partial write. */
    @Override
    public <A> void write(ByteBuffer src, A att, CompletionHandler<Integer, ? super A> h) {
        output.send(new ByteBuffer[] {src}, taken -> h.completed((int) taken, att), e -> h.failed(e, att));
    }

    /** This model never waits on a Future: the handler's forms only. */
    @Override
    public Future<Integer> read(ByteBuffer dst) {
        throw new UnsupportedOperationException("completion handlers only");
    }

    @Override
    public Future<Integer> write(ByteBuffer src) {
        throw new UnsupportedOperationException("completion handlers only");
    }

    /** Rule 24: the engine has something of its own to say (read by the writer while the reader waits). */
    boolean hasOwnOutput() {
        return engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the socket, no close_notify: that is {@link #closeOutput}, when every reply is out. */
    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Rule 24: close_notify, then FIN; once every reply is written. */
    void closeOutput(Runnable then, Runnable failed) {
        output.close(then, failed);
    }
}
