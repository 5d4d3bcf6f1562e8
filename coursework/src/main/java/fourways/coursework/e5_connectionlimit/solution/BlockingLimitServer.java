package fourways.coursework.e5_connectionlimit.solution;

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
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Exercise 5's blocking server, for blocking-io (platform threads) and virtual-threads (virtual
 * ones): a thread per connection, at most {@code maxConnections} of them; each costs a thread,
 * and one too many costs an accept and a close.
 *
 * <p>Threads: one accept thread, one per connection. {@code places}, {@code sockets} and
 * {@code running} are shared: the accept thread takes and adds, each connection thread gives
 * back and removes itself, {@link #close} reads them.
 */
public final class BlockingLimitServer implements Server {
    private final ServerSocket listener;
    private final int maxFrame;
    private final ThreadFactory threads;
    /** Free places: the accept thread takes one, the connection's thread gives it back. */
    private final Semaphore places;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    public BlockingLimitServer(ServerConfig config, int maxConnections, ThreadFactory threads) throws IOException {
        this.maxFrame = config.maxFrame();
        this.places = new Semaphore(maxConnections);
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
            if (!places.tryAcquire()) {
                // One too many: refused before it costs a thread. Closed at once, so the client
                // hears so at once, and the kernel's listen queue does not fill with the waiting.
                Closing.quietly(socket);
                continue;
            }
            sockets.add(socket);
            Thread t = null;
            try {
                t = threads.newThread(() -> serve(socket));
                if (t == null) throw new IllegalStateException("the thread factory gave no thread");
                running.add(t);
                t.start();
            } catch (OutOfMemoryError | RuntimeException noThread) {
                // Chapter 4's trap: start() fails ("unable to create native thread") when the
                // process is out of threads. serve() never ran, so its finally is ours to do:
                // close the socket, give back its place. And this thread carries on accepting:
                // a thread may be free for the next one.
                if (t != null) running.remove(t);
                sockets.remove(socket);
                Closing.quietly(socket);
                places.release();
            }
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
            places.release();                         // every way out of serve() passes here, once
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
