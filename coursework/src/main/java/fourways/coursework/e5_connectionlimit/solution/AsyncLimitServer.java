package fourways.coursework.e5_connectionlimit.solution;

import fourways.coursework.OwnGroup;
import fourways.coursework.e5_connectionlimit.AsyncEcho;
import fourways.protocol.Closing;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exercise 5's NIO2 server (nio2-async): completion handlers on a fixed pool of two threads, for
 * at most {@code maxConnections} connections; each costs its pending read's buffer and its queue.
 *
 * <p>Threads: the group's threads run every handler, any of them any connection's;
 * {@code clients} and {@code open} are shared.
 */
public final class AsyncLimitServer implements Server {
    private final ServerConfig config;
    private final OwnGroup threads;
    private final AsynchronousServerSocketChannel listener;
    private final InetSocketAddress address;
    private final Set<AsyncEcho> clients = ConcurrentHashMap.newKeySet();
    private final int maxConnections;
    /** Connections open now: counted up by the accept handler, down by a close, on any group thread. */
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    public AsyncLimitServer(ServerConfig config, int maxConnections) throws IOException {
        this.config = config;
        this.maxConnections = maxConnections;
        this.threads = new OwnGroup("e5-async", 2);
        try {
            this.listener = AsynchronousServerSocketChannel.open(threads.group());
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()));
            this.address = (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            threads.shutdown();                       // a failed bind must not leave the pool running
            throw e;
        }
        accept();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    private void accept() {
        listener.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
            @Override
            public void completed(AsynchronousSocketChannel channel, Void unused) {
                if (closed) {
                    Closing.quietly(channel);         // close() is under way
                    return;
                }
                accept();                             // the next client may come in meanwhile
                admit(channel);
            }

            @Override
            public void failed(Throwable e, Void unused) {
                // close() closed the listener: the way out.
            }
        });
    }

    // tag::accept[]
    /** On a group thread, any of them: another may be admitting another client at this moment. */
    private void admit(AsynchronousSocketChannel channel) {
        // Count first, in one atomic step: "check, then add" would let two threads admit two
        // clients into the last place.
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            Closing.quietly(channel);                 // one too many: closed at once, so the client knows
            return;
        }
        AsyncEcho client = new AsyncEcho(channel, config, c -> {
            clients.remove(c);
            open.decrementAndGet();                   // AsyncEcho runs this once, however it closes
        });
        clients.add(client);
        client.start();
    }
    // end::accept[]

    /** Rule 14: listener, then every connection, then every thread. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Closing.quietly(listener);
        for (AsyncEcho c : clients) c.close();
        threads.shutdown();
    }
}
