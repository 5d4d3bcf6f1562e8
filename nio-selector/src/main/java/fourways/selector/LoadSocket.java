package fourways.selector;

import fourways.protocol.Closing;
import fourways.protocol.LoadConnection;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;

/**
 * One connection of the selector load client: a non-blocking channel and the bytes it could
 * not write yet; the cost is one small object per connection, no thread, no buffer of its own
 * unless a write was partial; over TLS, a {@link TlsSession} and its buffers.
 *
 * <p>Threads: the client's one thread owns everything here.
 */
final class LoadSocket {
    final LoadConnection load;
    private final SocketChannel channel;
    /** Rule 23: the engine between the socket and the load; null over plain TCP. */
    private final TlsSession tls;
    /** What frames are written to and replies read from: the socket, or the session over it. */
    private final ByteChannel io;
    private final SelectionKey key;
    /** The unwritten tail of a partial write; null when everything went. */
    private ByteBuffer leftover;
    /** Open loop: when this socket is next due, while it waits in the client's schedule. */
    long dueNanos;
    boolean scheduled;

    /** Starts a non-blocking connect; it completes later with OP_CONNECT. */
    LoadSocket(LoadConnection load, InetSocketAddress server, Selector selector, TlsClient tls) throws IOException {
        this.load = load;
        this.channel = SocketChannel.open();
        try {
            this.tls = tls == null ? null : new TlsSession(channel, tls.newEngine(server), server);
            this.io = this.tls == null ? channel : this.tls;
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = channel.connect(server);  // false: "in progress", the usual answer
            this.key = channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
        } catch (IOException | RuntimeException e) {
            close();                                  // a failed connect still holds a descriptor
            throw e;
        }
    }

    /**
     * A step of connecting: OP_CONNECT, then over TLS the handshake. True once ready for the run;
     * false while the key waits (or the delegated tasks run, {@code resume} follows); throws if it failed.
     */
    // tag::tls-load-connect[]
    boolean connect(Executor tlsTasks, Runnable resume) throws IOException {
        if (!channel.isConnected() && !channel.finishConnect()) return false;
        if (tls != null && !tls.handshake(key, tlsTasks, resume)) return false;   // the key waits as the handshake says
        // A connected socket stays "connectable": left registered, OP_CONNECT would wake
        // every select at once, forever. Nothing is wanted until the run starts.
        key.interestOps(0);
        return true;
    }
    // end::tls-load-connect[]

    boolean isConnected() {
        return channel.isConnected();
    }

    /** Connected, and over TLS with its handshake done. */
    boolean ready() {
        return channel.isConnected() && (tls == null || tls.established());
    }

    /**
     * Writes what the socket takes: first the tail of an earlier partial write, then as many
     * new frames as the plan allows now, through the client's one shared buffer.
     */
    void send(ByteBuffer scratch, long now) throws IOException {
        if (tls != null && !tls.flush()) {
            interest(true);                           // records of an earlier frame still wait for room
            return;
        }
        if (leftover != null) {
            io.write(leftover);
            if (leftover.hasRemaining()) {
                interest(true);
                return;
            }
            leftover = null;
        }
        while (true) {
            scratch.clear();
            if (load.writeFrames(scratch, now) == 0) break;
            scratch.flip();
            io.write(scratch);                        // over TLS: wrapped into records, then written
            if (scratch.hasRemaining()) {
                // A partial write: the socket buffer is full. The shared buffer is needed by the
                // next connection, so the tail moves to a buffer of this socket's own.
                leftover = ByteBuffer.allocate(scratch.remaining()).put(scratch).flip();
                interest(true);
                return;
            }
        }
        interest(tls != null && tls.hasPendingOutput());
    }

    /** Reads what has arrived into the shared buffer and checks it (rule 17). */
    void receive(ByteBuffer scratch) throws IOException {
        do {
            scratch.clear();
            int n = io.read(scratch);                 // over TLS: unwrapped; 0 for part of a record
            if (n < 0) {
                load.fail("server closed with " + load.inFlight() + " replies owed");
                return;
            }
            scratch.flip();
            load.onBytes(scratch);
            // Over TLS, whole records the buffer had no room for: no OP_READ will come for them.
        } while (tls != null && tls.hasPendingInput() && !load.done());
    }

    /** OP_READ always; OP_WRITE only while a tail waits, or select would spin on a writable socket. */
    private void interest(boolean writing) {
        int ops = SelectionKey.OP_READ | (writing ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) key.interestOps(ops);
    }

    boolean isReadable() {
        return key.isValid() && key.isReadable();
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /** Over TLS, close_notify first if the socket takes it now (rule 24), so the server sees an end, not a cut. */
    void close() {
        try {
            if (tls != null && tls.established() && channel.isOpen()) tls.closeOutbound();
        } catch (IOException | RuntimeException gone) {
            // the close below is what is left to do
        }
        Closing.quietly(channel);
    }
}
