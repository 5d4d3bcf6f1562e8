package fourways.coursework.e5_connectionlimit;

import fourways.protocol.Closing;
import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import fourways.protocol.OutboundQueue;
import fourways.protocol.ServerConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Exercise 5's echo connection for the selector server: the state kept between readiness events;
 * it costs its queue and no thread.
 *
 * <p>Threads: the selector's loop thread only, {@code onClosed} included.
 */
public final class SelectorEcho {
    private final SocketChannel channel;
    private final SelectionKey key;
    private final FrameDecoder decoder;
    private final OutboundQueue outbound;
    private final Runnable onClosed;
    private boolean inputEnded;
    private boolean closed;

    /** Registers for reads; {@code onClosed} runs once, when this connection closes for whatever reason. */
    public SelectorEcho(SocketChannel channel, Selector selector, ServerConfig config, Runnable onClosed)
            throws ClosedChannelException {
        this.channel = channel;
        this.decoder = new FrameDecoder(config.maxFrame());
        this.outbound = new OutboundQueue(config.maxBacklog());
        this.onClosed = onClosed;
        this.key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    /** The key is ready. A failure costs this connection only (rule 15). */
    public void onReady(ByteBuffer readBuffer) {
        try {
            if (key.isReadable()) read(readBuffer);
            if (key.isValid() && key.isWritable()) write();
        } catch (IOException e) {
            close();
        }
    }

    private void read(ByteBuffer buffer) throws IOException {
        buffer.clear();
        if (channel.read(buffer) < 0) {
            inputEnded = true;                        // rule 6
        } else {
            buffer.flip();
            try {
                decoder.decode(buffer, payload -> outbound.add(Frames.echoReply(payload)));
            } catch (FrameDecoder.FrameTooLongException e) {
                outbound.add(Frames.tooLong());       // rule 4
                inputEnded = true;
            }
        }
        write();
    }

    private void write() throws IOException {
        outbound.writeTo(channel);
        if (inputEnded && outbound.isEmpty()) {
            close();
            return;
        }
        // Exercise 2: OP_WRITE only while bytes wait; rule 11: no reads at the backlog limit.
        boolean reading = !inputEnded && !outbound.atLimit();
        int ops = (reading ? SelectionKey.OP_READ : 0) | (outbound.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (key.interestOps() != ops) key.interestOps(ops);
    }

    /** Idempotent; the key goes with the channel. */
    public void close() {
        if (closed) return;
        closed = true;
        Closing.quietly(channel);
        outbound.clear();
        onClosed.run();
    }
}
