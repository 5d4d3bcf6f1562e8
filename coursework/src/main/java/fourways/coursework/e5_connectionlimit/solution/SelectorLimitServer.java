package fourways.coursework.e5_connectionlimit.solution;

import fourways.coursework.Listening;
import fourways.coursework.e5_connectionlimit.SelectorEcho;
import fourways.protocol.Closing;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Exercise 5's selector server (nio-selector): one loop thread for every connection, at most
 * {@code maxConnections} of them; each costs its key and its queue.
 *
 * <p>Threads: the loop thread owns every field, except {@code closing}.
 */
public final class SelectorLimitServer implements Server {
    private final ServerConfig config;
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final InetSocketAddress address;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private final Thread loop;
    private final int maxConnections;
    /** Connections open now. Accept and close both run on the loop thread: a plain int will do. */
    private int open;
    private volatile boolean closing;

    public SelectorLimitServer(ServerConfig config, int maxConnections) throws IOException {
        this.config = config;
        this.maxConnections = maxConnections;
        Listening listening = Listening.open(config);     // bound and registered for OP_ACCEPT
        this.selector = listening.selector();
        this.listener = listening.listener();
        this.address = listening.address();
        this.loop = Thread.ofPlatform().name("e5-selector").start(this::run);
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    private void run() {
        try {
            while (!closing) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) continue;
                    if (key.isAcceptable()) accept();
                    else ((SelectorEcho) key.attachment()).onReady(readBuffer);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            // The selector itself failed: the finally closes everything.
        } finally {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof SelectorEcho c) c.close();
                else Closing.quietly(key.channel());  // the listener
            }
            Closing.quietly(selector);
        }
    }

    // tag::accept[]
    /** On the loop thread, like everything here. */
    private void accept() {
        try {
            for (SocketChannel channel; (channel = listener.accept()) != null; ) {
                if (open == maxConnections) {
                    Closing.quietly(channel);         // one too many: closed at once, so the client knows
                    continue;
                }
                try {
                    channel.configureBlocking(false);
                    new SelectorEcho(channel, selector, config, () -> open--);   // runs once, at its close
                    open++;
                } catch (IOException e) {
                    Closing.quietly(channel);         // reset before we registered it: this one only
                }
            }
        } catch (IOException e) {
            // Out of descriptors, say: the listener stays ready; we try again next turn.
        }
    }
    // end::accept[]

    /** Rule 14: the loop ends and closes every channel and the selector. */
    @Override
    public void close() {
        if (closing) return;
        closing = true;
        selector.wakeup();
        Closing.join(loop);
    }
}
