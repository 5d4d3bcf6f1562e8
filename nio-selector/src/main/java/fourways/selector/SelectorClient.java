package fourways.selector;

import fourways.protocol.LoadConnection;
import fourways.protocol.LoadRun;
import fourways.protocol.Pacer;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;

/**
 * The selector model's load client (rules 17 to 19): one thread and one selector drive every
 * connection, 10,000 sockets included, connecting, writing and reading without blocking; the
 * cost is that this one thread's speed caps the whole run.
 *
 * <p>Threads: the caller's thread does everything, except, over TLS, the handshakes' delegated
 * tasks: those run on a pool, and each socket they are done for comes back through
 * {@link #resumed}, the one field shared.
 */
final class SelectorClient {
    /**
     * Connects in flight at once. Ten thousand SYNs in one burst overflow the server's listen
     * backlog, and the kernel retries a dropped SYN only after a second.
     */
    private static final int CONNECTS_IN_FLIGHT = 512;
    private static final int BUFFER = 64 * 1024;

    private final InetSocketAddress server;
    private final LoadRun run;
    private final Selector selector;
    /** Rule 23: null over plain TCP. */
    private final TlsClient tls;
    private final ExecutorService tlsTasks;
    /** Sockets whose delegated tasks are done, for this thread to carry on with (any thread adds). */
    private final ConcurrentLinkedQueue<LoadSocket> resumed = new ConcurrentLinkedQueue<>();
    // One read buffer and one write buffer for all connections, never one per connection; heap
    // buffers, because every byte is written or checked one at a time (see Reactor.readBuffer).
    private final ByteBuffer readBuffer = ByteBuffer.allocate(BUFFER);
    private final ByteBuffer writeBuffer;
    private final List<LoadSocket> sockets = new ArrayList<>();
    /** Rule 19: sockets waiting for their next frame's time, earliest first. */
    private final PriorityQueue<LoadSocket> schedule =
            new PriorityQueue<>((a, b) -> Long.signum(a.dueNanos - b.dueNanos));
    private int connecting;
    /** Connected sockets not yet done: the run ends when none is left. */
    private int running;

    private SelectorClient(InetSocketAddress server, LoadRun run, Selector selector, TlsClient tls) {
        this.server = server;
        this.run = run;
        this.selector = selector;
        this.tls = tls;
        this.tlsTasks = tls == null ? null : TlsTasks.pool("selector-client-tls-task-");
        this.writeBuffer = ByteBuffer.allocate(Math.max(BUFFER, run.plan().frameBytes()));
    }

    static void load(InetSocketAddress server, LoadRun run, TlsClient tls) throws InterruptedException {
        try (Selector selector = Selector.open()) {
            new SelectorClient(server, run, selector, tls).run();
        } catch (IOException e) {
            run.connectionFailed(0, e);               // no selector, so no connection opened: one error, then all cut short
        }
    }

    private void run() throws InterruptedException {
        String why = "timed out";
        try {
            connectAll();
            run.allConnected();                       // rule 18: the clock starts now
            for (LoadSocket s : sockets) {
                if (s.isOpen() && s.ready()) guarded(s, false);
            }
            while (running > 0 && !run.pastDeadline()) {
                turn();
            }
        } catch (IOException e) {
            // The selector itself failed: the run is over. Every socket is failed below, each
            // once; failing connection 0 again in load() would count it twice (rule 18).
            why = "the selector failed: " + e;
        } finally {
            for (LoadSocket s : sockets) {
                s.load.fail(why);                     // a no-op for those that finished
                s.close();
            }
            if (tlsTasks != null) tlsTasks.shutdownNow();
        }
    }

    /** Non-blocking connects, a bounded number at a time, done at OP_CONNECT; over TLS, at the handshake's end. */
    private void connectAll() throws IOException, InterruptedException {
        int count = run.plan().connections();
        int nextId = 0;
        while ((nextId < count || connecting > 0) && !run.pastDeadline()) {
            for (; nextId < count && connecting < CONNECTS_IN_FLIGHT; nextId++) {
                open(run.connection(nextId));
            }
            if (connecting == 0) continue;            // nothing in flight: no event to wait for
            select(run.deadlineNanos() - System.nanoTime());
            for (SelectionKey key : selector.selectedKeys()) {
                advance((LoadSocket) key.attachment());
            }
            selector.selectedKeys().clear();
            for (LoadSocket s; (s = resumed.poll()) != null; ) {
                if (s.isOpen()) advance(s);           // its delegated tasks are done: on with the handshake
            }
        }
    }

