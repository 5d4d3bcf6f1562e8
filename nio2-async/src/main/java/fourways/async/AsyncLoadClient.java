package fourways.async;

import fourways.protocol.LoadRun;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load mode (rules 17 to 19) on NIO2: thousands of connections driven by a few threads, the
 * group's, through callbacks; the cost is a read buffer per connection, as on the server.
 *
 * <p>Threads: the caller's thread starts the run and waits on two latches; the group's threads
 * (one per processor) run every callback; one timer thread wakes connections whose next frame
 * is due in an open loop (rule 19); over TLS, a pool the size of the group runs the engines'
 * delegated tasks. All of them end before {@link #load} returns.
 */
final class AsyncLoadClient {
    /**
     * Connects in flight at once. Ten thousand at once would overflow the server's listen
     * backlog; the kernel then drops SYNs, and the client retries them only a second later.
     */
    private static final int CONNECTS_IN_FLIGHT = 256;
    private static final long CLOSE_WAIT_SECONDS = 10;

    final InetSocketAddress server;
    private final LoadRun run;
    private final OwnThreads threads = new OwnThreads("nio2-async-load", false);
    final AsynchronousChannelGroup group;
    final ScheduledThreadPoolExecutor timer;
    /** Null over TCP. */
    final TlsClient tls;
    final ExecutorService tlsTasks;
    private final AsyncLoadConnection[] connections;
    private final AtomicInteger nextToConnect = new AtomicInteger();
    private final CountDownLatch connected;
    private final CountDownLatch finished;

    /** The run's end (rule 17's {@code --timeout}): no wait for a due frame goes past it. */
    long deadlineNanos() {
        return run.deadlineNanos();
    }

    private AsyncLoadClient(InetSocketAddress server, LoadRun run, TlsClient tls) throws IOException {
        this.server = server;
        this.run = run;
        this.tls = tls;
        int count = run.plan().connections();
        this.connected = new CountDownLatch(count);
        this.finished = new CountDownLatch(count);
        this.connections = new AsyncLoadConnection[count];
        for (int id = 0; id < count; id++) {
            connections[id] = new AsyncLoadConnection(this, run.connection(id), run.plan());
        }
        int processors = Runtime.getRuntime().availableProcessors();
        this.group = threads.group(processors);       // "a few threads"
        this.tlsTasks = tls != null ? threads.tasks(processors, Integer.MAX_VALUE) : null;
        this.timer = threads.timer();             // rule 19's schedule; no thread until a frame is due later
    }

    /** Connect all, start the clock, start all, wait for all or the deadline, then end every thread. */
    static void load(InetSocketAddress server, LoadRun run, TlsClient tls) throws InterruptedException {
        AsyncLoadClient client;
        try {
            client = new AsyncLoadClient(server, run, tls);
        } catch (IOException e) {
            for (int id = 0; id < run.plan().connections(); id++) {
                run.connectionFailed(id, e);          // no group, no connections: each counts (rule 18)
            }
            return;
        }
        try {
            client.drive();
        } finally {
            client.shutDown();
        }
    }

    private void drive() throws InterruptedException {
        for (int i = 0; i < Math.min(CONNECTS_IN_FLIGHT, connections.length); i++) {
            connectNext();
        }
        connected.await(run.millisToDeadline(), TimeUnit.MILLISECONDS);
        run.allConnected();                           // rule 18: the clock starts now, every handshake done
        for (AsyncLoadConnection c : connections) {
            c.go();                                   // each now pumps itself from its own callbacks
        }
        finished.await(run.millisToDeadline(), TimeUnit.MILLISECONDS);
    }

    /** Called at the start, and from each connect's callback: the chain keeps a few in flight. */
    void connectNext() {
        int id = nextToConnect.getAndIncrement();
        if (id < connections.length) {
            connections[id].connect(server);
        }
    }

    void connectDone() {
        connected.countDown();
        connectNext();
    }

    void finished() {
        finished.countDown();
    }

    /** Whatever has not finished by now is cut short (rule 17); then every thread is ended. */
    private void shutDown() {
        for (AsyncLoadConnection c : connections) {
            c.fail("timed out");                      // a no-op for those already done
        }
        threads.endAll(CLOSE_WAIT_SECONDS);
    }
}
