package fourways.coursework.e3_writepending.solution;

import fourways.coursework.OwnGroup;
import fourways.protocol.Closing;
import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import fourways.protocol.OutboundQueue;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exercise 3's solution: NIO2 completion handlers on a small fixed pool, where every reply goes
 * into one queue per connection and one write at a time drains it; the cost is a lock and a
 * "writing" flag per connection.
 *
 * <p>Threads: the group's two threads run every handler. A connection's read side is used by one
 * handler at a time (one read is pending at most); its write side, by the read handler and the
 * write handler, under {@code lock}. {@code clients} is shared: handlers add and remove,
 * {@link #close} reads it.
 */
public final class OneWriteAtATimeServer implements Server {
    private final ServerConfig config;
    private final OwnGroup threads;
    private final AsynchronousServerSocketChannel listener;
    private final InetSocketAddress address;
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;

    public OneWriteAtATimeServer(ServerConfig config) throws IOException {
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
        /** Guards the write side: the fields below. Never held while calling the channel. */
        private final ReentrantLock lock = new ReentrantLock();
        private final OutboundQueue outbound = new OutboundQueue(config.maxBacklog());
        /** A write is pending: only its completion may start the next one. */
        private boolean writing;
        /** Rule 11: no read is pending because the queue reached the backlog limit. */
        private boolean readPaused;
        /** A read of -1, or rule 4's error: close once the queue is empty. */
        private boolean inputEnded;

        Client(AsynchronousSocketChannel channel) {
            this.channel = channel;
        }

        void read() {
            channel.read(in, this, READ);
        }

        /** One read's worth: decode, queue the replies, write, and read again. */
        void onRead(int n) {
            if (n < 0) {
                endInput();                           // rule 6: the owed replies, then the close
                return;
            }
            in.flip();
            try {
                decoder.decode(in, payload -> queue(Frames.echoReply(payload)));
            } catch (FrameDecoder.FrameTooLongException e) {
                queue(Frames.tooLong());              // rule 4: after the replies owed, then close
                endInput();
                return;
            }
            in.clear();
            flush();
            if (!pauseIfFull()) read();
        }

        // tag::one-write[]
        /** Every reply joins the queue; it never goes to the channel directly. */
        private void queue(ByteBuffer reply) {
            lock.lock();
            try {
                outbound.add(reply);
            } finally {
                lock.unlock();
            }
        }

        /** Starts a write, unless one is pending: its completion will take these bytes too. */
        private void flush() {
            ByteBuffer[] batch;
            lock.lock();
            try {
                if (writing || outbound.isEmpty()) return;
                writing = true;                       // from here until the queue is empty
                batch = outbound.gather();
            } finally {
                lock.unlock();
            }
            channel.write(batch, 0, batch.length, 0, TimeUnit.SECONDS, this, WRITTEN);
        }

        /** EndSend: the completion decides whether another write follows. */
        void onWritten(long n) {
            ByteBuffer[] next = null;
            boolean resume = false;
            boolean done = false;
            lock.lock();
            try {
                if (closed.get()) return;             // close() dropped the queue under this write
                // A partial write is normal: a half-written buffer stays first in the queue.
                outbound.consumed(n);
                if (!outbound.isEmpty()) {
                    next = outbound.gather();         // still ours: writing stays true
                } else {
                    writing = false;
                    done = inputEnded;
                }
                if (readPaused && !outbound.atLimit()) {
                    readPaused = false;               // rule 11: room again, so read again
                    resume = true;
                }
            } finally {
                lock.unlock();
            }
            if (next != null) channel.write(next, 0, next.length, 0, TimeUnit.SECONDS, this, WRITTEN);
            if (resume) read();
            if (done) close();
        }
        // end::one-write[]

        /** Rule 11: at the backlog limit no read is armed; the write that drains the queue arms one. */
        private boolean pauseIfFull() {
            lock.lock();
            try {
                readPaused = outbound.atLimit();
                return readPaused;
            } finally {
                lock.unlock();
            }
        }

        private void endInput() {
            boolean idle;
            lock.lock();
            try {
                inputEnded = true;
                idle = !writing && outbound.isEmpty();
            } finally {
                lock.unlock();
            }
            if (idle) close();
            else flush();                             // the last write's completion closes
        }

        /** Any thread, idempotent: the pending read and write then fail, and find us closed. */
        void close() {
            if (!closed.compareAndSet(false, true)) return;
            Closing.quietly(channel);
            clients.remove(this);
            lock.lock();
            try {
                outbound.clear();
            } finally {
                lock.unlock();
            }
        }
    }

    private static final CompletionHandler<Integer, Client> READ = new CompletionHandler<>() {
        @Override
        public void completed(Integer n, Client c) {
            try {
                c.onRead(n);
            } catch (RuntimeException e) {
                c.close();                            // the group would only print it; the client would hang
            }
        }

        @Override
        public void failed(Throwable e, Client c) {
            c.close();                                // rule 15: a reset, or our own close
        }
    };

    private static final CompletionHandler<Long, Client> WRITTEN = new CompletionHandler<>() {
        @Override
        public void completed(Long n, Client c) {
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
