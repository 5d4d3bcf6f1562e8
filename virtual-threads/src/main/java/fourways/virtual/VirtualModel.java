package fourways.virtual;

import fourways.blocking.BlockingClient;
import fourways.blocking.BlockingServer;
import fourways.blocking.ThreadPerConnection;
import fourways.protocol.Link;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;

/** Model 3 behind the seam: blocking-io's code on virtual threads (draft). */
public final class VirtualModel implements Model {
    private static final ThreadFactory VIRTUAL = Thread.ofVirtual().name("virtual-", 0).factory();
    private static final ThreadPerConnection SERVER = new ThreadPerConnection("virtual", VIRTUAL, 8 * 1024, 8 * 1024);

    @Override
    public String name() {
        return "virtual-threads";
    }

    @Override
    public Server start(ServerConfig config) throws IOException {
        return new BlockingServer(config, SERVER);
    }

    @Override
    public Link connect(InetSocketAddress server) throws IOException {
        return BlockingClient.connect(server);
    }

    @Override
    public void load(InetSocketAddress server, LoadRun run) throws InterruptedException {
        new BlockingClient(VIRTUAL).load(server, run);
    }
}
