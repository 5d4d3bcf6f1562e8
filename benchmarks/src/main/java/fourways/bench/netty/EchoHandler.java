package fourways.bench.netty;

import fourways.protocol.Frames;
import fourways.protocol.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.TimeUnit;

/**
 * One connection's echo service on Netty: each frame the decoder hands over becomes
 * {@code Server return :} + payload + {@code <EOF>}. Costs one handler object per connection.
 *
 * <p>Threads: every method runs on the channel's event loop, so {@code answered} needs no lock.
 */
final class EchoHandler extends ChannelInboundHandlerAdapter {
    private static final byte[] PREFIX = Frames.ECHO_PREFIX;
    private static final byte[] DELIMITER = Frames.DELIMITER;

    private final boolean oneShot;
    /** Rule 7: the one-shot server has answered its frame. Event loop only. */
    private boolean answered;
    /** Rule 4: the error frame is on its way; nothing after it is answered. Event loop only. */
    private boolean refused;

    EchoHandler(boolean oneShot) {
        this.oneShot = oneShot;
    }

    /** Read, decoded: one payload, the delimiter already stripped. */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf payload = (ByteBuf) msg;
        try {
            if (refused || oneShot && answered) {
                return;                                   // rules 4 and 7: nothing more is answered
            }
            // Rule 5 and rule 2: the payload's own bytes behind the 15-byte prefix, never decoded.
            ByteBuf reply = ctx.alloc().buffer(PREFIX.length + payload.readableBytes() + DELIMITER.length);
            reply.writeBytes(PREFIX).writeBytes(payload).writeBytes(DELIMITER);
            if (oneShot) {
                answered = true;
                lastWordThenLinger(ctx, reply);           // rule 7
                return;
            }
            ctx.write(reply);                             // queued, not yet written: see channelReadComplete
        } finally {
            payload.release();                            // the decoder's frame is ours to free
        }
    }

    /** The read burst is over: one flush (one write system call) for all its replies. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        if (!ctx.channel().isWritable()) {
            // Rule 11: the client is not reading its replies; stop reading its frames. TCP flow
            // control then holds it back, and nothing is lost.
            ctx.channel().config().setAutoRead(false);
        }
    }

    /** Write: the backlog drained below the low water mark; read again (rule 11). */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent) {
            // Rule 6: the client half-closed. Netty writes in order, so closing after an empty
            // write closes after every reply owed. A partial frame stays in the decoder, dropped.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else if (event instanceof IdleStateEvent) {
            ctx.close();                                  // rule 13: nothing read or written for too long
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            if (refused || oneShot && answered) {
                return;                                   // rule 7: a too-long tail is dropped like the rest
            }
            refuse(ctx);
            return;
        }
        // Rule 15: a reset or any other failure costs this connection only: close it.
        ctx.close();
    }

    /**
     * Rule 4: the replies for the frames before it were written first (same pipeline, same
     * order); then the error frame, and the linger. Answer no frame the decoder still hands
     * over, from bytes already read or still coming.
     */
    private void refuse(ChannelHandlerContext ctx) {
        refused = true;
        lastWordThenLinger(ctx, Unpooled.wrappedBuffer(Frames.TOO_LONG));
    }

    /**
     * Rules 4 and 7: the last bytes, then FIN; keep reading (the decoder discards, the handler
     * drops) so that a client still sending sees a clean close, not a reset, and close after the
     * linger if it never closes. Closing at once, with its bytes unread, answered them with a
     * reset: the client's next write failed with "Broken pipe" (NettyEchoRulesTest, rule 4).
     */
    private static void lastWordThenLinger(ChannelHandlerContext ctx, ByteBuf last) {
        ctx.writeAndFlush(last).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();                      // rule 15: the client is gone; so is the connection
                return;
            }
            ((DuplexChannel) f.channel()).shutdownOutput();
            f.channel().eventLoop().schedule(() -> f.channel().close(),
                    Session.ONE_SHOT_LINGER_MILLIS, TimeUnit.MILLISECONDS);
        });
    }
}
