package fourways.coursework;

import fourways.protocol.Closing;
import fourways.protocol.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;

/**
 * The listening half that the selector exercises share, so that each shows only its lesson: a
 * selector, and a non-blocking server channel bound to the config's address and registered
 * with it for {@code OP_ACCEPT}. It costs a selector and a descriptor; the server that opens it
 * closes both.
 */
public record Listening(Selector selector, ServerSocketChannel listener, InetSocketAddress address) {

    /** Binds, with the JDK's default backlog; on any failure closes what it opened, and throws. */
    public static Listening open(ServerConfig config) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel listener = null;
        try {
            listener = ServerSocketChannel.open();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);   // a restart must not wait out TIME_WAIT
            listener.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()));
            listener.configureBlocking(false);        // a blocking channel cannot join a selector
            listener.register(selector, SelectionKey.OP_ACCEPT);
            return new Listening(selector, listener, (InetSocketAddress) listener.getLocalAddress());
        } catch (IOException | RuntimeException e) {
            Closing.quietly(listener);                // failed to start: close what was opened
            Closing.quietly(selector);
            throw e;
        }
    }
}
