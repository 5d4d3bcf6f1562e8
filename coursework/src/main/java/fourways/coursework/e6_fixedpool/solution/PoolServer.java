package fourways.coursework.e6_fixedpool.solution;

import fourways.protocol.Closing;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.Services;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Exercise 6's solution, a fifth model: a selector thread that only waits, and a fixed pool of
 * workers that do all the rest, each connection's work one task at a time; it costs
 * {@code --workers} threads and two more (the selector's, the timer's) however many connect,
 * and a hand-off to the pool, plus a wake-up of the selector, for each event.
 *
 * <p>Between nio-selector and nio2-async: like the first it selects, like the second it runs
 * handlers on a pool. What it buys: a slow handler (sink writing to a slow terminal, rule 8)
 * holds one worker, not the loop that every connection waits on.
 *
 * <p>Threads: the selector thread accepts and dispatches; a key's interest set is emptied by
 * the selector thread when it dispatches and set again by the connection's next task (see
 * {@link PoolConnection}). {@code connections} is shared: the selector thread adds, connections
 * remove themselves, the timer and {@link #close} read it.
 */
public final class PoolServer implements Server {
    /** Rule 14 wants the process gone within 5 s; the pool gets at most this long to finish. */
    private static final long CLOSE_WAIT_MILLIS = 4_000;

    final ServerConfig config;
    final Services services;
    final Selector selector;
    final ThreadPoolExecutor workers;
    final ScheduledThreadPoolExecutor timer;
    /** One read buffer per worker, not per connection: the session takes all of it at once. */
    final ThreadLocal<ByteBuffer> readBuffer = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(32 * 1024));
    final Set<PoolConnection> connections = ConcurrentHashMap.newKeySet();
    private final Queue<Thread> started = new ConcurrentLinkedQueue<>();
    private final ServerSocketChannel listener;
    private final InetSocketAddress address;
    private final Thread selecting;
    private volatile boolean closing;

    public PoolServer(ServerConfig config) throws IOException {
        this.config = config;
        this.services = new Services(config);
        int n = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
        this.workers = new ThreadPoolExecutor(n, n, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                remembering("pool-worker-", true));
        workers.prestartAllCoreThreads();             // fixed from the start: what ps shows is what it costs
        this.timer = new ScheduledThreadPoolExecutor(1, remembering("pool-timer", false));
        timer.setRemoveOnCancelPolicy(true);          // cancelled linger deadlines must not pile up
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), 4_096);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
            this.address = (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            Closing.quietly(listener);                // failed to start: close and end what was started
            Closing.quietly(selector);
            endThreads();
            throw e;
        }
        if (config.idleTimeoutEnabled()) {
            long period = Math.clamp(config.idleTimeout().toNanos() / 4, TimeUnit.MILLISECONDS.toNanos(10),
                    TimeUnit.SECONDS.toNanos(1));
            timer.scheduleWithFixedDelay(this::sweepIdle, period, period, TimeUnit.NANOSECONDS);
        }
        this.selecting = remembering("pool-selector", false).newThread(this::selectLoop);
        selecting.start();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /** The selector thread: wait, accept, and hand every ready connection to the pool. */
    private void selectLoop() {
        try {
            while (!closing) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) dispatch(key);
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            // The selector failed: no more events. close() still closes everything.
        }
    }

    // tag::dispatch[]
    private void dispatch(SelectionKey key) {
        if (!key.isValid()) return;
        if (key.isAcceptable()) {
            accept();
            return;
        }
        PoolConnection connection = (PoolConnection) key.attachment();
        int ready = key.readyOps();
        try {
            // Not interested until the connection's task has run: else every select() until then
            // would report the same bytes again, and queue the same work again.
            key.interestOps(0);
        } catch (CancelledKeyException closedMeanwhile) {
            return;
        }
        connection.ready(ready);                      // the work itself runs on a worker
    }
    // end::dispatch[]

    private void accept() {
        try {
            for (SocketChannel channel; (channel = listener.accept()) != null; ) {
                try {
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    connections.add(new PoolConnection(this, channel));
                } catch (IOException | RejectedExecutionException e) {
                    Closing.quietly(channel);         // reset before we set it up, or closing: this one only
                }
            }
        } catch (IOException e) {
            // Out of descriptors, say: the listener stays ready, and we try again next turn.
        }
    }

    /** Rule 13, on the timer thread: one pass over every connection, instead of a timer each. */
    private void sweepIdle() {
        long now = System.nanoTime();
        long timeout = config.idleTimeout().toNanos();
        for (PoolConnection c : connections) {
            if (now - c.lastActivityNanos() > timeout) c.abort();
        }
    }

    /**
     * Rule 14: no more events, no more accepts, every connection closed, every thread ended.
     * Must not be called from one of the server's threads, which it waits for.
     */
    @Override
    public void close() {
        if (closing) return;
        closing = true;
        selector.wakeup();
        Closing.join(selecting);                      // no accept or dispatch after this
        Closing.quietly(listener);
        for (PoolConnection c : connections) c.abort();   // each close is queued in its connection's turn
        endThreads();
        for (PoolConnection c : connections) c.closeChannel();   // any whose close never got a turn
        Closing.quietly(selector);                    // deregisters the closed channels: their descriptors go
    }

    private void endThreads() {
        timer.shutdownNow();                          // pending deadlines are dropped, not run
        workers.shutdown();                           // queued tasks still run: the closes above
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        try {
            workers.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            // awaitTermination returns before the last thread has quite ended: wait for each.
            for (Thread t : started) {
                if (t == selecting) continue;
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left > 0) t.join(left);
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();       // asked to stop waiting: every thread was told to end
        }
    }

    private ThreadFactory remembering(String name, boolean numbered) {
        Thread.Builder.OfPlatform builder = Thread.ofPlatform();
        ThreadFactory platform = (numbered ? builder.name(name, 0) : builder.name(name)).factory();
        return task -> {
            Thread t = platform.newThread(task);
            started.add(t);
            return t;
        };
    }
}
