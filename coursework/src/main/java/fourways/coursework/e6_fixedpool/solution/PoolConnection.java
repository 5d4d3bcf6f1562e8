package fourways.coursework.e6_fixedpool.solution;

import fourways.coursework.e6_fixedpool.SerialExecutor;
import fourways.protocol.Closing;
import fourways.protocol.Connection;
import fourways.protocol.OutboundQueue;
import fourways.protocol.Session;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection of the fixed-pool model: nio-selector's connection, with its work run in its
 * own {@link SerialExecutor} turn on the pool instead of on the loop; it costs a few hundred
 * bytes, its queue, and no thread.
 *
 * <p>Threads: every field is owned by the connection's turn (one worker at a time), except
 * {@code inbox}, {@code unsent} and {@code drainScheduled}, which chat senders on any worker
 * change, and {@code lastActivity} and {@code closed}, which the timer and senders read.
 */
final class PoolConnection implements Connection {
    /** OPEN: serving. DRAINING: write what is owed, then close. LINGERING: rules 4 and 7, after the last reply. */
    private enum State { OPEN, DRAINING, LINGERING }

    private final PoolServer server;
    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private final SerialExecutor turn;
    private final long maxBacklog;
    private final OutboundQueue outbound;
    private final ConcurrentLinkedQueue<ByteBuffer> inbox = new ConcurrentLinkedQueue<>();
    /** Rule 10: bytes held for this connection, inbox and outbound queue together. */
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final SelectionKey key;
    private final Session session;
    private State state = State.OPEN;
    private boolean outputShut;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean closed;

    /** On the selector thread: registers for reads, joins the services (chat's room). */
    PoolConnection(PoolServer server, SocketChannel channel) throws IOException {
        this.server = server;
        this.channel = channel;
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.turn = new SerialExecutor(server.workers);
        this.maxBacklog = server.config.maxBacklog();
        this.outbound = new OutboundQueue(maxBacklog);
        this.key = channel.register(server.selector, SelectionKey.OP_READ, this);
        this.session = server.services.open(this);
    }

    /** The selector thread saw {@code readyOps} and emptied the key's interest: now our turn does the work. */
    void ready(int readyOps) {
        try {
            turn.execute(() -> onReady(readyOps));
        } catch (RejectedExecutionException closing) {
            closeChannel();                           // the server is closing: so are we
        }
    }

    private void onReady(int readyOps) {
        if (closed) return;
        try {
            if ((readyOps & SelectionKey.OP_READ) != 0) read();
            if (!closed) write();                     // writes what it can, and sets the interest again
        } catch (IOException e) {
            close();                                  // rule 15: a reset or a broken pipe, this connection only
        }
    }

    private void read() throws IOException {
        if (state == State.DRAINING) return;
        ByteBuffer buffer = server.readBuffer.get();   // this worker's: the session takes all of it now
        buffer.clear();
        int n = channel.read(buffer);
        if (n < 0) {
            endOfInput();
            return;
        }
        if (n == 0) return;
        // Rules 4 and 7: read and dropped, and no sign of life (rule 13): a client that streams
        // and never reads its reply must not keep the connection open.
        if (state == State.LINGERING) return;
        touch();
        Session.Next next = session.onBytes(buffer.flip());
        if (next == Session.Next.FLUSH_AND_CLOSE) state = State.DRAINING;
        else if (next == Session.Next.FLUSH_AND_LINGER) state = State.LINGERING; // rules 4 and 7
    }

    private void endOfInput() {
        if (state == State.LINGERING && outputShut) {
            close();                                  // rule 7: the client closed after our reply
            return;
        }
        state = State.DRAINING;                       // rule 6: what is owed, then close; a partial frame is dropped
    }

    /** Rule 5 (and rule 4's error frame), from the session in this connection's turn. */
    @Override
    public void reply(ByteBuffer bytes) {
        unsent.addAndGet(bytes.remaining());
        outbound.append(bytes);                       // copied (the caller reuses its buffer), written at the end of this turn's task
    }

    /** Rule 12, from any worker: one atomic counter answers the backlog question. */
    @Override
    public boolean deliver(ByteBuffer frame) {
        if (closed) return true;                      // leaving anyway: drop it quietly
        long n = frame.remaining();
        long held;
        do {
            held = unsent.get();
            if (held + n > maxBacklog) return false;  // rule 12: the room then aborts us
        } while (!unsent.compareAndSet(held, held + n));
        inbox.add(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                turn.execute(this::drainInbox);       // one drain at a time, however many frames arrive
            } catch (RejectedExecutionException closing) {
                closeChannel();
            }
        }
        return true;
    }

    private void drainInbox() {
        drainScheduled.set(false);                    // first: a frame added after this schedules anew
        for (ByteBuffer frame; (frame = inbox.poll()) != null; ) {
            if (closed || state != State.OPEN) unsent.addAndGet(-frame.remaining());   // leaving: owed replies only
            else outbound.add(frame);
        }
        if (closed) return;
        try {
            write();
        } catch (IOException e) {
            close();
        }
    }

    /** Writes what the socket takes (a partial write keeps the rest), then says what we wait for. */
    private void write() throws IOException {
        long n = outbound.writeTo(channel);
        if (n > 0) {
            unsent.addAndGet(-n);
            touch();
        }
        if (outbound.isEmpty() && state == State.DRAINING) {
            close();                                  // rules 4 and 6: all that was owed is out
            return;
        }
        if (outbound.isEmpty() && state == State.LINGERING && !outputShut) {
            channel.shutdownOutput();                 // rule 7: FIN after the reply; read and drop until
            outputShut = true;                        // the client closes, or 2 s pass
            try {
                server.timer.schedule(this::abort, Session.ONE_SHOT_LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                close();                              // the server is closing: no linger, close it now
                return;
            }
        }
        updateInterest();
    }

    // tag::interest[]
    /**
     * The selector emptied the interest set when it handed us this event; only our turn sets it
     * again, from our state. The selector is asleep in select() with the old set, so wake it.
     */
    private void updateInterest() {
        // Rule 11: at the limit, stop reading. DRAINING never reads: a socket at end of input is
        // readable forever. OP_WRITE only while bytes wait (exercise 2).
        boolean reading = state == State.LINGERING || (state == State.OPEN && !outbound.atLimit());
        int ops = (reading ? SelectionKey.OP_READ : 0) | (outbound.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        try {
            if (key.interestOps() != ops) {
                key.interestOps(ops);
                server.selector.wakeup();
            }
        } catch (CancelledKeyException e) {
            close();                                  // closed under us
        }
    }
    // end::interest[]

    /** In this connection's turn; idempotent. */
    private void close() {
        if (closed) return;
        closed = true;
        closeChannel();
        outbound.clear();
        inbox.clear();
        session.onClosed();                           // chat: no longer a member
        server.connections.remove(this);
    }

    /**
     * Closes the socket. Its key is cancelled, and the descriptor is released at the selector's
     * next select: wake it, or an idle selector would hold the descriptor open.
     */
    void closeChannel() {
        Closing.quietly(channel);
        server.selector.wakeup();
    }

    /** Any thread: the close runs in our turn, which owns the queue and the session. */
    @Override
    public void abort() {
        try {
            turn.execute(this::close);
        } catch (RejectedExecutionException closing) {
            closeChannel();                           // the pool is gone: the server's close finishes us
        }
    }

    void touch() {
        lastActivity = System.nanoTime();
    }

    long lastActivityNanos() {
        return lastActivity;
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }
}
