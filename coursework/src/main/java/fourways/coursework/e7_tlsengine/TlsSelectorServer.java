package fourways.coursework.e7_tlsengine;

import fourways.coursework.Listening;
import fourways.protocol.Closing;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;

/**
 * Exercise 7's server, the part you do not edit: one selector thread accepts every connection
 * and hands its readiness to an {@link EngineConnection}, yours; a mailbox brings work back to
 * the loop from other threads, and a small pool runs what must not run on it. The cost of a
 * connection is its engine and buffers; the cost of a mistake in its engine loop is every
 * other connection's service.
 *
 * <p>Threads: the loop thread owns the selector, its keys and every connection. Other threads
 * only {@link #execute} tasks (the mailbox) or call {@link #close}.
 */
public final class TlsSelectorServer implements Server {
    /** Makes the connection object for each accepted channel: the starter's, or the solution's. */
    @FunctionalInterface
    public interface Connections {
        EngineConnection open(SocketChannel channel, SSLEngine engine, TlsSelectorServer server);
    }

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final InetSocketAddress address;
    private final Supplier<SSLEngine> engines;
    private final Connections connections;
    private final Queue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
    /** Delegated tasks run here: a certificate check or a signature may take a while. */
    private final ExecutorService offLoop = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("e7-tls-task-", 0).daemon().factory());
    /** Every open connection's channel: close() closes them from its own thread, whatever the loop is doing. */
    private final Set<SocketChannel> channels = ConcurrentHashMap.newKeySet();
    private final Thread loop;
    private volatile boolean closing;

    /** The server as chapter 9 starts it: TLS only, the engines from {@code --keystore} or {@code --cert}. */
    public static Server start(ServerConfig config, Connections connections) throws IOException {
        if (!config.tlsEnabled()) {
            throw new UnsupportedOperationException("e7 speaks TLS only: give --tls with --keystore and --keystore-password-file, or --cert and --key");
        }
        return new TlsSelectorServer(config, config.tls()::newEngine, connections);
    }

    public TlsSelectorServer(ServerConfig config, Supplier<SSLEngine> engines, Connections connections) throws IOException {
        this.engines = engines;
        this.connections = connections;
        Listening listening;
        try {
            listening = Listening.open(config);
        } catch (IOException | RuntimeException e) {
            offLoop.shutdown();                       // failed to start: end what was started
            throw e;
        }
        this.selector = listening.selector();
        this.listener = listening.listener();
        this.address = listening.address();
        this.loop = Thread.ofPlatform().name("e7-selector").start(this::run);
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /** The mailbox: {@code task} runs on the loop thread, soon. Any thread may call it. */
    public void execute(Runnable task) {
        mailbox.add(task);
        selector.wakeup();                            // the loop may be asleep in select()
    }

    /** Where work that must not hold up the loop runs. */
    public ExecutorService offLoop() {
        return offLoop;
    }

    /** Registers a connection's channel for reads; loop thread only. */
    public SelectionKey register(SocketChannel channel, EngineConnection connection) throws IOException {
        return channel.register(selector, SelectionKey.OP_READ, connection);
    }

    /** The loop: sleep until something is ready, handle it, then the mailbox. */
    private void run() {
        try {
            while (!closing) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) handle(key);
                selector.selectedKeys().clear();      // the selector only adds to this set
                for (Runnable task; (task = mailbox.poll()) != null; ) task.run();
            }
        } catch (IOException e) {
            // The selector itself failed: this loop cannot go on; the finally closes everything.
        } finally {
            channels.forEach(Closing::quietly);
            Closing.quietly(listener);
            Closing.quietly(selector);
        }
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) return;                   // closed earlier in this same turn
        if (key.isAcceptable()) {
            accept();
            return;
        }
        EngineConnection connection = (EngineConnection) key.attachment();
        try {
            connection.onReady(key);
        } catch (IOException | RuntimeException e) {
            connection.abort();                       // rule 15: a bad record or a reset costs this connection only
        }
    }

    private void accept() {
        try {
            for (SocketChannel channel; (channel = listener.accept()) != null; ) {
                try {
                    channel.configureBlocking(false);
                    channels.add(channel);
                    connections.open(channel, engines.get(), this).start();
                } catch (IOException | RuntimeException e) {
                    forget(channel);                  // this one only: the others go on
                }
            }
        } catch (IOException e) {
            // Out of descriptors, say: the listener stays ready and we try again next turn.
        }
    }

    /** A connection has ended: its channel is closed and no longer the server's to close. */
    void forget(SocketChannel channel) {
        Closing.quietly(channel);
        channels.remove(channel);
    }

    /** Rule 14: every channel closed, even under a loop stuck in a connection's handler; then the loop ends. */
    @Override
    public void close() {
        if (closing) return;
        closing = true;
        selector.wakeup();
        channels.forEach(Closing::quietly);           // a handler spinning on a read gets an exception and returns
        Closing.join(loop, Closing.closeDeadline());
        offLoop.shutdownNow();
    }
}
