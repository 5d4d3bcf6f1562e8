package fourways.bench.netty;

import fourways.protocol.Link;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The baseline behind the seam: the echo server written on Netty, what a user would pick
 * instead of writing any of the four. Server side only, echo only: the models' clients measure it.
 */
public final class NettyModel implements Model {

    /** Netty's two transports here: the JDK's selector, or Linux epoll through Netty's own JNI. */
    public enum Transport {
        NIO, EPOLL;

        /** Epoll needs its native library for this OS and CPU; NIO runs everywhere. */
        public boolean isAvailable() {
            return this == NIO || Epoll.isAvailable();
        }

        /** Why {@link #isAvailable()} is false, for a human. */
        public String whyUnavailable() {
            return this == NIO || Epoll.isAvailable() ? "available" : String.valueOf(Epoll.unavailabilityCause());
        }

        IoHandlerFactory ioHandlers() {
            return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        }

        Class<? extends ServerChannel> serverChannel() {
            return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        }
    }

    private final Transport transport;

    public NettyModel(Transport transport) {
        this.transport = transport;
    }

    @Override
    public String name() {
        return "netty-" + transport.name().toLowerCase(java.util.Locale.ROOT);
    }

    public Transport transport() {
        return transport;
    }

    @Override
    public Server start(ServerConfig config) throws IOException {
        if (config.service() != ServerConfig.Service.ECHO) {
            // A clear refusal beats a server that silently echoes where sink or chat was asked for.
            throw new UnsupportedOperationException("the Netty baseline serves echo only (rules 5 to 7), not "
                    + config.service().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!transport.isAvailable()) {
            throw new IOException(name() + " is not available here: " + transport.whyUnavailable());
        }
        return new NettyServer(config, transport);
    }

    @Override
    public Link connect(InetSocketAddress server) {
        throw new UnsupportedOperationException("the Netty baseline is a server only; use a module's client");
    }

    @Override
    public void load(InetSocketAddress server, LoadRun run) {
        throw new UnsupportedOperationException("the Netty baseline is a server only; use a module's client");
    }

    @Override
    public ThreadsOption threadsOption() {
        return new ThreadsOption("--threads", "Event loop threads for the connections; 0: Netty's default, twice the cores.");
    }

    /**
     * The baseline as the results header states it: what a Netty user would write, nothing
     * tuned (NettyServer has the code).
     */
    public static String describe() {
        return "Netty " + io.netty.util.Version.identify().values().stream().map(v -> v.artifactVersion())
                .findFirst().orElse("4.2") + ": one boss loop, worker loops = Netty's default (2 x cores = "
                + 2 * Runtime.getRuntime().availableProcessors() + "), transport epoll (netty-epoll) or NIO (netty-nio);"
                + " pipeline: stock DelimiterBasedFrameDecoder(<EOF>, strip) then an echo handler that writes"
                + " each reply and flushes once per read batch (channelReadComplete); TCP_NODELAY,"
                + " half-closure allowed, write-buffer water marks for rule 11";
    }
}
