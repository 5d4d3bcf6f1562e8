package fourways.selector;

import fourways.protocol.Closing;
import fourways.protocol.Connection;
import fourways.protocol.OutboundQueue;
import fourways.protocol.Services;
import fourways.protocol.Session;
import fourways.protocol.TlsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection of the selector model: the state kept between readiness events (decoder,
 * outbound queue, chat mailbox), driven by its reactor's loop; the cost is a few hundred bytes
 * per connection, plus what is queued, and no thread.
 *
 * <p>Threads: the reactor's loop thread owns every field, except {@link #inbox},
 * {@link #unsent} and {@link #drainScheduled}, which chat senders on any loop also change, and
 * {@link #closed}, which they read.
 */
final class SelectorConnection implements Connection, Reactor.Handler {
    /** OPEN: serving. DRAINING: write what is owed, then close. LINGERING: rules 4 and 7, after the last reply. */
    private enum State { OPEN, DRAINING, LINGERING }

    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(Session.ONE_SHOT_LINGER_MILLIS);

    private final Reactor reactor;
    private final SocketChannel socket;
    /** Rule 21: the engine between the socket and us; null over plain TCP, which pays nothing for TLS. */
    private final TlsSession tls;
    /** What reads and writes: the socket itself, or over TLS the session that unwraps and wraps its records. */
    private final ByteChannel channel;
    private final InetSocketAddress remote;
    private final long maxBacklog;
    private final OutboundQueue outbound;
    /** Chat frames from other connections, on their way to {@link #outbound}. */
    private final ConcurrentLinkedQueue<ByteBuffer> inbox = new ConcurrentLinkedQueue<>();
    /** Rule 10: bytes held for this connection, inbox and outbound queue together. */
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final SelectionKey key;
    private final Session session;
    private State state = State.OPEN;
    private boolean outputShut;
    private long lastActivity;
    /** Rule 25: closes this connection if its handshake is not done in time; null over TCP, or once done. */
    private Timers.Cancellable handshakeDeadline;
    /** The engine's delegated tasks are running: the engine is theirs, the socket only watched for a reset. */
    private boolean tasksRunning;
    /** Rule 24: the engine's own records waiting (a KeyUpdate's answers), as counted in {@link #unsent}. */
    private long engineHeld;
    private volatile boolean closed;

    /** Accepted: registers for reads on the reactor's selector (loop thread). */
    SelectorConnection(Reactor reactor, SocketChannel socket, Services services, long maxBacklog, TlsServer tls)
            throws IOException {
        this.reactor = reactor;
        this.socket = socket;
        this.tls = tls == null ? null : new TlsSession(socket, tls.newEngine(), null);
        this.channel = this.tls == null ? socket : this.tls;
        this.remote = (InetSocketAddress) socket.getRemoteAddress();
        this.maxBacklog = maxBacklog;
        this.outbound = new OutboundQueue(maxBacklog);
        this.lastActivity = reactor.now();
        this.key = reactor.register(socket, SelectionKey.OP_READ, this);   // TLS too: the client speaks first
        if (tls != null) handshakeDeadline = reactor.deadline(tls.handshakeTimeout().toNanos(), this::handshakeTimedOut);
        this.session = services.open(this);           // chat: a member from now on
    }

    @Override
    public void onReady(SelectionKey key) throws IOException {
        if (tls != null) {
            onTlsReady(key);
            return;
        }
        if (key.isReadable()) read();
        // read() may have closed us, which cancels the key: isWritable() would then throw.
        if (key.isValid() && key.isWritable()) write();
    }

    /**
     * Rule 21: the handshake, one step each time its bytes can move; the twin of SslStream's
     * BeginAuthenticateAsServer, with no thread waiting in it. Rule 25: its bytes are not
     * activity (a ClientHello dribbled a byte a second would otherwise live for ever): the
     * deadline set at accept closes it, and the idle clock runs from accept meanwhile.
     */
    // tag::tls-server-handshake[]
    private void handshake() throws IOException {
        if (!tls.handshake(key, reactor.tlsTasks(), () -> reactor.execute(this::resumeHandshake))) {
            if (key.interestOps() == 0) watchWhileTasksRun();
            return;
        }
        if (handshakeDeadline != null) handshakeDeadline.cancel();   // done in time; and it keeps nothing reachable
        handshakeDeadline = null;
        lastActivity = reactor.now();                 // the idle clock starts again from here
        readAll();                                    // data right behind the last handshake record: no OP_READ for it
        if (key.isValid()) write();                   // chat frames queued meanwhile; sets the interest ops
    }

    /**
     * The tasks wait for a pool thread: meanwhile the socket is watched, so that a client that
     * sent its ClientHello and reset is closed now, and its key exchange skipped (TlsTasks.run),
     * instead of run for nobody.
     */
    private void watchWhileTasksRun() {
        tasksRunning = true;
        key.interestOps(SelectionKey.OP_READ);
    }

    /**
     * Back on the loop once the delegated tasks are done (TlsTasks.run). Rule 13 measures the
     * client's silence: the time our own tasks took (a busy pool, a loaded machine) is not the
     * client's, so the idle clock starts again here, when we wait for it again. No byte moved,
     * and a dribbler gains nothing: tasks come only with whole handshake messages, two or three
     * a handshake, and the deadline of rule 25 still runs from accept.
     */
    private void resumeHandshake() {
        if (closed) return;
        tasksRunning = false;
        lastActivity = reactor.now();
        try {
            handshake();
        } catch (IOException e) {
            close();                                  // rule 26: a failed handshake costs this connection only
        }
    }

    /** Rule 25: the handshake took too long from accept, however steadily its bytes came. */
    private void handshakeTimedOut() {
        if (!tls.established()) close();             // no engine call: its tasks may hold it
    }

    /** Over TLS: the handshake until it is done; then as over TCP, the socket's bytes unwrapped first. */
    private void onTlsReady(SelectionKey key) throws IOException {
        if (tasksRunning) {
            // Bytes are kept for the engine; a FIN (-1) or a reset (IOException, onFailure) closes.
            int n = tls.readAhead();
            if (n < 0) close();
            else if (n == 0) key.interestOps(0);      // no room, or nothing: wait for the tasks instead
            return;
        }
        if (!tls.established()) {
            handshake();
            return;
        }
        if (key.isReadable()) readAll();
        if (key.isValid() && key.isWritable()) write();
        // Reading resumed as the backlog drained (rule 11): records already here get no OP_READ.
        if (key.isValid() && (key.interestOps() & SelectionKey.OP_READ) != 0 && state == State.OPEN
                && tls.hasPendingInput()) {
            readAll();
        }
    }

    /**
     * read(), then again while the session still holds whole records, or the peer's close_notify
     * came with the last of them (rule 24): no OP_READ will announce those. It ends: each read
     * unwraps at least one, and reads the socket only when none is left. It stops at the backlog
     * limit too (rule 11), which the engine's own answers count toward: a KeyUpdate flood.
     */
    private void readAll() throws IOException {
        read();
        while (key.isValid() && state == State.OPEN && tls.established() && !atLimit() && tls.hasPendingInput()) {
            read();
        }
        if (key.isValid() && !tls.established()) handshake();   // a renegotiation: refused there, alert and all
        else if (key.isValid()) write();              // the engine's answers, a read with no data made (KeyUpdates)
    }
    // end::tls-server-handshake[]

    /**
     * Rules 10, 11 and 24: what this connection holds unsent, replies and the engine's own
     * records (KeyUpdate answers) together, has reached the limit: stop reading.
     */
    private boolean atLimit() {
        return outbound.bytes() + (tls == null ? 0 : tls.pendingOutput()) >= maxBacklog;   // live: read() may add to it
    }

    /**
     * Rule 24: the engine's own records go out ahead of any reply, even with no reply owed, and
     * what stays counts in {@link #unsent} like a reply, so that rule 12 sees it too.
     */
    private void flushEngineOutput() throws IOException {
        tls.flush();
        long held = tls.pendingOutput();
        unsent.addAndGet(held - engineHeld);
        engineHeld = held;
    }

    /** Read into the reactor's one buffer and decode it all straight from there. */
    // tag::read[]
    private void read() throws IOException {
        ByteBuffer buffer = reactor.readBuffer();
        buffer.clear();
        reactor.writeBuffer().clear();                // empty already, unless a handler before us threw
        int n = channel.read(buffer);
        if (n < 0) {
            endOfInput();
            return;
        }
        if (n == 0) return;                           // a spurious wake-up: nothing to do
        // Rules 4 and 7: lingering, input is read and dropped, and is no sign of life: a client
        // that streams and never reads its reply must not keep the connection (rule 13).
        if (state != State.OPEN) return;
        lastActivity = reactor.now();
        buffer.flip();
        Session.Next next = session.onBytes(buffer);  // consumes it all: the buffer is free again
        if (next == Session.Next.FLUSH_AND_CLOSE) state = State.DRAINING;
        else if (next == Session.Next.FLUSH_AND_LINGER) state = State.LINGERING; // rules 4 and 7
        // Write now rather than wait for OP_WRITE: the socket is nearly always writable, and
        // every reply this read produced goes out in one write, from the loop's write buffer.
        writeStaged();
        write();
    }
    // end::read[]

    /** A read of -1: the client shut down its output, or closed. */
    // tag::end-of-input[]
    private void endOfInput() throws IOException {
        if (state == State.LINGERING && outputShut) {
            close();                                  // rule 7: the client closed after our reply
            return;
        }
        // Rule 6: send all that is owed, then close. A partial frame is dropped: the decoder is
        // simply not fed again. Reading stops too: a socket at end of input is readable forever.
        state = State.DRAINING;
        write();
    }
    // end::end-of-input[]

    /** Rule 5 (and rule 4's error frame): queued, never refused; the loop thread only. */
    @Override
    // tag::reply[]
    public void reply(ByteBuffer bytes) {
        unsent.addAndGet(bytes.remaining());
        ByteBuffer staged = reactor.writeBuffer();
        if (!outbound.isEmpty() || staged.remaining() < bytes.remaining()) {
            // Behind bytes already queued, or no room left: into the queue, in order.
            keepStaged();
            outbound.append(bytes);
        } else {
            staged.put(bytes);                        // written by read() once decoding is done
        }
    }

    /**
     * After decoding: one write of every reply this read produced, straight from the loop's
     * write buffer. What the socket does not take moves to this connection's queue, since the
     * buffer is the next connection's as soon as this handler returns.
     */
    private void writeStaged() throws IOException {
        ByteBuffer staged = reactor.writeBuffer().flip();
        if (staged.hasRemaining() && outbound.isEmpty()) {
            int n = channel.write(staged);           // a partial write leaves the rest in staged
            unsent.addAndGet(-n);
            if (n > 0) lastActivity = reactor.now();
        }
        outbound.append(staged);                      // what the socket did not take: copied, in order
        staged.clear();
    }

    /** The loop's write buffer, still holding bytes of ours, is emptied into our queue. */
    private void keepStaged() {
        ByteBuffer staged = reactor.writeBuffer().flip();
        outbound.append(staged);                      // copies, and leaves staged empty
        staged.clear();
    }
    // end::reply[]

    /**
     * Rule 12, from any loop: the backlog question is one atomic counter, answered without a
     * lock and without waiting for this connection's loop.
     */
    @Override
    // tag::deliver[]
    public boolean deliver(ByteBuffer frame) {
        if (closed) return true;                      // leaving anyway: drop it quietly
        long n = frame.remaining();
        long held;
        do {
            held = unsent.get();
            if (held + n > maxBacklog) return false;  // rule 12: the room then aborts us
        } while (!unsent.compareAndSet(held, held + n));
        inbox.add(frame);
        // One drain task at a time, however many frames arrive before it runs.
        if (drainScheduled.compareAndSet(false, true)) reactor.execute(this::drainInbox);
        return true;
    }
    // end::deliver[]

    /** On the loop: chat frames move from the mailbox into the queue and are written. */
    private void drainInbox() {
        drainScheduled.set(false);                    // first: a frame added after this schedules anew
        for (ByteBuffer frame; (frame = inbox.poll()) != null; ) {
            if (closed || state != State.OPEN) {
                unsent.addAndGet(-frame.remaining()); // rule 6: leaving; owed replies only
            } else {
                outbound.add(frame);
            }
        }
        if (closed) return;
        try {
            write();
        } catch (IOException e) {
            close();                                  // rule 15: a broken pipe closes this connection
        }
    }

    /** Writes what the socket takes now (a partial write keeps the rest queued), then decides. */
    // tag::write[]
    private void write() throws IOException {
        if (tls != null && !tls.established()) return;   // the handshake owns the interest ops until it is done
        if (tls != null) flushEngineOutput();         // rule 24: a KeyUpdate's answers are owed output too
        long n = outbound.writeTo(tls == null ? socket : tls);
        if (n > 0) {
            unsent.addAndGet(-n);
            lastActivity = reactor.now();
        }
        // Rule 24: over TLS, close_notify goes after the last reply, before the FIN or the close.
        boolean allOut = outbound.isEmpty() && (tls == null || state == State.OPEN || tls.closeOutbound());
        if (allOut && state == State.DRAINING) {
            close();                                  // rules 4 and 6: everything owed is out
            return;
        }
        if (allOut && state == State.LINGERING && !outputShut) {
            // Rules 4 and 7: the error frame or the reply is out. FIN now; keep reading and dropping input so the kernel
            // does not answer the client's late bytes with a reset, until it closes or 2 s pass:
            // a timer on this loop, not a thread.
            socket.shutdownOutput();
            outputShut = true;
            reactor.after(LINGER_NANOS, this::close);
        }
        updateInterest();
    }
    // end::write[]

    /** The one place that says what this connection waits for. */
    // tag::interest[]
    private void updateInterest() {
        // Rule 11: with the queue at the limit (over TLS, the engine's own records count too:
        // rule 24), stop reading; TCP then holds the client back, and the next write that
        // drains the queue below the limit resumes reading. DRAINING
        // never reads: after a read of -1 the socket stays readable, and would spin the loop.
        boolean reading = state == State.LINGERING || (state == State.OPEN && !atLimit());
        // OP_WRITE only while bytes are queued: an idle socket is always writable, so an
        // OP_WRITE left registered wakes select() at once, every turn: 100% CPU doing nothing.
        // Over TLS, records wrapped and not yet written wait too (the last of a reply, a close_notify).
        boolean writing = !outbound.isEmpty() || (tls != null && tls.hasPendingOutput());
        int ops = (reading ? SelectionKey.OP_READ : 0) | (writing ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) key.interestOps(ops);   // each change costs an epoll_ctl
    }
    // end::interest[]

    /** Reactor.dispatch caught an exception from read or write (rule 15): close this connection. */
    @Override
    public void onFailure(Exception e) {
        close();
    }

    /** Closes now, dropping what is queued; the loop thread only, idempotent. */
    void close() {
        if (closed) return;
        closed = true;
        Closing.quietly(socket);          // also cancels the key, and skips the TLS tasks still queued
        if (handshakeDeadline != null) handshakeDeadline.cancel();   // the timer must not keep us reachable
        outbound.clear();
        inbox.clear();
        session.onClosed();                           // chat: no longer a member
    }

    /** Any thread: the close runs on the loop, which owns the queue and the session. */
    @Override
    public void abort() {
        reactor.execute(this::close);
    }

    long lastActivityNanos() {
        return lastActivity;
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }
}
