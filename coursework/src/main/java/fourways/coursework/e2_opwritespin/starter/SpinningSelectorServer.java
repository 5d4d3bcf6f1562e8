package fourways.coursework.e2_opwritespin.starter;

import fourways.coursework.Listening;
import fourways.coursework.e2_opwritespin.Wakeups;
import fourways.protocol.Closing;
import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import fourways.protocol.OutboundQueue;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Exercise 2's starter: one selector thread serves every connection, and every key asks for
 * {@code OP_WRITE} as well as {@code OP_READ}; it costs a whole core, spinning, as soon as one
 * client is connected.
 *
 * <p>Your task: make {@code ./mvnw -q -pl coursework -am test -Dexercise=e2} pass. The replies
 * are right; the loop never sleeps. When is a socket writable, and when does this loop need to
 * know it? Chapter 9's hints go on from there, one question at a time.
 *
 * <p>Threads: the loop thread owns every field, except {@code closing} (set by {@link #close})
 * and {@code wakeups} (read by the checker).
 */
public final class SpinningSelectorServer implements Server, Wakeups {
    private final ServerConfig config;
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final InetSocketAddress address;
    /** One read buffer for the loop: the decoder takes all of it before the next read. */
    private final ByteBuffer readBuffer = ByteBuffer.allocate(16 * 1024);
    private final Thread loop;
    private volatile boolean closing;
    private volatile long wakeups;

    public SpinningSelectorServer(ServerConfig config) throws IOException {
        this.config = config;
        Listening listening = Listening.open(config);     // bound and registered for OP_ACCEPT
        this.selector = listening.selector();
        this.listener = listening.listener();
        this.address = listening.address();
        this.loop = Thread.ofPlatform().name("e2-selector").start(this::run);
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public long wakeups() {
        return wakeups;
    }

    /** The loop: sleep until something is ready, handle it, sleep again. */
    private void run() {
        try {
            while (!closing) {
                selector.select();
                wakeups++;                            // only this thread writes it
                for (SelectionKey key : selector.selectedKeys()) handle(key);
                selector.selectedKeys().clear();      // the selector only adds to this set
            }
        } catch (IOException e) {
            // The selector itself failed: this loop cannot go on; the finally closes everything.
        } finally {
            for (SelectionKey key : selector.keys()) Closing.quietly(key.channel());
            Closing.quietly(selector);                // deregisters the closed channels: their descriptors go
        }
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) return;                   // closed earlier in this same turn
        if (key.isAcceptable()) {
            accept();
            return;
        }
        Client client = (Client) key.attachment();
        try {
            if (key.isReadable()) client.read();
            if (key.isValid() && key.isWritable()) client.write();
        } catch (IOException e) {
            Closing.quietly(key.channel());           // rule 15: a reset costs this connection only
        }
    }

    private void accept() {
        try {
            for (SocketChannel channel; (channel = listener.accept()) != null; ) {
                try {
                    channel.configureBlocking(false);
                    new Client(channel);
                } catch (IOException e) {
                    Closing.quietly(channel);         // reset before we registered it: this one only
                }
            }
        } catch (IOException e) {
            // Out of descriptors, say. The listener stays ready and we try again next turn; a real
            // server pauses accepting for a moment instead (nio-selector's SelectorServer does).
        }
    }

    /** One connection: its decoder, its unsent replies, and what it waits for. Loop thread only. */
    private final class Client {
        private final SocketChannel channel;
        private final SelectionKey key;
        private final FrameDecoder decoder = new FrameDecoder(config.maxFrame());
        private final OutboundQueue outbound = new OutboundQueue(config.maxBacklog());
        /** A read of -1, or rule 4's error: nothing more is read; what is owed goes out, then close. */
        private boolean inputEnded;

        // tag::register[]
        Client(SocketChannel channel) throws ClosedChannelException {
            this.channel = channel;
            // Ready for anything: the loop writes the replies whenever the socket can take them.
            this.key = channel.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE, this);
        }
        // end::register[]

        void read() throws IOException {
            readBuffer.clear();
            if (channel.read(readBuffer) < 0) {
                inputEnded = true;                    // rule 6: the owed replies, then the close
            } else {
                readBuffer.flip();
                try {
                    decoder.decode(readBuffer, payload -> outbound.add(Frames.echoReply(payload)));
                } catch (FrameDecoder.FrameTooLongException e) {
                    outbound.add(Frames.tooLong());   // rule 4: after the replies owed
                    inputEnded = true;
                }
            }
            // The replies wait in the queue: OP_WRITE will say when the socket can take them.
        }

        // tag::write[]
        void write() throws IOException {
            outbound.writeTo(channel);                // what the socket takes; a partial write keeps the rest
            if (inputEnded && outbound.isEmpty()) {
                channel.close();                      // rules 4 and 6: all that was owed is out
            }
        }
        // end::write[]
    }

    /** Rule 14: the loop ends and closes every channel and the selector; then the port is free. */
    @Override
    public void close() {
        if (closing) return;
        closing = true;
        selector.wakeup();
        Closing.join(loop);
    }
}
