package fourways.protocol;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * What a transport offers the protocol for one connection: a way to send, and a way to end it.
 * Each module implements this in its own model; the services in {@link Session} use nothing else.
 */
// tag::connection[]
public interface Connection {

    /** The client's address, as sink prints it (rule 8). */
    InetSocketAddress remote();

    /**
     * Queues bytes produced by this connection's own input (an echo reply, the error frame).
     * Called only from the code that reads this connection. Never refused: a transport keeps
     * the backlog bounded by not reading while it is at the limit (rule 11). The transport
     * copies {@code bytes} before it returns (into its write buffer, its stream's buffer, its
     * queue), so the caller may reuse the buffer for the next reply: no garbage per frame.
     */
    void reply(ByteBuffer bytes);

    /**
     * Queues a frame from another connection (chat). May be called from any thread, and must
     * not block (rule 10): a slow reader never delays the sender.
     *
     * @return false, queueing nothing, when the frame would take this connection's unsent
     *     bytes past the backlog limit (rule 12); the caller then disconnects it
     */
    boolean deliver(ByteBuffer frame);

    /** Closes the connection now, dropping whatever is queued. Any thread; idempotent. */
    void abort();
}
// end::connection[]
