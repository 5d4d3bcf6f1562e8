package fourways.coursework;

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
 * The accept loop and the bookkeeping that the blocking exercises share, so that each exercise
 * shows only its lesson: a thread per connection runs the exercise's {@link Handler}; the cost
 * is one thread (platform or virtual, as the exercise picks) per client.
 *
 * <p>Threads: one accept thread, one thread per connection. {@code sockets} and {@code running}
 * are shared: the accept thread adds, each connection thread removes itself, {@link #close}
 * reads them.
 */
public final class ThreadPerSocket implements Server {
    /** One connection's whole life, on its own thread; the socket is closed when it returns. */
    @FunctionalInterface
    public interface Handler {
        void serve(Socket socket) throws IOException;
    }

    private final ServerSocket listener;
    private final ThreadFactory threads;
    private final Handler handler;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    /** Binds, and accepts before it returns. */
    public ThreadPerSocket(ServerConfig config, ThreadFactory threads, Handler handler) throws IOException {
        this.threads = threads;
        this.handler = handler;
        this.listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);           // a restarted server must not wait out TIME_WAIT
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

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (closed) return;                   // close() closed the listener: the way out
                // Out of descriptors, say: an accept retried at once would fail at once, forever.
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                continue;
            }
            sockets.add(socket);
            Thread t = threads.newThread(() -> run(socket));
            running.add(t);
            t.start();
        }
    }

    private void run(Socket socket) {
        try {
            socket.setTcpNoDelay(true);               // replies are small; Nagle would hold them back
            handler.serve(socket);
        } catch (IOException | RuntimeException e) {
            // Rule 15: a reset or a broken pipe costs this connection only.
        } finally {
            Closing.quietly(socket);                  // every way out of a connection closes it
            sockets.remove(socket);
            running.remove(Thread.currentThread());
        }
    }

    /** Rule 14: listener first, so nothing new arrives; then every socket, then every thread. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        Closing.quietly(listener);
        Closing.join(acceptor);                       // from here on, nobody adds to the sets
        for (Socket s : sockets) Closing.quietly(s);  // a thread blocked on its socket wakes with an exception
        for (Thread t : running) Closing.join(t);
    }
}
