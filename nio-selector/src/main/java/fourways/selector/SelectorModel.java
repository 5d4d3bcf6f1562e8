package fourways.selector;

import fourways.protocol.Link;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The selector model behind the seam: non-blocking channels and {@code --reactors N} selector
 * loops (default 1), one thread each, for any number of connections; over TLS, an SSLEngine per
 * connection driven by the same loops ({@link TlsSession}).
 */
public final class SelectorModel implements Model {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    @Override
    public String name() {
        return "nio-selector";
    }

    @Override
    public Server start(ServerConfig config) throws IOException {
        return new SelectorServer(config);
    }

    /**
     * Message mode needs no selector: one connection, one exchange at a time. A channel in
     * blocking mode is the plain socket API with ByteBuffers.
     */
    @Override
    public Link connect(InetSocketAddress server) throws IOException {
        return connect(server, null);
    }

    /** Over TLS, the channel goes non-blocking and its engine is driven as the server's are (TlsLink). */
    @Override
    public Link connect(InetSocketAddress server, TlsClient tls) throws IOException {
        if (tls != null) return TlsLink.connect(server, tls, CONNECT_TIMEOUT_MILLIS);
        SocketChannel channel = SocketChannel.open();
        try {
            channel.socket().connect(server, CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            channel.close();                          // a failed connect still holds a descriptor
            throw e;
        }
        return new Link() {
            @Override
            public void send(ByteBuffer bytes) throws IOException {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);             // blocking mode: returns once all is written
                }
            }

            @Override
            public int receive(ByteBuffer into) throws IOException {
                return channel.read(into);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /** One thread, one selector, every connection. */
    @Override
    public void load(InetSocketAddress server, LoadRun run) throws InterruptedException {
        load(server, run, null);
    }

    /** Over TLS when {@code tls} is not null: every handshake is done before the run's clock starts (rule 23). */
    @Override
    public void load(InetSocketAddress server, LoadRun run, TlsClient tls) throws InterruptedException {
        SelectorClient.load(server, run, tls);
    }

    @Override
    public ThreadsOption threadsOption() {
        return new ThreadsOption("--reactors",
                "Selector loops, one thread each; connections are spread over them (default: 1).");
    }
}
