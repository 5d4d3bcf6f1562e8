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
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The baseline behind the seam: the echo server written on Netty, what a user would pick
 * instead of writing any of the four. Server side only, echo only: the models' clients measure it.
 */
public final class NettyModel implements Model {

    /**
     * Netty's transports: the JDK's selector, which runs everywhere, or the platform's own
     * through Netty's JNI (epoll on Linux, kqueue on macOS), what a Netty user there would pick.
     */
    public enum Transport {
        NIO, EPOLL, KQUEUE;

        /** A native transport needs its library for this OS and CPU; NIO runs everywhere. */
        public boolean isAvailable() {
            return switch (this) {
                case NIO -> true;
                case EPOLL -> Epoll.isAvailable();
                case KQUEUE -> KQueue.isAvailable();
            };
        }

        /** Why {@link #isAvailable()} is false, for a human. */
        public String whyUnavailable() {
            if (isAvailable()) return "available";
            return String.valueOf(this == EPOLL ? Epoll.unavailabilityCause() : KQueue.unavailabilityCause());
        }

        /** The native transport that loads here, or NIO: the baseline of this platform. */
        public static Transport nativeOrNio() {
            return EPOLL.isAvailable() ? EPOLL : KQUEUE.isAvailable() ? KQUEUE : NIO;
        }

        IoHandlerFactory ioHandlers() {
            return switch (this) {
                case NIO -> NioIoHandler.newFactory();
                case EPOLL -> EpollIoHandler.newFactory();
                case KQUEUE -> KQueueIoHandler.newFactory();
            };
        }

        Class<? extends ServerChannel> serverChannel() {
            return switch (this) {
                case NIO -> NioServerSocketChannel.class;
                case EPOLL -> EpollServerSocketChannel.class;
                case KQUEUE -> KQueueServerSocketChannel.class;
            };
        }
    }

    private final Transport transport;
    private final NettyTls.Provider provider;

    public NettyModel(Transport transport) {
        this(transport, NettyTls.Provider.JDK);
    }

    /** @param provider the engine under the {@code SslHandler} when the server is started with TLS */
    public NettyModel(Transport transport, NettyTls.Provider provider) {
        this.transport = transport;
        this.provider = provider;
    }

    @Override
    public String name() {
        return "netty-" + transport.name().toLowerCase(java.util.Locale.ROOT);
    }

    public Transport transport() {
        return transport;
    }

    public NettyTls.Provider provider() {
        return provider;
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
        return new NettyServer(config, transport,
                config.tlsEnabled() ? NettyTls.serverContext(config.tls(), provider) : null);
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
                .findFirst().orElse("4.2") + ": one boss loop, worker loops = Netty's default, 2 per CPU the"
                + " server may use (2 when it is pinned to one CPU, " + 2 * Runtime.getRuntime().availableProcessors()
                + " unpinned on this machine), transport: this platform's native one where it"
                + " loads (" + Transport.nativeOrNio().name().toLowerCase(java.util.Locale.ROOT) + " here), and NIO"
                + " where the run names it (--full does);"
                + " pipeline: stock DelimiterBasedFrameDecoder(<EOF>, strip) then an echo handler that writes"
                + " each reply and flushes once per read batch (channelReadComplete); TCP_NODELAY,"
                + " half-closure allowed, write-buffer water marks for rule 11; over TLS, an SslHandler"
                + " first (after the idle timer), from SslContextBuilder.forServer with TLS 1.3 and 1.2, its"
                + " engine the JDK's (-tls-jdk) or BoringSSL through netty-tcnative (-tls-openssl, "
                + (NettyTls.Provider.OPENSSL.isAvailable() ? "loads here" : "does not load here") + ")";
    }
}
