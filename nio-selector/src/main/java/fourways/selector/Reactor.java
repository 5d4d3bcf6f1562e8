package fourways.selector;

import fourways.protocol.Closing;
import fourways.protocol.ServerConfig;
import fourways.protocol.Services;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One reactor of the selector model: a single thread waits in {@link Selector#select} for all
 * the connections it owns and runs each one's read, decode, reply and write in turn; the cost
 * is that anything slow in one handler delays every other connection of this loop.
 *
 * <p>Threads: the loop thread owns every field, except {@link #tasks}, the mailbox that any
 * thread adds to and the loop empties, and {@link #closing} (set by the server's close()).
 * The other threads' only call on the selector itself is {@code wakeup()}.
 */
final class Reactor implements Runnable {
    /** What a key's attachment does when the key is ready. Runs on the loop thread. */
    interface Handler {
        void onReady(SelectionKey key) throws IOException;

        /** onReady threw: close or pause what this handler owns; the loop itself carries on. */
        void onFailure(Exception e);
    }

    /** One read buffer per loop, not per connection: 32 KiB whether 1 or 10,000 are connected. */
    private static final int READ_BUFFER = 32 * 1024;
    /** Tasks run per turn, so a flood of chat deliveries cannot starve this loop's own I/O. */
    private static final int TASKS_PER_TURN = 1_024;

    private final Selector selector;
    private final ServerConfig config;
    private final Services services;
    private final Thread thread;
    /**
     * Heap, not direct, though the JDK then reads into its own cached direct buffer and copies:
     * the decoder looks at every byte, and a heap array is what the JIT reads fastest, where
     * each get() and slice() of a direct buffer pays for bounds and lifetime checks (a profile
     * showed the slices alone outweighing that one copy).
     */
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER);
    /**
     * One write buffer per loop too: a handler's replies are copied here and written at once,
     * one buffer and one system call for all of them, and nothing is allocated per reply.
     * Direct, since the JDK would otherwise copy a heap buffer into a direct one to write it;
     * what the socket does not take moves to that connection's own queue. (Against a queue of
     * one heap buffer per reply: 0.60 to 0.47 us of server CPU a message, see the README.)
     */
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(READ_BUFFER);
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /**
     * Over TLS, the threads that run the handshakes' delegated tasks (signatures, certificate
     * checks), which must never run on this loop; none while idle, and ended with the loop.
     * Bounded: a handshake that finds it full is refused (rule 26), never waited for.
     */
    private final ExecutorService tlsTasks;
    private final Timers timers = new Timers();
    private volatile boolean closing;
    /** The loop's clock, read once per turn: cheaper than a clock call per read or write. */
    private long now = System.nanoTime();

    Reactor(String name, ServerConfig config, Services services) throws IOException {
        this.selector = Selector.open();
        this.config = config;
        this.services = services;
        this.thread = Thread.ofPlatform().name(name).unstarted(this);
        this.tlsTasks = config.tlsEnabled() ? TlsTasks.pool(name + "-tls-task-", TlsTasks.SERVER_QUEUE) : null;
    }

    // tag::loop[]
    /** The loop: timers, select, handle what is ready, then the mailbox. */
    @Override
    public void run() {
        if (config.idleTimeoutEnabled()) {
            after(sweepPeriod(), this::sweepIdle);
        }
        try {
            while (!closing) {
                now = System.nanoTime();
                long wait = timers.runDue(now);
                if (!tasks.isEmpty()) {
                    selector.selectNow();             // mail is waiting: look at the sockets, do not sleep
                } else if (wait < 0) {
                    selector.select();                // no timer: sleep until a socket or wakeup()
                } else {                              // select(0) means "forever": round up, never down to 0
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999)));
                }
                now = System.nanoTime();
                Set<SelectionKey> ready = selector.selectedKeys();
                ready.forEach(this::dispatch);
                // The selector only ever adds to this set: a key left in it would be handled
                // again on the next turn although it is no longer ready.
                ready.clear();
                runTasks();
            }
        } catch (IOException e) {
            // The selector itself failed, not one connection: this loop cannot go on. Its
            // connections are closed below; the server's close() still joins this thread.
        } finally {
            closeAll();
        }
    }
    // end::loop[]

    // tag::dispatch[]
    private void dispatch(SelectionKey key) {
        // A key cancelled after select picked it stays in the ready set, and readyOps() on a
        // cancelled key throws CancelledKeyException: check first.
        if (!key.isValid()) return;
        Handler handler = (Handler) key.attachment();
        try {
            handler.onReady(key);
        } catch (IOException | RuntimeException e) {
            // Rule 15: a reset or a broken pipe costs that connection, never the loop that
            // serves all the others. A RuntimeException is a bug; it is reported, and contained.
            if (e instanceof RuntimeException) e.printStackTrace();
            handler.onFailure(e);
        }
    }
    // end::dispatch[]

    /** The acceptor hands over an accepted channel (any thread); the loop registers it. */
    void adopt(SocketChannel channel) {
        execute(new Adoption(channel));
    }

    /** Registering on the loop thread: the selector's key set is the loop's, like all else here. */
    private final class Adoption implements Runnable {
        private final SocketChannel channel;

        Adoption(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void run() {
            try {
                new SelectorConnection(Reactor.this, channel, services, config.maxBacklog(), config.tls());
            } catch (IOException e) {
                Closing.quietly(channel);  // reset before we registered it: close it
            }
        }
    }

    /** Runs {@code task} on the loop thread, soon. Any thread. */
    void execute(Runnable task) {
        tasks.add(task);
        wake();
    }

    // tag::wake[]
    private void wake() {
        // From the loop itself no wakeup is needed: it looks at its queues before it selects.
        // From elsewhere, wakeup() also covers the race where the loop has checked the queues
        // and not yet entered select(): that next select() then returns at once.
        if (Thread.currentThread() != thread) selector.wakeup();
    }
    // end::wake[]

    private void runTasks() {
        Runnable task;
        for (int i = 0; i < TASKS_PER_TURN && (task = tasks.poll()) != null; i++) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                contain(e);
                if (task instanceof Adoption a) Closing.quietly(a.channel);   // the connection it concerned
            }
        }
    }

    /** Runs {@code task} on the loop after {@code delayNanos}: a timer, not a thread. Loop thread only. */
    void after(long delayNanos, Runnable task) {
        timers.add(now + delayNanos, contained(task));
    }

    /** As {@link #after}, for a deadline that is usually called off (rule 25's handshake deadline). */
    Timers.Cancellable deadline(long delayNanos, Runnable task) {
        return timers.addCancellable(now + delayNanos, contained(task));
    }

    private Runnable contained(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                contain(e);
            }
        };
    }

    /**
     * A task or a timer threw: a bug, or an Error such as running out of memory for one
     * connection's buffer. Reported, and the loop carries on: letting it escape would end this
     * thread, and with it every connection of this loop (and, on reactor 0, all accepting),
     * while the process kept running and looking healthy.
     */
    private void contain(Throwable e) {
        System.err.println(thread.getName() + ": a task failed; the loop carries on: " + e);
        e.printStackTrace();
    }

    /**
     * Rule 13 without a thread or a timer per connection: every period one pass over this
     * loop's connections compares two longs each. Ten thousand connections cost microseconds
     * a second, less than re-arming a timer on every read and write would.
     */
    // tag::sweep-idle[]
    private void sweepIdle() {
        long timeout = config.idleTimeout().toNanos();
        // Closing cancels a key, and keys leave this set only in the next select: iterating is safe.
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof SelectorConnection c && now - c.lastActivityNanos() > timeout) {
                c.close();                            // rule 13: idle, even with replies still owed
            }
        }
        after(sweepPeriod(), this::sweepIdle);
    }
    // end::sweep-idle[]

    private long sweepPeriod() {
        return Math.clamp(config.idleTimeout().toNanos() / 4, TimeUnit.MILLISECONDS.toNanos(10),
                TimeUnit.SECONDS.toNanos(1));
    }

    /** The loop is ending (or never started): close every connection, then the selector. */
    void closeAll() {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof SelectorConnection c) c.close();
        }
        // A channel closed while registered keeps its descriptor until its key is deregistered:
        // closing the selector does that for all of them, so no descriptor outlives the loop.
        Closing.quietly(selector);
        if (tlsTasks != null) tlsTasks.shutdownNow();   // rule 14: its threads end too
    }

    SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws ClosedChannelException {
        return channel.register(selector, ops, handler);
    }

    ByteBuffer readBuffer() {
        return readBuffer;   // the loop's one read buffer: Session.onBytes consumes it all (rule 3)
    }

    ByteBuffer writeBuffer() {
        return writeBuffer;   // the loop's one write buffer: empty whenever a handler starts
    }

    ExecutorService tlsTasks() {
        return tlsTasks;
    }

    long now() {
        return now;
    }

    void start() {
        thread.start();
    }

    /** Asks the loop to end; any thread. wakeup() makes a select in progress, or the next one, return. */
    void shutdown() {
        closing = true;
        selector.wakeup();
    }

    void join(long deadlineNanos) {
        Closing.join(thread, deadlineNanos);
    }

    /** After join(): channels accepted for this loop that it never adopted are closed. */
    void closeLeftovers() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            if (task instanceof Adoption a) Closing.quietly(a.channel);
        }
    }
}
