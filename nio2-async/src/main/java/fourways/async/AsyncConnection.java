package fourways.async;

import fourways.protocol.Closing;
import fourways.protocol.Connection;
import fourways.protocol.ElasticBuffer;
import fourways.protocol.ServerConfig;
import fourways.protocol.Services;
import fourways.protocol.Session;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousByteChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One client of the NIO2 server: C#'s {@code StateObject}, the state every callback gets back
 * as its attachment, as C#'s get it from {@code ar.AsyncState}. It costs no thread while it
 * waits, but its read buffer is committed for as long as a read is pending, which is always:
 * so a quiet connection's pending read holds a floor of 128 bytes, and only a read that filled
 * it gets a bigger one, borrowed from a pool the connections share and given back after a read
 * the floor could have held (protocol's {@code ElasticBuffer}; the Loom C5M experiment read 16).
 *
 * <p>Threads: at most one read is pending, so the read side ({@code session}, {@code reads}, {@code buffer})
 * is used by one group thread at a time, each completion happening after the read that
 * started it. The write side is {@link AsyncWriter}'s, under its lock. {@code lastActivity}
 * is written by both sides and read by the timer thread; {@code closed} by any thread;
 * {@code handshaken} by the read side, read by the timer's handshake deadline.
 */
final class AsyncConnection implements Connection {
    /** The most one read takes, during a burst only: C#'s StateObject held 1,024 bytes for good. */
    private static final int BUFFER_SIZE = 4 * 1024;
    private static final long CLOSE_NOTIFY_MILLIS = 1_000;   // a TLS close's wait for its close_notify

    private final AsynchronousSocketChannel socket;
    /** What bytes go through: the socket, or over TLS (rule 21) {@link #tls}, the engine in front of it. */
    private final AsynchronousByteChannel channel;
    private final AsyncTls tls;                       // null over TCP
    private final InetSocketAddress remote;
    private final ScheduledExecutorService timer;
    private final long idleNanos;
    /** Rule 25: from accept to the handshake's end, whatever bytes arrive meanwhile. */
    private final long handshakeNanos;
    private final Consumer<AsyncConnection> onClosed;
    /** What the pending read fills: the floor while quiet, more for a burst (issue 25). */
    private final ElasticBuffer reads =
            new ElasticBuffer(ElasticBuffer.READ_FLOOR, BUFFER_SIZE, ElasticBuffer.Pool.of(BUFFER_SIZE));
    private ByteBuffer buffer;                        // StateObject.buffer: a view of reads' array
    private final AsyncWriter writer;
    private final Session session;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Rules 4 and 7: the last reply is out; reads only drop what comes. Set before that read begins. */
    private boolean lingering;
    private volatile long lastActivity = System.nanoTime();
    private volatile ScheduledFuture<?> deadline;
    /** Rule 25's deadline, apart from the idle one: {@link #after} replaces that one, never this. */
    private volatile ScheduledFuture<?> handshakeDeadline;
    private volatile boolean handshaken;

    AsyncConnection(AsynchronousSocketChannel socket, ServerConfig config, Services services,
                    ScheduledExecutorService timer, Executor tlsTasks, Consumer<AsyncConnection> onClosed) throws IOException {
        this.socket = socket;
        this.remote = (InetSocketAddress) socket.getRemoteAddress();
        this.timer = timer;
        this.idleNanos = config.idleTimeout().toNanos();
        this.handshakeNanos = config.tlsEnabled() ? config.tls().handshakeTimeout().toNanos() : 0;
        this.onClosed = onClosed;
        // SslStream(networkStream): the same reads and writes, through the engine. TCP pays nothing for it.
        // The handshake comes with the first read; replies and chat frames wait for its end.
        this.tls = config.tlsEnabled() ? new AsyncTls(socket, config.tls().newEngine(), tlsTasks, this::handshaken, this::writeOwnOutput) : null;
        this.channel = tls != null ? tls : socket;
        this.writer = new AsyncWriter(socket, tls, this, config.maxBacklog());
        this.session = services.open(this);
    }

    /**
     * Over TLS the first read begins with the handshake, and rule 25's deadline runs from here;
     * the idle clock too: a handshake's bytes are not activity (only its end is).
     */
    void start() {
        if (idleNanos > 0) after(idleNanos, this::checkIdle);
        if (tls != null) {
            try {
                handshakeDeadline = timer.schedule(this::handshakeTimedOut, handshakeNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                close();                              // the server is closing: so are we
                return;
            }
        }
        buffer = reads.view();                        // the first read's floor: nothing before it
        read();
    }

    /** The handshake is done: activity (rule 13), and the writer may send what waited for it. */
    private void handshaken() {
        handshaken = true;
        ScheduledFuture<?> d = handshakeDeadline;
        if (d != null) d.cancel(false);               // else the timer would hold us until it fires
        touch();
        writer.handshakeDone();
    }

    /** Rule 25, on the timer thread: however its bytes dribble, an unfinished handshake ends here. */
    private void handshakeTimedOut() {
        if (!handshaken) close();
    }

    /** Rule 24: the engine's own output (a KeyUpdate's answer) written like a reply, then the read goes on. */
    private void writeOwnOutput(Runnable resumeRead) {
        writer.writeOwnOutput(resumeRead);
    }

    /** BeginReceive(state.buffer, 0, BufferSize, 0, ReadCallback, state): the state rides along. */
    // tag::read[]
    void read() {
        channel.read(buffer, this, READ);
    }

    /** ReadCallback: one handler for all connections, the connection itself its attachment. */
    private static final CompletionHandler<Integer, AsyncConnection> READ = new CompletionHandler<>() {
        /** Where C# calls {@code handler.EndReceive(ar)} and gets the count of bytes read. */
        @Override
        public void completed(Integer n, AsyncConnection c) {
            try {
                c.onRead(n);
            } catch (RuntimeException e) {
                // An exception thrown from completed() is only printed by the group, which replaces
                // the thread; the connection would wait forever with no read pending. Close it.
                c.close();
            }
        }

        /** Where C# would catch the exception from EndReceive: a reset, or our own close. */
        @Override
        public void failed(Throwable e, AsyncConnection c) {
            c.close();                                // rule 15: a broken connection costs itself only
        }
    };
    // end::read[]

    /** The event flow of one read: decode, reply, write, and read again or close. */
    // tag::on-read[]
    private void onRead(int n) {
        if (n < 0) {
            // A read of -1: the client shut down its output. Rule 6: all owed, then close; a
            // partial frame left in the decoder is dropped, simply by never feeding it again.
            // Lingering (rule 7), nothing is owed: the client has closed, and so do we.
            writer.whenDrained(this::close);
            return;
        }
        touch();
        if (lingering) {
            buffer.clear();                           // rule 7: dropped, but read, or the kernel
            read();                                   // would answer the client's bytes with a reset
            return;
        }
        buffer.flip();
        Session.Next next = session.onBytes(buffer);  // replies arrive in reply(); nothing is sent yet
        reads.afterRead(n, BUFFER_SIZE);              // full: a burst, read on with room; small: the floor
        buffer = reads.view();
        writer.flush();                               // one gathering write for every reply of this read
        switch (next) {
            case READ_MORE -> {
                // Rule 11: at the backlog limit, no read is armed; the write that drains it arms one.
                if (!writer.pauseReadingIfFull()) read();
            }
            case FLUSH_AND_CLOSE -> writer.whenDrained(this::close);
            case FLUSH_AND_LINGER -> writer.whenDrained(this::linger); // rules 4 and 7: the error frame or reply goes last
        }
    }
    // end::on-read[]

    /** Rule 5 (and rule 4's error frame): queued now, written by the flush after the read. */
    @Override
    public void reply(ByteBuffer bytes) {
        writer.add(bytes);
    }

    /** Rule 12: from another connection's handler thread; never waits, answers the backlog question. */
    @Override
    public boolean deliver(ByteBuffer frame) {
        return writer.offer(frame);
    }

    /** Rules 4 and 7: all is out; shut down output, then read and drop until the client closes or 2 s. */
    private void linger() {
        if (tls != null) {
            tls.closeOutput(this::lingerAfterFin, this::close);   // close_notify, then FIN (rule 24)
            return;
        }
        try {
            socket.shutdownOutput();                  // the client sees a clean end of the reply
        } catch (IOException e) {
            close();                                  // the client is gone already: nothing to linger for
            return;
        }
        lingerAfterFin();
    }

    private void lingerAfterFin() {
        after(TimeUnit.MILLISECONDS.toNanos(Session.ONE_SHOT_LINGER_MILLIS), this::close);
        lingering = true;                             // before the read: its completion sees it
        read();
    }

    /**
     * Rule 13, on the timer thread: idle only if no byte moved either way for the whole period.
     * A read with a timeout could not tell a listener that is only being written to from an
     * idle one, and cannot read again once it has timed out (see {@link AsyncServer}).
     */
    // tag::check-idle[]
    private void checkIdle() {
        if (closed.get()) return;
        long quiet = System.nanoTime() - lastActivity;
        if (quiet >= idleNanos) {
            close();                                  // idle, or a write stalled with nothing read
        } else {
            after(idleNanos - quiet, this::checkIdle);  // active since: look again when it could expire
        }
    }
    // end::check-idle[]

    void touch() {
        lastActivity = System.nanoTime();
    }

    /** One deadline at a time: the idle check, or the linger's end, which replaces it. */
    private void after(long nanos, Runnable task) {
        if (closed.get()) return;
        try {
            ScheduledFuture<?> previous = deadline;
            deadline = timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
            if (previous != null) previous.cancel(false);   // else it would hold us until it fires
        } catch (RejectedExecutionException e) {
            close();                                  // the server is closing: so are we
        }
    }

    /** Closes the socket; the pending read and write then fail, and find us closed. Idempotent. */
    void close() {
        if (!closed.compareAndSet(false, true)) return;
        ScheduledFuture<?> d = deadline, h = handshakeDeadline;
        if (d != null) d.cancel(false);
        if (h != null) h.cancel(false);
        closeSocket();
        writer.clear();
        session.onClosed();                           // chat: no more frames for us
        onClosed.accept(this);
    }

    /**
     * Over TLS (rules 6 and 24) close_notify first, so the client can tell the end of the replies
     * from a cut; a second at most, for a client that takes nothing. Then the socket, always.
     */
    private void closeSocket() {
        if (tls == null) {
            Closing.quietly(socket);
            return;
        }
        Runnable closeNow = () -> Closing.quietly(socket);
        ScheduledFuture<?> giveUp;
        try {
            giveUp = timer.schedule(closeNow, CLOSE_NOTIFY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            closeNow.run();                           // the server is closing: no time for courtesy
            return;
        }
        // Cancelled once close_notify is out: a pending timer would keep this connection, its
        // engine and buffers reachable for the whole second (issue 22, item 7).
        Runnable done = () -> {
            giveUp.cancel(false);
            closeNow.run();
        };
        tls.closeOutput(done, done);
    }

    @Override
    public void abort() {
        close();
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }
}
