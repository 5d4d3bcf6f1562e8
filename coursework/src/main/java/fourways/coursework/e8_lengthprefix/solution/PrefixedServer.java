package fourways.coursework.e8_lengthprefix.solution;

import fourways.coursework.ThreadPerSocket;
import fourways.protocol.Frames;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Exercise 8's solution: the length-prefixed echo on a thread per connection (blocking-io's
 * model), where {@code readFully} does what a delimiter's decoder did; it costs a thread per
 * client and, per connection, one frame's bytes at a time, never more than the maximum.
 *
 * <p>Threads: each connection's thread owns its streams; {@link ThreadPerSocket} owns the rest.
 */
public final class PrefixedServer {
    /** Rule 4's error, as this protocol frames it: a length, then the text without "<EOF>". */
    private static final byte[] TOO_LONG = "ERROR frame too long".getBytes(StandardCharsets.US_ASCII);

    private PrefixedServer() {}

    public static Server start(ServerConfig config) throws IOException {
        return new ThreadPerSocket(config, Thread.ofPlatform().name("e8-", 0).factory(),
                socket -> serve(socket, config.maxFrame()));
    }

    // tag::serve[]
    /** One connection, on its own thread; the socket is closed by ThreadPerSocket when it returns. */
    static void serve(Socket socket, int maxFrame) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        while (true) {
            long length;
            try {
                // Four bytes, however TCP cut them: readFully waits for the rest, as the decoder did.
                length = Integer.toUnsignedLong(in.readInt());   // unsigned: 0xFFFFFFFF is 4 GiB, not -1
            } catch (EOFException endOfInput) {
                break;                                // rule 6: between frames, or mid-length: done
            }
            if (length > maxFrame) {
                // Rule 4, and the prefix's gift: refused before a byte of the payload is read or held.
                writeFrame(out, TOO_LONG, new byte[0], 0);
                break;
            }
            byte[] payload = new byte[(int) length];
            try {
                in.readFully(payload);
            } catch (EOFException endOfInput) {
                break;                                // rule 6: a partial frame is dropped
            }
            writeFrame(out, Frames.ECHO_PREFIX, payload, (int) length);
            // Flush only when nothing more is waiting: pipelined frames leave in one write.
            if (in.available() == 0) out.flush();
        }
        out.flush();                                  // the owed replies, then ThreadPerSocket's close
    }

    private static void writeFrame(DataOutputStream out, byte[] head, byte[] payload, int length) throws IOException {
        out.writeInt(head.length + length);
        out.write(head);
        out.write(payload, 0, length);
    }
    // end::serve[]
}
