package fourways.protocol;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The seam: how a module provides its server and its client. Everything that treats the four
 * models alike (the command line, the shared test suite, the benchmarks, the side-by-side
 * run) goes through this interface, and each module implements it once.
 */
public interface Model {

    /** The module's name, as in {@code blocking-io}. */
    String name();

    /**
     * Starts a server; when this returns, it accepts connections at {@link Server#address()}.
     * A model with no TLS server yet refuses a config with {@link ServerConfig#tls()} set
     * ({@link ServerConfig#requirePlain}), never serving plain TCP in its place.
     */
    Server start(ServerConfig config) throws IOException;

    /** Opens one message-mode connection (rule 16), plain TCP. */
    Link connect(InetSocketAddress server) throws IOException;

    /**
     * Opens one message-mode connection (rule 16) over TLS (rule 23), or plain TCP when
     * {@code tls} is null. A model with TLS overrides this, and its one-argument
     * {@code connect} passes null; the default refuses TLS rather than fall back to plain TCP.
     */
    default Link connect(InetSocketAddress server, TlsClient tls) throws IOException {
        if (tls == null) return connect(server);
        throw new UnsupportedOperationException(name() + " has no TLS client yet");
    }

    /**
     * Drives a load run (rules 17 to 19): opens {@code run.plan().connections()} connections,
     * calls {@link LoadRun#allConnected()} once they are open, drives one {@link LoadConnection}
     * per connection, and returns when every one is finished or the run's deadline has passed.
     */
    void load(InetSocketAddress server, LoadRun run) throws InterruptedException;

    /** The same load run over TLS (rule 23), or plain TCP when {@code tls} is null; as {@link #connect(InetSocketAddress, TlsClient)}. */
    default void load(InetSocketAddress server, LoadRun run, TlsClient tls) throws InterruptedException {
        if (tls == null) {
            load(server, run);
            return;
        }
        throw new UnsupportedOperationException(name() + " has no TLS client yet");
    }

    /**
     * The model's own thread setting on the command line (nio-selector's {@code --reactors},
     * nio2-async's {@code --threads}), given to the server as {@link ServerConfig#threads()};
     * null when the model has none.
     */
    default ThreadsOption threadsOption() {
        return null;
    }

    /** A model-specific option: its name ({@code --reactors}) and its one-line help. */
    record ThreadsOption(String name, String description) {}
}
