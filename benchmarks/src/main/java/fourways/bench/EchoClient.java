package fourways.bench;

import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The one client of B01 and B03: a blocking {@link SocketChannel} in the measuring thread,
 * the same for every server, so that a difference in the figures is the server's. Costs the
 * measuring thread, blocked in {@code read} while it waits.
 *
 * <p>One thread at a time.
 */
final class EchoClient implements AutoCloseable, FrameDecoder.Handler {
    private final SocketChannel channel;
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    private final FrameDecoder decoder;
    private int replies;
    private int replyBytes;

    EchoClient(InetSocketAddress server, int maxPayload) throws IOException {
        channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);   // one small frame must leave now
            channel.connect(server);
        } catch (IOException e) {
            channel.close();                                           // a failed connect still holds a descriptor
            throw e;
        }
        decoder = new FrameDecoder(Frames.ECHO_PREFIX.length + maxPayload);
    }

    /** Rule 5: sends one frame and waits for its reply; returns the reply's length. */
    int roundTrip(ByteBuffer frame) throws IOException {
        frame.rewind();
        while (frame.hasRemaining()) {
            channel.write(frame);                                      // a blocking write may still be partial
        }
        int before = replies;
        while (replies == before) {
            if (readSome() < 0) throw new EOFException("the server closed before its reply");
        }
        return replyBytes;
    }

    /** Rule 7: reads the reply and then until the server closes; returns the reply's length. */
    int replyThenClose() throws IOException {
        while (readSome() >= 0) {
            // A one-shot server sends its reply and FIN; -1 is the FIN.
        }
        if (replies != 1) throw new EOFException("the one-shot server sent " + replies + " replies");
        return replyBytes;
    }

    private int readSome() throws IOException {
        in.clear();
        int n = channel.read(in);
        if (n > 0) {
            in.flip();
            try {
                decoder.decode(in, this);
            } catch (FrameDecoder.FrameTooLongException e) {
                throw new IOException("reply too long", e);
            }
        }
        return n;
    }

    @Override
    public void onFrame(ByteBuffer reply) {
        replies++;
        replyBytes = reply.remaining();
    }

    void send(ByteBuffer frame) throws IOException {
        frame.rewind();
        while (frame.hasRemaining()) channel.write(frame);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** {@code size} payload bytes ('x') and the delimiter, ready to send again and again. */
    static ByteBuffer frame(int size) {
        byte[] payload = new byte[size];
        java.util.Arrays.fill(payload, (byte) 'x');
        return ByteBuffer.wrap(Frames.frame(payload));
    }
}
