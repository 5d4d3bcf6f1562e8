package fourways.coursework.e8_lengthprefix.starter;

import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.IOException;

/**
 * Exercise 8's starter: an echo server whose frames carry their length in front instead of an
 * {@code <EOF>} behind; not written yet, so it costs nothing and serves no one.
 *
 * <p>Your task: make {@code ./mvnw -q -pl coursework -am test -Dexercise=e8} pass, in the model
 * of your choice: a thread per connection ({@code fourways.coursework.ThreadPerSocket} is there
 * for it), a selector, NIO2 or virtual threads. The wire format, for every frame both ways:
 *
 * <pre>
 *   length   4 bytes, big-endian, unsigned: how many bytes follow
 *   payload  that many bytes, any bytes at all ("&lt;EOF&gt;" and zeros included)
 * </pre>
 *
 * The reply to payload {@code P} is one frame whose payload is {@code "Server return :"} then
 * {@code P}. A length over {@code config.maxFrame()} gets one frame, {@code "ERROR frame too
 * long"}, and a close, without waiting for the payload it announces. At end of input the owed
 * replies go out, then the close (rules 4 and 6, as in the {@code <EOF>} protocol).
 *
 * <p>Before you write: which of the delimiter's traps (chapter 3) are gone, which stay, and
 * which are new? Write your answer down; chapter 9's e8 asks it again.
 */
public final class PrefixedServer {
    private PrefixedServer() {}

    public static Server start(ServerConfig config) throws IOException {
        throw new UnsupportedOperationException(
                "exercise 8 is not started yet: PrefixedServer.start is yours to write, in the model of your choice");
    }
}
