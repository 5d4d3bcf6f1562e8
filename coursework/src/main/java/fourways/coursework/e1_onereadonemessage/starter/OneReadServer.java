package fourways.coursework.e1_onereadonemessage.starter;

import fourways.coursework.ThreadPerSocket;
import fourways.protocol.Frames;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Exercise 1's starter: a blocking echo server, a thread per connection, that believes each
 * {@code read()} returns exactly one frame; it costs a thread per client, and it is wrong.
 *
 * <p>Your task: make {@link #serve} pass {@code ./mvnw -q -pl coursework -am test -Dexercise=e1}.
 * A frame may come in many reads, several frames in one read, a character or the {@code <EOF>}
 * itself split between two (rule 3); a frame longer than {@code config.maxFrame()} gets the
 * error frame and a close (rule 4); at end of input the owed replies go out first (rule 6).
 */
public final class OneReadServer {
    private OneReadServer() {}

    public static Server start(ServerConfig config) throws IOException {
        return new ThreadPerSocket(config, Thread.ofPlatform().name("e1-", 0).factory(),
                socket -> serve(socket, config));
    }

    // tag::serve[]
    /** One connection, on its own thread. */
    static void serve(Socket socket, ServerConfig config) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            // One read, one message: the bytes that came, less the "<EOF>" they surely end with.
            int payload = Math.max(0, n - Frames.DELIMITER.length);
            out.write(Frames.ECHO_PREFIX);
            out.write(buffer, 0, payload);
            out.write(Frames.DELIMITER);
        }
    }
    // end::serve[]
}
