package fourways.selector;

import fourways.protocol.Closing;
import fourways.protocol.Link;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Message mode over TLS (rules 16 and 23) in the selector model: one non-blocking channel, a
 * selector of its own to wait on, and the module's {@link TlsSession}; the cost is a selector
 * (and its descriptors) per connection, which message mode, one connection at a time, affords.
 *
 * <p>Threads: the caller's. {@link #close} may come from another (the reply deadline): closing
 * the selector wakes a wait in progress, which then ends as a close.
 */
final class TlsLink implements Link {
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final TlsSession tls;

    private TlsLink(SocketChannel channel, Selector selector, TlsSession tls) throws IOException {
        this.channel = channel;
        this.selector = selector;
        this.tls = tls;
        this.key = channel.register(selector, 0);
    }

    /** Connects, then completes the handshake, both within {@code timeoutMillis}: a bad certificate fails here. */
    static Link connect(InetSocketAddress server, TlsClient client, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        SocketChannel channel = SocketChannel.open();
        Selector selector = null;
        try {
            channel.socket().connect(server, timeoutMillis);      // blocking, with a timeout; then non-blocking
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            selector = Selector.open();
            TlsLink link = new TlsLink(channel, selector, new TlsSession(channel, client.newEngine(server), server));
            // tag::tls-link-handshake[]
            // No loop to keep free here: this thread is the connection's own, as an SSLSocket's
            // is, so the delegated tasks run on it, and then the handshake goes on at once.
            while (!link.tls.handshake(link.key, Runnable::run, () -> { })) {
                if (link.key.interestOps() != 0) link.await(deadline);
            }
            // end::tls-link-handshake[]
            return link;
        } catch (IOException | RuntimeException e) {
            Closing.quietly(channel);                 // a failed connect or handshake still holds a descriptor
            if (selector != null) Closing.quietly(selector);
            throw e;
        }
    }

    @Override
    public void send(ByteBuffer bytes) throws IOException {
        key.interestOps(SelectionKey.OP_WRITE);
        while (true) {
            tls.write(bytes);
            if (!bytes.hasRemaining() && tls.flush()) return;
            await(0);                                 // the socket is full: wait for room, not in a loop
        }
    }

    @Override
    public int receive(ByteBuffer into) throws IOException {
        key.interestOps(SelectionKey.OP_READ);
        while (true) {
            int n = tls.read(into);
            // 0: part of a record, or a record with no data (a session ticket): wait for more.
            if (n != 0 || !into.hasRemaining()) return n;
            if (!tls.hasPendingInput()) await(0);
        }
    }

    /** Waits for the key's interest, until {@code deadline} (0: no deadline). */
    private void await(long deadline) throws IOException {
        try {
            long left = deadline == 0 ? 0 : Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (deadline != 0 && deadline - System.nanoTime() <= 0) {
                throw new SocketTimeoutException("TLS handshake timed out");
            }
            selector.select(left);
            selector.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            throw new AsynchronousCloseException();   // close() from the reply deadline
        }
        if (!channel.isOpen()) throw new AsynchronousCloseException();
    }

    /** Rule 24: close_notify, if the socket takes it now, then the close; never waits. */
    @Override
    public void close() throws IOException {
        try {
            tls.closeOutbound();
        } catch (IOException | RuntimeException peerGone) {
            // the close below is all that is left to do
        } finally {
            Closing.quietly(selector);
            channel.close();
        }
    }
}
