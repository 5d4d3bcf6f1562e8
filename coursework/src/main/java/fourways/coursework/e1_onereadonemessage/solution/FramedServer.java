package fourways.coursework.e1_onereadonemessage.solution;

import fourways.coursework.ThreadPerSocket;
import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * Exercise 1's solution: the same blocking server, a thread per connection, with an incremental
 * decoder between {@code read()} and the replies; it costs the decoder's carried bytes, at most
 * one unfinished frame per connection.
 */
public final class FramedServer {
    private static final int BUFFER = 8192;

    private FramedServer() {}

    public static Server start(ServerConfig config) throws IOException {
        return new ThreadPerSocket(config, Thread.ofPlatform().name("e1-", 0).factory(),
                socket -> serve(socket, config));
    }

    // tag::serve[]
    /** One connection, on its own thread. */
    static void serve(Socket socket, ServerConfig config) throws IOException {
        InputStream in = socket.getInputStream();
        // Every reply one read produced leaves in one write, however many frames the read held.
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
        // Rule 3: the decoder carries an unfinished frame, and a half-seen "<EOF>", to the next read.
        FrameDecoder decoder = new FrameDecoder(config.maxFrame());
        byte[] buffer = new byte[BUFFER];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            try {
                decoder.decode(ByteBuffer.wrap(buffer, 0, n), payload -> reply(out, payload));
            } catch (FrameDecoder.FrameTooLongException e) {
                out.write(Frames.TOO_LONG);           // rule 4: after the replies owed, then close
                break;
            }
            out.flush();
        }
        // Rule 6: at end of input what is owed goes out (a partial frame is simply dropped);
        // the socket is closed by ThreadPerSocket when we return.
        out.flush();
    }

    /** Rule 5: the payload's own bytes behind the prefix; nothing is decoded as text (rule 2). */
    private static void reply(OutputStream out, ByteBuffer payload) {
        try {
            out.write(Frames.ECHO_PREFIX);
            out.write(payload.array(), payload.arrayOffset() + payload.position(), payload.remaining());
            out.write(Frames.DELIMITER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);        // out of the decoder; ThreadPerSocket closes the socket
        }
    }
    // end::serve[]
}
