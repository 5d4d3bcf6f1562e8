package fourways.coursework.e5_connectionlimit;

import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * Exercise 5's echo connection for the blocking servers: read, decode, reply, on the connection's
 * own thread, which it costs for the connection's whole life.
 */
public final class BlockingEcho {
    private BlockingEcho() {}

    /** Serves until the client ends its input (rule 6) or sends too long a frame (rule 4). */
    public static void serve(Socket socket, int maxFrame) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        FrameDecoder decoder = new FrameDecoder(maxFrame);
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            try {
                decoder.decode(ByteBuffer.wrap(buffer, 0, n), payload -> {
                    ByteBuffer reply = Frames.echoReply(payload);
                    try {
                        out.write(reply.array(), 0, reply.limit());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);   // out of the decoder; the caller closes
                    }
                });
            } catch (FrameDecoder.FrameTooLongException e) {
                out.write(Frames.TOO_LONG);
                break;
            }
            out.flush();
        }
        out.flush();
    }
}
