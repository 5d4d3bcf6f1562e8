package fourways.coursework.e3_writepending.starter;

import fourways.coursework.OwnGroup;
import fourways.protocol.Closing;
import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Exercise 3's starter: NIO2 completion handlers on a small fixed pool, C#'s BeginSend for each
 * reply the moment it is made; it costs no queue, and it breaks as soon as a client reads slower
 * than the server writes.
 *
 * <p>Your task: make {@code ./mvnw -q -pl coursework -am test -Dexercise=e3} pass. Read what
 * the run prints above its failures, and {@code AsynchronousSocketChannel.write}'s javadoc: what
 * may a channel have in flight, and what may a completion report? Chapter 9's hints go on from
 * there, one question at a time.
 *
 * <p>Threads: the group's two threads run every handler. A connection's read side is used by one
 * handler at a time (one read is pending at most). {@code clients} is shared: handlers add and
 * remove, {@link #close} reads it.
 */
public final class PendingWriteServer implements Server {
    private final ServerConfig config;
    private final OwnGroup threads;
    private final AsynchronousServerSocketChannel listener;
    private final InetSocketAddress address;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;

    public PendingWriteServer(ServerConfig config) throws IOException {
        this.config = config;
        this.threads = new OwnGroup("e3", 2);
        try {
            this.listener = AsynchronousServerSocketChannel.open(threads.group());
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(config.host()), config.port()));
            this.address = (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException | RuntimeException e) {
            threads.shutdown();                       // a failed bind must not leave the pool running
            throw e;
        }
        accept();
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /** BeginAccept: the next accept is armed by the completion of this one; no thread waits. */
    private void accept() {
        listener.accept(null, new CompletionHandler<AsynchronousSocketChannel, Void>() {
            @Override
            public void completed(AsynchronousSocketChannel channel, Void unused) {
                if (shuttingDown) {
                    Closing.quietly(channel);         // close() is under way and wants no more clients
                    return;
                }
                accept();
                Client client = new Client(channel);
                clients.add(client);
                client.read();
            }

            @Override
            public void failed(Throwable e, Void unused) {
                // close() closed the listener: the way out. (Any other failure, EMFILE say, ends
                // accepting here; nio2-async's AsyncServer retries a little later instead.)
            }
        });
    }

    /** One connection: the state every callback gets back as its attachment. */
    private final class Client {
        private final AsynchronousSocketChannel channel;
        private final ByteBuffer in = ByteBuffer.allocate(8192);
        private final FrameDecoder decoder = new FrameDecoder(config.maxFrame());
        private final AtomicBoolean closed = new AtomicBoolean();

        Client(AsynchronousSocketChannel channel) {
            this.channel = channel;
        }

        void read() {
            channel.read(in, this, READ);
        }

        /** One read's worth: decode, send each reply, and read again. */
        void onRead(int n) {
            if (n < 0) {
                close();                              // the client has finished; our replies, surely, too
                return;
            }
            in.flip();
            try {
                decoder.decode(in, payload -> send(Frames.echoReply(payload)));
            } catch (FrameDecoder.FrameTooLongException e) {
                send(Frames.tooLong());               // rule 4
                return;                               // and read no more
            }
            in.clear();
            read();
        }

        // tag::send[]
        /** BeginSend: each reply goes to the channel the moment it is made. */
        private void send(ByteBuffer reply) {
            channel.write(reply, this, WRITTEN);
        }

        /** EndSend: the reply has been written. */
        void onWritten(int n) {
            // Nothing more to do.
        }
        // end::send[]

        /** Any thread, idempotent: the pending read and write then fail, and find us closed. */
        void close() {
            if (!closed.compareAndSet(false, true)) return;
            Closing.quietly(channel);
            clients.remove(this);
        }
    }

    private static final CompletionHandler<Integer, Client> READ = new CompletionHandler<>() {
        @Override
        public void completed(Integer n, Client c) {
            try {
                c.onRead(n);
            } catch (RuntimeException e) {
                // Said, then closed: the client sees only a reset, and the checker only that, so
                // the cause is printed here, where you will look (the group would print nothing
                // useful, and the client would hang).
                System.err.println("e3 server: a read handler threw " + e + "; closing that connection");
                c.close();
            }
        }

        @Override
        public void failed(Throwable e, Client c) {
            c.close();                                // rule 15: a reset, or our own close
        }
    };

    private static final CompletionHandler<Integer, Client> WRITTEN = new CompletionHandler<>() {
        @Override
        public void completed(Integer n, Client c) {
            try {
                c.onWritten(n);
            } catch (RuntimeException e) {
                c.close();
            }
        }

        @Override
        public void failed(Throwable e, Client c) {
            c.close();
        }
    };

    /** Rule 14: listener first, so nothing new arrives; then every connection; then the threads. */
    @Override
    public void close() {
        if (shuttingDown) return;
        shuttingDown = true;
        Closing.quietly(listener);
        for (Client c : clients) c.close();
        threads.shutdown();
    }
}
