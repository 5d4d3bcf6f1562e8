package fourways.coursework;

import fourways.blocking.BlockingClient;
import fourways.protocol.Link;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
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

    public ExerciseModel(String name, ServerStarter starter) {
        this.name = name;
        this.starter = starter;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Server start(ServerConfig config) throws IOException {
        config.requirePlain(name());             // the exercises are plain TCP
        return starter.start(config);
    }

    @Override
    public Link connect(InetSocketAddress server) throws IOException {
        return BlockingClient.connect(server);
    }

    @Override
    public void load(InetSocketAddress server, LoadRun run) throws InterruptedException {
        // Virtual threads: a load run of the coursework's servers needs no thousand platform threads.
        new BlockingClient(Thread.ofVirtual().name("coursework-load-", 0).factory()).load(server, run);
    }
}
