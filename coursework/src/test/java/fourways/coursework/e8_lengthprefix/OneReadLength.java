package fourways.coursework.e8_lengthprefix;

import fourways.coursework.ThreadPerSocket;
import fourways.protocol.Frames;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * A wrong answer to exercise 8, for CourseworkSelfTest: it takes one {@code read()} for the
 * whole 4-byte length (the delimiter's trap, moved into the prefix), and compares the length as
 * a signed {@code int}, so that {@code 0xFFFFFFFF} is -1 and passes the maximum. The checker's
 * top-bit length rejects it every time; its cuts only when the server's read falls between a
 * cut's two halves, as loopback often but not always makes it.
 */
final class OneReadLength {
    private OneReadLength() {}

    static Server start(ServerConfig config) throws IOException {
        return new ThreadPerSocket(config, Thread.ofPlatform().name("e8-wrong-", 0).factory(), socket -> serve(socket, config));
    }

    private static void serve(Socket socket, ServerConfig config) throws IOException {
        InputStream raw = socket.getInputStream();
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        byte[] header = new byte[4];
        while (raw.read(header) > 0) {                    // wrong: a read may return 1 to 3 bytes
            int length = ByteBuffer.wrap(header).getInt();
            if (length > config.maxFrame()) {             // wrong: -1 is not over the maximum
                out.writeInt(20);
                out.write(Frames.TOO_LONG, 0, 20);
                return;
            }
            byte[] payload = new byte[length];            // NegativeArraySizeException: ThreadPerSocket closes
            new DataInputStream(raw).readFully(payload);
            out.writeInt(Frames.ECHO_PREFIX.length + length);
            out.write(Frames.ECHO_PREFIX);
            out.write(payload);
        }
    }
}
