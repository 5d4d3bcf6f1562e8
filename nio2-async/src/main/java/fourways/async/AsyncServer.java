package fourways.async;

import fourways.protocol.Closing;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.Services;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * NIO2's proactor, the Java twin of C#'s AsynchronousSocketListener: the kernel tells a small
 * fixed group of threads that an accept, a read or a write has completed, and a
 * {@link CompletionHandler} carries on; the cost is a buffer held by every pending read and a
 * program turned inside out into callbacks.
 *
 * <p>Threads: the channel group's pool ({@code --threads}, default one per processor) runs
 * every handler, and no handler may block one (the one call that can wait is sink's write to
 * standard output, rule 8); one timer thread runs the idle and linger deadlines.
 * {@code connections} is shared: handlers add and remove, {@link #close} reads it.
 */
public final class AsyncServer implements Server {
    /** The kernel caps a listen backlog at 4,096; asking for less makes a burst of connects wait. */
    private static final int LISTEN_BACKLOG = 4_096;
    /** After an accept fails for want of descriptors, retry this much later, not in a hot loop. */
    private static final long ACCEPT_RETRY_MILLIS = 100;
    /**
     * Handshakes waiting for a task thread, per thread, before the oldest is refused: a
     * millisecond or two of key agreement and signature each, so a newcomer waits a second or
     * two at most, flood or not. Not fewer: a reset that comes while its ClientHello waits is
     * not seen here until the handshake reads again, so a flood of ClientHello-then-reset fills
     * the queue with the dead, and a queue of 64 refused the good client waiting among them
     * (the shared suite's flood of 500, seen in a fresh-clone build).
     */
    private static final int TLS_TASKS_QUEUED = 1_024;
    /** Rule 14: the whole process must be gone within 5 s; close() waits at most this long. */
    private static final long CLOSE_WAIT_SECONDS = 4;

    private final ServerConfig config;
    private final Services services;
    /** The group's threads and the timer's, all joined by close() (rule 14). */
    private final OwnThreads threads = new OwnThreads("nio2-async", false);
    private final AsynchronousChannelGroup group;
    private final AsynchronousServerSocketChannel listener;
    /** Kept from the bind: still the answer after close(), when the channel has none. */
    private final InetSocketAddress address;
    private final ScheduledThreadPoolExecutor timer;
    /** Over TLS, where the engines' delegated tasks run (see {@link OwnThreads#tasks}); null over TCP. */
    private final ExecutorService tlsTasks;
    private final Set<AsyncConnection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public AsyncServer(ServerConfig config) throws IOException {
        this.config = config;
        this.services = new Services(config);
        // --threads N, or one per processor: every handler of every connection runs on these.
        int groupThreads = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
        this.group = threads.group(groupThreads);
        this.tlsTasks = config.tlsEnabled() ? threads.tasks(groupThreads, TLS_TASKS_QUEUED * groupThreads) : null;
        // Why our own timer and not read(..., timeout, ...): a read that times out leaves the
        // channel unable to read ever again (IllegalStateException: the JDK cannot promise that
        // no byte was lost), so a chat member that only listens could not be kept. The group's
        // own timeout thread would also be one that close() cannot join.
        this.timer = threads.timer();
        try {
            this.listener = AsynchronousServerSocketChannel.open(group);
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);   // no wait for TIME_WAIT on restart
            listener.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()), LISTEN_BACKLOG);
            this.address = (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            threads.endAll(CLOSE_WAIT_SECONDS);       // a failed bind must not leave the pool running
            throw e;
        }
        accept();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /**
     * BeginAccept(AcceptCallback, listener). C#'s listener thread then waits on the
     * {@code allDone} ManualResetEvent before it loops to the next BeginAccept; here no thread
     * waits at all: the next accept is armed from the completion of this one.
     */
    // tag::accept[]
    private void accept() {
        listener.accept(this, ACCEPTED);
    }

    /** AcceptCallback. The server itself is the attachment: C#'s {@code ar.AsyncState}. */
    private static final CompletionHandler<AsynchronousSocketChannel, AsyncServer> ACCEPTED = new CompletionHandler<>() {
        /** Where C# calls EndAccept and gets the socket. */
        @Override
        public void completed(AsynchronousSocketChannel channel, AsyncServer server) {
            try {
                server.accept();                      // allDone.Set(): the next client may come in now
            } catch (RuntimeException closing) {
                // ShutdownChannelGroupException: close() is under way, and wants no more clients.
            }
            server.open(channel);
        }

        /** Where C# would catch the exception from EndAccept. */
        @Override
        public void failed(Throwable e, AsyncServer server) {
            if (server.closed || e instanceof AsynchronousCloseException) {
                return;                               // close() closed the listener: the way out
            }
            // e.g. EMFILE: an accept armed at once would fail at once, forever; try again shortly.
            try {
                server.timer.schedule(server::accept, ACCEPT_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closing) {
                // close() stopped the timer: no more accepts is what it wants.
            }
        }
    };
    // end::accept[]

    private void open(AsynchronousSocketChannel channel) {
        AsyncConnection connection;
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);   // small replies: no Nagle delay
            connection = new AsyncConnection(channel, config, services, timer, tlsTasks, connections::remove);
        } catch (IOException | RuntimeException e) {
            Closing.quietly(channel);                    // failed to set up (the client reset already): this socket only
            return;
        }
        connections.add(connection);
        if (closed) {
            connection.close();                       // close() may have swept the set already
            return;
        }
        try {
            connection.start();
        } catch (RuntimeException e) {
            connection.close();                       // e.g. the group is shutting down under us
        }
    }

    /** For the tests: the deadlines the timer holds (idle, handshake, linger, close_notify). */
    int scheduledDeadlines() {
        return timer.getQueue().size();
    }

    /** For the tests: the connections not yet closed. */
    int openConnections() {
        return connections.size();
    }

    /**
     * Rule 14: listener first, so nothing new arrives; then every connection; then every thread,
     * waited for. Must not be called from a handler: it waits for the handlers' threads.
     */
    @Override
    // tag::close[]
    public void close() {
        if (closed) return;
        closed = true;
        services.close();                             // sink lines waiting on a stalled stdout are dropped
        Closing.quietly(listener);                       // the pending accept fails: AsynchronousCloseException
        for (AsyncConnection c : connections) {
            c.close();                                // each pending read or write fails, and is ignored
        }
        threads.endAll(CLOSE_WAIT_SECONDS);           // the group closes what we missed; then every thread is joined
    }
    // end::close[]
}
