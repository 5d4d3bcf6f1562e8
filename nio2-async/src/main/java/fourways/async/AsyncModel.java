package fourways.async;

import fourways.protocol.Link;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Model 4 behind the seam: NIO2's asynchronous channels and completion handlers, C#'s
 * Begin/End methods in Java; a small fixed group of threads serves every connection.
 */
public final class AsyncModel implements Model {

    @Override
    public String name() {
        return "nio2-async";
    }

    @Override
    public Server start(ServerConfig config) throws IOException {
        return new AsyncServer(config);
    }

    /** Rule 16's connection: the AsynchronousClient twin. */
    @Override
    public Link connect(InetSocketAddress server) throws IOException {
        return connect(server, null);
    }

    /** The same over TLS (rule 23) when {@code tls} is not null: the handshake is done when it returns. */
    @Override
    public Link connect(InetSocketAddress server, TlsClient tls) throws IOException {
        return AsyncClient.connect(server, tls);
    }

    @Override
    public void load(InetSocketAddress server, LoadRun run) throws InterruptedException {
        load(server, run, null);
    }

    /** Over TLS, each connection counts as open once its handshake is done (rule 23). */
    @Override
    public void load(InetSocketAddress server, LoadRun run, TlsClient tls) throws InterruptedException {
        AsyncLoadClient.load(server, run, tls);
    }

    /** The channel group's size: every handler of every connection runs on these threads. */
    @Override
    public ThreadsOption threadsOption() {
        return new ThreadsOption("--threads", "Threads of the server's channel group (default: one per processor).");
    }
}
