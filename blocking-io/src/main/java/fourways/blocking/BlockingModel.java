package fourways.blocking;

import fourways.protocol.Link;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;

/** Model 1 behind the seam: blocking sockets, a platform thread per connection. */
public final class BlockingModel implements Model {
    // tag::platform[]
    private static final ThreadFactory PLATFORM = Thread.ofPlatform().name("blocking-", 0).factory();
    /**
     * Up to 16 KiB read at once and 16 KiB of replies per write, during a burst: they save system
     * calls. A waiting connection holds only the floors, a few hundred bytes (protocol's
     * ElasticBuffer), so what limits this model at C10K is its threads, as it should be.
     */
    private static final ThreadPerConnection SERVER =
            new ThreadPerConnection("blocking", PLATFORM, 16 * 1024, 16 * 1024);
    // end::platform[]

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
        return connect(server, null);
    }

    @Override
    public Link connect(InetSocketAddress server, TlsClient tls) throws IOException {
        return BlockingClient.connect(server, tls);
    }

    @Override
    public void load(InetSocketAddress server, LoadRun run) throws InterruptedException {
        load(server, run, null);
    }

    @Override
    public void load(InetSocketAddress server, LoadRun run, TlsClient tls) throws InterruptedException {
        new BlockingClient(PLATFORM).load(server, run, tls);
    }
}
