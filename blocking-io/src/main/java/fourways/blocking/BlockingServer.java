package fourways.blocking;

import fourways.protocol.Closing;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.Services;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Blocking I/O with a thread per connection: the simplest server to read, and each client
 * costs a whole thread (a platform thread here: about a megabyte of stack reserved, a kernel
 * task, a context switch per wake-up).
 *
 * <p>Threads, all from {@link ThreadPerConnection#threads()}: one accept thread, one thread per
 * connection (two for a chat connection, see {@link BlockingConnection}), and one idle
 * sweeper, which also holds each TLS handshake to its deadline (rule 25). The set of connections is shared: the accept thread adds, each connection removes
 * itself, {@link #close} and the sweeper read it.
 */
public final class BlockingServer implements Server {
    /** The kernel caps a listen backlog at 4,096; asking for less makes a burst of connects wait. */
    private static final int LISTEN_BACKLOG = 4_096;

    private final ServerConfig config;
    private final Services services;
    private final ThreadPerConnection model;
    private final ServerSocket listener;
    private final Set<BlockingConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final Thread sweeper;
    private volatile boolean closed;

    /**
     * Binds, and starts accepting before it returns.
     *
     * @param model makes every thread this server starts, and sizes each connection's buffers:
     *     platform threads here, virtual threads in the virtual-threads module, which reuses this class
     */
    public BlockingServer(ServerConfig config, ThreadPerConnection model) throws IOException {
        this.config = config;
        this.services = new Services(config);
        this.model = model;
        this.listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);       // a restarted server must not wait out TIME_WAIT
            listener.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), LISTEN_BACKLOG);
        } catch (IOException | RuntimeException e) {
            Closing.quietly(listener);               // the port is taken, say: the unbound socket is ours to close
            throw e;
        }
        this.acceptor = model.start("accept", false, this::acceptLoop);
        this.sweeper = config.idleTimeoutEnabled() || config.tlsEnabled() ? model.start("idle", true, this::sweepLoop) : null;
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Accept: the C# seed's BeginAccept/EndAccept, here one blocking call in a loop. */
    // tag::accept-loop[]
    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (closed) return;                   // close() closed the listener: the way out
                backOff();                            // e.g. EMFILE: retrying at once would spin
                continue;
            }
            BlockingConnection connection = null;
            try {
                socket.setTcpNoDelay(true);           // replies are small; Nagle would hold them back
                connection = new BlockingConnection(socket, config, services, model, connections::remove);
                connections.add(connection);
                if (closed) {
                    connection.abort();               // close() may have swept the set already
                }
                connection.start();
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                // Failed to set up: this socket only. An OutOfMemoryError here is "unable to
                // create native thread", this model's own limit: refuse this client and keep
                // accepting, where letting it escape would end the accept thread and leave a
                // server that silently accepts no one.
                Closing.quietly(socket);
                if (connection != null) {
                    connection.refuse();              // leaves the chat room, if it had joined
                    connections.remove(connection);
                }
            }
        }
    }
    // end::accept-loop[]

    /** Out of descriptors, say: wait a little for connections to close before accepting again. */
    private void backOff() {
        try {
            TimeUnit.MILLISECONDS.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Rules 13 and 25: one thread checks every connection, instead of a timer per blocked read.
     * It runs when there is an idle timeout or TLS, since a handshake has a deadline even when
     * the idle timeout is off.
     */
    // tag::sweep[]
    private void sweepLoop() {
        long idle = config.idleTimeoutEnabled() ? config.idleTimeout().toNanos() : Long.MAX_VALUE;
        long handshake = config.tlsEnabled() ? config.tls().handshakeTimeout().toNanos() : Long.MAX_VALUE;
        long period = Math.clamp(Math.min(idle, handshake) / 4, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1));
        while (!closed) {
            long now = System.nanoTime();
            for (BlockingConnection c : connections) {
                // Rule 25: the handshake's deadline counts from accept, whatever bytes come in
                // meanwhile (a ClientHello dribbled a byte a second is not activity).
                if (now - c.lastActivityNanos() > idle || c.handshaking() && now - c.acceptedNanos() > handshake) {
                    // A blocked read or write ends with a SocketException; its thread cleans up.
                    c.abort();
                }
            }
            try {
                TimeUnit.NANOSECONDS.sleep(period);  // a timer tick, not waiting for an event
            } catch (InterruptedException e) {
                return;                               // close() interrupts us
            }
        }
    }
    // end::sweep[]

    /** Rule 14: listener first, so nothing new arrives; then every connection, then every thread. */
    @Override
    // tag::close[]
    public void close() {
        if (closed) return;
        closed = true;
        long deadline = Closing.closeDeadline();     // rule 14: one stuck thread must not hold up the exit
        services.close();                         // sink lines waiting on a stalled stdout are dropped
        Closing.quietly(listener);
        Closing.join(acceptor, deadline);
        if (sweeper != null) {
            sweeper.interrupt();
            Closing.join(sweeper, deadline);
        }
        for (BlockingConnection c : connections) {
            c.abort();
        }
        for (BlockingConnection c : connections) {
            c.join(deadline);
        }
    }
    // end::close[]
}
