package fourways.coursework;

import fourways.blocking.BlockingClient;
import fourways.protocol.Link;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * An exercise's server behind the seam, so that the checkers (and the shared suite) can drive it
 * like any model; its client is blocking-io's, which no exercise changes. It costs nothing but
 * the server it starts.
 */
public class ExerciseModel implements Model {

    /** How an exercise starts its server: usually a constructor, {@code OneReadServer::new}. */
    @FunctionalInterface
    public interface ServerStarter {
        Server start(ServerConfig config) throws IOException;
    }

    private final String name;
    private final ServerStarter starter;
    /** Exercise 7's servers speak TLS; every other exercise is plain TCP. */
    private final boolean tls;

    public ExerciseModel(String name, ServerStarter starter) {
        this(name, starter, false);
    }

    public ExerciseModel(String name, ServerStarter starter, boolean tls) {
        this.name = name;
        this.starter = starter;
        this.tls = tls;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Server start(ServerConfig config) throws IOException {
        if (!tls) config.requirePlain(name());   // the exercises but e7 are plain TCP
        return starter.start(config);
    }

    /** Over TLS only for a TLS exercise; the others refuse it, as a model without TLS does. */
    @Override
    public Link connect(InetSocketAddress server, TlsClient tlsClient) throws IOException {
        return tls ? BlockingClient.connect(server, tlsClient) : Model.super.connect(server, tlsClient);
    }

    @Override
    public Link connect(InetSocketAddress server) throws IOException {
        return BlockingClient.connect(server);
    }

    @Override
    public void load(InetSocketAddress server, LoadRun run) throws InterruptedException {
        // Virtual threads: a load run of the coursework's servers needs no thousand platform threads.
        load(server, run, null);
    }

    @Override
    public void load(InetSocketAddress server, LoadRun run, TlsClient tlsClient) throws InterruptedException {
        if (tlsClient != null && !tls) {
            Model.super.load(server, run, tlsClient);  // refuses, naming the exercise
            return;
        }
        new BlockingClient(Thread.ofVirtual().name("coursework-load-", 0).factory()).load(server, run, tlsClient);
    }
}