    private void open(LoadConnection load) {
        try {
            LoadSocket s = new LoadSocket(load, server, selector, tls);
            sockets.add(s);
            connecting++;
            if (s.isConnected()) advance(s);          // done at once: no OP_CONNECT will come
        } catch (IOException e) {
            load.fail("connect: " + e.getMessage()); // e.g. out of ports or descriptors
        }
    }

    /** One step of a socket's connect and handshake; a failure costs that connection only. */
    private void advance(LoadSocket s) {
        try {
            if (!s.connect(tlsTasks, () -> {
                resumed.add(s);
                selector.wakeup();                    // a pool thread: wake this loop's select
            })) return;                               // not yet: the key says what it waits for
            connecting--;
            running++;
        } catch (IOException e) {
            connecting--;
            s.load.fail("connect: " + e.getMessage());   // rule 23: "TLS handshake failed: ..." in one line
            s.close();                                // refused, reset or refused by TLS: this connection only
        }
    }

    /** One turn of the run: frames that fell due, then whatever the sockets have for us. */
    // tag::paced-turn[]
    private void turn() throws IOException, InterruptedException {
        long start = System.nanoTime();
        boolean sent = false;
        for (LoadSocket s; (s = schedule.peek()) != null && s.dueNanos - System.nanoTime() <= 0; ) {
            schedule.poll();
            s.scheduled = false;
            if (!s.load.done()) guarded(s, false);
            sent = true;
        }
        long now = System.nanoTime();
        int ready;
        if (schedule.isEmpty()) {
            ready = select(run.deadlineNanos() - now);
            run.waited(System.nanoTime() - now);      // asleep until a reply: the kernel wakes us at once
        } else {
            // Rule 19: wake for the earliest due frame. select() counts whole milliseconds and
            // wakes late: it may sleep only until the spin, then selectNow() turns come back
            // here until the frame is due (Pacer says why). A run with a frame due every 100 us
            // never sleeps at all; the client's CPU column says what that costs.
            long millis = Math.min(Pacer.selectMillis(schedule.peek().dueNanos - now),
                    run.millisToDeadline());
            ready = millis == 0 ? selector.selectNow() : selector.select(millis);
            if (Thread.interrupted()) throw new InterruptedException();
            // Rule 19's busy share: a spin that found nothing to send or read was waiting. A
            // loop that never waits is the pace-setter: it reads replies late, and lateness,
            // which times only sends, does not show it.
            if (millis > 0) run.waited(System.nanoTime() - now);
            else if (!sent && ready == 0) run.waited(System.nanoTime() - start);
        }
        Set<SelectionKey> readyKeys = selector.selectedKeys();
        for (SelectionKey key : readyKeys) {
            guarded((LoadSocket) key.attachment(), true);
        }
        readyKeys.clear();
    }
    // end::paced-turn[]

    /** Reads and/or writes one socket; a failure costs that connection only (one error). */
    private void guarded(LoadSocket s, boolean fromSelect) {
        try {
            if (fromSelect && s.isReadable()) s.receive(readBuffer);
            // After replies the pipeline has room again (rule 17), so a read is followed by a
            // send. The clock is read here, just before the write, not once per turn: a frame's
            // latency starts, and in an open loop its lateness is measured, when it leaves.
            if (!s.load.done()) send(s, System.nanoTime());
        } catch (IOException e) {
            s.load.fail(e.toString());
        }
        if (s.load.done() && s.isOpen()) {
            s.close();
            running--;
        }
    }

    private void send(LoadSocket s, long now) throws IOException {
        s.send(writeBuffer, now);
        // Rule 19: the next frame has a time of its own; the loop must wake for it, not only
        // for replies. Due already but not sent means the pipeline is full: a reply will send it.
        if (run.plan().openLoop() && !s.scheduled && !s.load.allSent()) {
            long until = s.load.nanosUntilDue(now);
            if (until > 0) {
                s.dueNanos = now + until;
                s.scheduled = true;
                schedule.add(s);
            }
        }
    }

    /** Waits at most {@code nanos} for the selector; returns how many keys are ready. */
    private int select(long nanos) throws IOException, InterruptedException {
        int ready = nanos <= 0 ? selector.selectNow()
                : selector.select(Math.max(1, (nanos + 999_999) / 1_000_000));  // select(0) waits forever
        if (Thread.interrupted()) throw new InterruptedException();  // an interrupt wakes select
        return ready;
    }
}
