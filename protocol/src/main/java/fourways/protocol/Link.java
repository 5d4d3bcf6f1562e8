package fourways.protocol;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One client connection of message mode (rule 16), in whatever model the module uses. Both
 * methods wait for their result, as the C# AsynchronousClient waits on its events.
 */
public interface Link extends Closeable {

    /** Sends every remaining byte of {@code bytes}. */
    void send(ByteBuffer bytes) throws IOException;

    /** Reads some bytes into {@code into}; returns how many, or -1 once the server has closed. */
    int receive(ByteBuffer into) throws IOException;
}
