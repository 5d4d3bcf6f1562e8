package fourways.protocol;

import java.net.InetSocketAddress;

/** A running server of any model: what {@link Model#start} returns. */
public interface Server extends AutoCloseable {

    /** The address it accepts on; with port 0, the port the system picked. */
    InetSocketAddress address();

    /**
     * Rule 14: stops accepting, closes every connection, frees the port, and returns only once
     * every thread the server started has ended. Idempotent.
     */
    @Override
    void close();
}
