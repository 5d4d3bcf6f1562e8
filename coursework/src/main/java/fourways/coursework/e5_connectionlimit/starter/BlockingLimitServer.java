package fourways.coursework.e5_connectionlimit.starter;

import fourways.coursework.e5_connectionlimit.BlockingEcho;
import fourways.protocol.Closing;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Exercise 5's blocking server, for blocking-io (platform threads) and virtual-threads (virtual
 * ones): a thread per connection, as many as connect; each costs a thread.
 *
 * <p>Your task, here and in the other two servers of this package: serve at most
 * {@code maxConnections} clients at once, and pass
 * {@code ./mvnw -q -pl coursework -am test -Dexercise=e5}. One too many is accepted and closed
 * at once; its place comes back when a connection closes, however it closes.
 *
 * <p>Threads: one accept thread, one per connection. {@code sockets} and {@code running} are
 * shared: the accept thread adds, each connection thread removes itself, {@link #close} reads
 * them.
 */
public final class BlockingLimitServer implements Server {
    private final ServerSocket listener;
    private final int maxFrame;
    private final ThreadFactory threads;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    public BlockingLimitServer(ServerConfig config, int maxConnections, ThreadFactory threads) throws IOException {
        this.maxFrame = config.maxFrame();
        this.threads = threads;
        this.listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()));
        } catch (IOException e) {
            Closing.quietly(listener);                // failed to bind: nothing is left open
            throw e;
        }
        this.acceptor = threads.newThread(this::acceptLoop);
        acceptor.start();
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    // tag::accept[]
    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (closed) return;                   // close() closed the listener: the way out
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));   // EMFILE, say: not at once
                continue;
            }
            sockets.add(socket);
            Thread t = threads.newThread(() -> serve(socket));
            running.add(t);
            t.start();
        }
    }

    /** One connection, on its own thread. */
    private void serve(Socket socket) {
        try {
            BlockingEcho.serve(socket, maxFrame);
        } catch (IOException | RuntimeException e) {
            // Rule 15: a reset costs this connection only.
        } finally {
            Closing.quietly(socket);
            sockets.remove(socket);
            running.remove(Thread.currentThread());
        }
    }
    // end::accept[]

    /** Rule 14: listener, then every socket, then every thread. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Closing.quietly(listener);
        Closing.join(acceptor);
        for (Socket s : sockets) Closing.quietly(s);
        for (Thread t : running) Closing.join(t);
    }
}
