package fourways.selector;

import fourways.protocol.Closing;
import fourways.protocol.LoadConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One connection of the selector load client: a non-blocking channel and the bytes it could
 * not write yet; the cost is one small object per connection, no thread, no buffer of its own
 * unless a write was partial.
 *
 * <p>Threads: the client's one thread owns everything here.
 */
final class LoadSocket {
    final LoadConnection load;
    private final SocketChannel channel;
    private final SelectionKey key;
    /** The unwritten tail of a partial write; null when everything went. */
    private ByteBuffer leftover;
    /** Open loop: when this socket is next due, while it waits in the client's schedule. */
    long dueNanos;
    boolean scheduled;

    /** Starts a non-blocking connect; it completes later with OP_CONNECT. */
    LoadSocket(LoadConnection load, InetSocketAddress server, Selector selector) throws IOException {
        this.load = load;
        this.channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = channel.connect(server);  // false: "in progress", the usual answer
            this.key = channel.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
        } catch (IOException | RuntimeException e) {
            close();                                  // a failed connect still holds a descriptor
            throw e;
        }
    }

    /** OP_CONNECT fired: true once connected, false if still in progress; throws if it failed. */
    boolean finishConnect() throws IOException {
        if (!channel.finishConnect()) return false;
        // A connected socket stays "connectable": left registered, OP_CONNECT would wake
        // every select at once, forever. Nothing is wanted until the run starts.
        key.interestOps(0);
        return true;
    }

    boolean isConnected() {
        return channel.isConnected();
    }

    /**
     * Writes what the socket takes: first the tail of an earlier partial write, then as many
     * new frames as the plan allows now, through the client's one shared buffer.
     */
    void send(ByteBuffer scratch, long now) throws IOException {
        if (leftover != null) {
            channel.write(leftover);
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
            channel.write(scratch);
            if (scratch.hasRemaining()) {
                // A partial write: the socket buffer is full. The shared buffer is needed by the
                // next connection, so the tail moves to a buffer of this socket's own.
                leftover = ByteBuffer.allocate(scratch.remaining()).put(scratch).flip();
                interest(true);
                return;
            }
        }
        interest(false);
    }

    /** Reads what has arrived into the shared buffer and checks it (rule 17). */
    void receive(ByteBuffer scratch) throws IOException {
        scratch.clear();
        int n = channel.read(scratch);
        if (n < 0) {
            load.fail("server closed with " + load.inFlight() + " replies owed");
            return;
        }
        scratch.flip();
        load.onBytes(scratch);
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

    void close() {
        Closing.quietly(channel);
    }
}
