package fourways.blocking;

import fourways.protocol.Link;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;

/** Model 1 behind the seam: blocking sockets, a platform thread per connection. */
public final class BlockingModel implements Model {
    private static final ThreadFactory PLATFORM = Thread.ofPlatform().name("blocking-", 0).factory();
    /**
     * Beside a platform thread's stack (a megabyte reserved), 80 KiB of buffers per connection
     * cost little and save system calls: 16 KiB to read into, 64 KiB of replies per write.
     */
    private static final ThreadPerConnection SERVER =
            new ThreadPerConnection("blocking", PLATFORM, 16 * 1024, 64 * 1024);

    @Override
    public String name() {
        return "blocking-io";
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
        new BlockingClient(PLATFORM).load(server, run);
    }
}
