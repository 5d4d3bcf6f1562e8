package fourways.bench.netty;

import fourways.protocol.Frames;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The echo server on Netty 4.2: one boss event loop accepts, a few worker event loops (twice
 * the cores unless told) each run a selector over their share of the connections. Its cost
 * is the reactor's, a channel, a pipeline and pooled buffers per connection, with the reactor
 * written and tuned by someone else.
 *
 * <p>The stock {@code DelimiterBasedFrameDecoder} differs from our own {@code FrameDecoder} in
 * two ways, kept because a Netty user meets them too. It searches the whole buffered frame
 * again on each read: B04_Decoder shows the cost, quadratic in a frame that arrives in many
 * reads. And it counts a delimiter's first bytes as payload, so a payload of exactly the
 * maximum whose {@code <EOF>} is split between two reads gets the error frame, where rule 4
 * accepts it (a limit of maximum + 4 would fix that, and break the other half of rule 4: a
 * payload one byte too long is then refused only 4 bytes later). NettyEchoRulesTest skips the
 * two tests these differences decide (the second: a one-shot client streaming an 8 MiB frame)
 * and says why.
 *
 * <p>Everything per connection lives in its pipeline and runs on the one event loop the
 * channel was given, so no handler needs a lock. This class's fields are set once, in the
 * constructor.
 */
final class NettyServer implements Server {
    private static final int LISTEN_BACKLOG = 4_096;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel listener;

    /** @param tls the server's TLS context, or null for plain TCP */
    NettyServer(ServerConfig config, NettyModel.Transport transport, SslContext tls) throws IOException {
        boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("netty-boss"), transport.ioHandlers());
        workers = new MultiThreadIoEventLoopGroup(config.threads(), new DefaultThreadFactory("netty-worker"),
                transport.ioHandlers());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, LISTEN_BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)           // a restarted server must not wait out TIME_WAIT
                .childOption(ChannelOption.TCP_NODELAY, true)        // small replies; Nagle would hold them back
                // Rule 6: without this, Netty closes the channel as soon as the client half-closes,
                // before the replies it still owes are written.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                // Rules 10 and 11: the channel turns unwritable once this many bytes wait to be
                // written; EchoHandler then stops reading until it turns writable again.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.maxBacklog() / 2, config.maxBacklog()))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        if (config.idleTimeoutEnabled()) {
                            // Rule 13: no byte read or written for the timeout fires an event; EchoHandler closes.
                            pipeline.addLast(new IdleStateHandler(0, 0, config.idleTimeout().toMillis(),
                                    TimeUnit.MILLISECONDS));
                        }
                        if (tls != null) {
                            // Rule 21: TLS under everything that reads frames. After the idle timer,
                            // not before it: the timer then sees the handshake's bytes too, and a
                            // client that sends half a ClientHello is closed at the timeout.
                            pipeline.addLast(tls.newHandler(channel.alloc()));
                        }
                        // Rules 1, 3, 4: the stock decoder, the delimiter stripped from each frame.
                        pipeline.addLast(new DelimiterBasedFrameDecoder(config.maxFrame(), true,
                                Unpooled.wrappedBuffer(Frames.DELIMITER)));
                        pipeline.addLast(new EchoHandler(config.oneShot()));
                    }
                });
        try {
            listener = bootstrap.bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
        } catch (Exception e) {
            // The port is taken, or the address is not ours: give back every thread started so far.
            shutdown();
            if (e instanceof IOException io) throw io;
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /**
     * Rule 14: the listener first, so nothing new arrives; then shutting the event loops down
     * closes every channel registered with them, and waiting for their termination waits for
     * their threads. Idempotent: Netty ignores a second shutdown.
     */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        shutdown();
    }

    private void shutdown() {
        // No quiet period: the server is closing now, not waiting for a lull in the traffic.
        boss.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 5, TimeUnit.SECONDS);
        boss.terminationFuture().syncUninterruptibly();
        workers.terminationFuture().syncUninterruptibly();
    }
}
