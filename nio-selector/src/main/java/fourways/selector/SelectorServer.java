package fourways.selector;

import fourways.protocol.Closing;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.Services;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The selector server: non-blocking channels multiplexed by {@code --reactors N} selector
 * loops (default 1), one thread each, whatever the number of connections; the cost is that
 * no handler may ever block, since a loop's thread is shared by all its connections.
 *
 * <p>This is Doug Lea's "multiple reactors": reactor 0's loop also accepts and deals the new
 * connections out round-robin to all N reactors, itself included. Accepting is one system call
 * per connection, too little to deserve a thread of its own, so one reactor means one thread.
 *
 * <p>Threads: one per reactor, nothing else. {@link #next} and {@link #acceptKey}'s interest
 * belong to reactor 0's loop; {@link #close} may be called from any thread.
 */
public final class SelectorServer implements Server, Reactor.Handler {
    /** The kernel caps a listen backlog at somaxconn (4,096 by default); ask for that much. */
    private static final int LISTEN_BACKLOG = 4_096;
    /** Connections taken per wake-up: a burst is accepted quickly, but not at I/O's expense. */
    private static final int ACCEPTS_PER_TURN = 256;
    private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Services services;
    private final ServerSocketChannel listener;
    private final InetSocketAddress address;
    private final Reactor[] reactors;
    private final SelectionKey acceptKey;
    private final AtomicBoolean closed = new AtomicBoolean();
    private int next;

    /** Binds and starts every loop; connections that arrive meanwhile wait in the listen backlog. */
    public SelectorServer(ServerConfig config) throws IOException {
        services = new Services(config);
        reactors = new Reactor[config.threads() == 0 ? 1 : config.threads()];
        listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);  // restart without waiting out TIME_WAIT
            listener.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), LISTEN_BACKLOG);
            listener.configureBlocking(false);        // a blocking channel cannot join a selector
            address = (InetSocketAddress) listener.getLocalAddress();
            for (int i = 0; i < reactors.length; i++) {
                reactors[i] = new Reactor("selector-reactor-" + i, config, services);
            }
            acceptKey = reactors[0].register(listener, SelectionKey.OP_ACCEPT, this);
        } catch (IOException | RuntimeException e) {
            Closing.quietly(listener);                   // failed to start: close what was opened
            for (Reactor r : reactors) {
                if (r != null) r.closeAll();
            }
            throw e;
        }
        for (Reactor r : reactors) {
            r.start();
        }
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /** Accept, on reactor 0's loop: take the waiting connections, deal them out round-robin. */
    @Override
    // tag::accept[]
    public void onReady(SelectionKey key) throws IOException {
        for (int i = 0; i < ACCEPTS_PER_TURN; i++) {
            SocketChannel channel = listener.accept();
            if (channel == null) return;              // non-blocking: the backlog is empty
            try {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);  // small replies: no Nagle delay
            } catch (IOException e) {
                Closing.quietly(channel);                // reset before we set it up: this one only
                continue;
            }
            reactors[next].adopt(channel);
            next = (next + 1) % reactors.length;      // not next++ % n: that turns negative at 2^31
        }
    }
    // end::accept[]

    /**
     * accept() failed, typically EMFILE (out of descriptors). The connection stays in the
     * backlog, so the listener stays ready, and selecting again at once would spin at 100% CPU
     * without ever succeeding: stop accepting for a moment instead.
     */
    @Override
    public void onFailure(Exception e) {
        if (!acceptKey.isValid()) return;             // closing: nothing left to pause
        acceptKey.interestOps(0);
        reactors[0].after(ACCEPT_PAUSE_NANOS, () -> {
            if (acceptKey.isValid()) acceptKey.interestOps(SelectionKey.OP_ACCEPT);
        });
    }

    /**
     * Rule 14: each loop ends and closes its connections and selector; then the listener, whose
     * key went with reactor 0's selector, so its port is free at once; then the channels
     * accepted and not yet adopted when the loops ended.
     */
    @Override
    // tag::close[]
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        long deadline = Closing.closeDeadline();     // rule 14: a loop stuck in a handler must not hold up the exit
        services.close();                         // sink lines waiting on a stalled stdout are dropped
        for (Reactor r : reactors) {
            r.shutdown();
        }
        for (Reactor r : reactors) {
            r.join(deadline);
        }
        Closing.quietly(listener);
        for (Reactor r : reactors) {
            r.closeLeftovers();
        }
    }
    // end::close[]
}
