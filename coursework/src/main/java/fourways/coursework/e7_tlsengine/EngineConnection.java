package fourways.coursework.e7_tlsengine;

import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import javax.net.ssl.SSLEngine;

/**
 * Exercise 7's connection, the part you do not edit: one TLS client of the selector server, with
 * its engine, its three buffers, the echo it serves (rule 5) and its writes. What it leaves to
 * you is the engine loop, {@link #onReady}: what to do when the selector says the socket is
 * ready. Each connection costs an engine and three buffers of about 16 KiB.
 *
 * <p>Threads: the loop thread only. A task you run elsewhere comes back through
 * {@link TlsSelectorServer#execute} before it touches any of this.
 */
public abstract class EngineConnection {
    protected static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    protected final SocketChannel channel;
    protected final SSLEngine engine;
    protected final TlsSelectorServer server;
    protected SelectionKey key;
    /** Ciphertext read and not unwrapped yet (write mode): a partial record waits here for its rest. */
    protected ByteBuffer netIn;
    /** Ciphertext wrapped and not written yet (write mode): {@link #flush} writes it. */
    protected ByteBuffer netOut;
    /** Plaintext unwrapped (write mode): {@link #echo} takes it. */
    protected ByteBuffer appIn;
    private final FrameDecoder decoder = new FrameDecoder(Frames.DEFAULT_MAX_FRAME);
    /** Echo replies, plaintext, waiting for room in {@link #netOut}. */
    private final ArrayDeque<ByteBuffer> replies = new ArrayDeque<>();

    protected EngineConnection(SocketChannel channel, SSLEngine engine, TlsSelectorServer server) {
        this.channel = channel;
        this.engine = engine;
        this.server = server;
        // Sized by the engine: a whole record fits in netIn and netOut, its plaintext in appIn.
        netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** Registered for reads: the client speaks first, with its ClientHello. */
    void start() throws IOException {
        key = server.register(channel, this);
        engine.beginHandshake();
    }

    /** The selector says the socket is readable, or writable: yours to write. */
    protected abstract void onReady(SelectionKey key) throws IOException;

    /** The plaintext in {@link #appIn}: each whole frame's echo queued, the buffer emptied. */
    protected void echo() throws IOException {
        appIn.flip();
        try {
            decoder.decode(appIn, payload -> replies.add(Frames.echoReply(payload)));
        } catch (FrameDecoder.FrameTooLongException e) {
            throw new IOException("rule 4: a frame over the maximum", e);   // e7 is about TLS: close
        }
        appIn.clear();
    }

    /**
     * Writes what the socket takes: the ciphertext in {@link #netOut}, then each queued reply,
     * wrapped. Returns whether everything is out; when not, the key asks for {@code OP_WRITE}
     * until it is, and for nothing more than {@code OP_READ} after (exercise 2).
     */
    protected boolean flush() throws IOException {
        while (true) {
            netOut.flip();
            channel.write(netOut);
            netOut.compact();
            if (netOut.position() > 0) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return false;                         // the socket is full: OP_WRITE says when to go on
            }
            ByteBuffer reply = replies.peek();
            if (reply == null) break;
            engine.wrap(reply, netOut);               // netOut is empty and a record's size: it fits
            if (!reply.hasRemaining()) replies.poll();
        }
        key.interestOps(SelectionKey.OP_READ);
        return true;
    }

    /** Rule 24: close_notify (as much of it as the socket takes now), then the close. */
    protected void close() {
        try {
            engine.closeOutbound();
            engine.wrap(EMPTY, netOut);
            netOut.flip();
            channel.write(netOut);
        } catch (IOException e) {
            // The peer is gone or the engine is broken: the close below is all that is left.
        }
        abort();
    }

    /** Closes the channel now; its key goes with it. */
    protected void abort() {
        server.forget(channel);
    }
}
