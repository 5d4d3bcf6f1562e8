package fourways.coursework.e4_slowchatreader.solution;

import fourways.coursework.ThreadPerSocket;
import fourways.protocol.Closing;
import fourways.protocol.Connection;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.Services;
import fourways.protocol.Session;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exercise 4's solution: chat on blocking sockets, where each member has a queue bounded by the
 * backlog limit and a second virtual thread of its own that alone writes its socket; the cost
 * is that thread (a few kilobytes) and at most {@code maxBacklog} bytes per member.
 */
public final class QueuedChatServer {
    private QueuedChatServer() {}

    public static Server start(ServerConfig config) throws IOException {
        Services services = new Services(config);     // the chat room: rule 9's fan-out is done there
        ThreadFactory threads = Thread.ofVirtual().name("e4-", 0).factory();
        return new ThreadPerSocket(config, threads,
                socket -> new Member(socket, config.maxBacklog()).serve(services, threads));
    }

    /**
     * One member. Threads: its own thread reads; any member's thread may {@link #deliver} into
     * {@code outbox}; only the member's writer thread writes to its socket. {@code queued} is
     * the bytes in the outbox, changed by all of them.
     */
    static final class Member implements Connection {
        /** Put last into the outbox: the writer writes what is before it, then ends. */
        private static final ByteBuffer END = ByteBuffer.allocate(0);

        private final Socket socket;
        private final long maxBacklog;
        private final OutputStream out;
        private final BlockingQueue<ByteBuffer> outbox = new LinkedBlockingQueue<>();
        private final AtomicLong queued = new AtomicLong();

        Member(Socket socket, long maxBacklog) throws IOException {
            this.socket = socket;
            this.maxBacklog = maxBacklog;
            this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        }

        /** The member's whole life, on its own thread: read, and hand the bytes to the session. */
        void serve(Services services, ThreadFactory threads) throws IOException {
            Thread writer = threads.newThread(this::writeLoop);
            writer.start();
            Session session = services.open(this);    // a member of the room from now on
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (session.onBytes(ByteBuffer.wrap(buffer, 0, n)) != Session.Next.READ_MORE) {
                        break;                        // rule 4: the error frame is queued; close
                    }
                }
            } finally {
                session.onClosed();                   // leaves the room: no more deliveries
                outbox.add(END);                      // rule 6: what is queued goes out first
                Closing.join(writer);                 // then ThreadPerSocket closes the socket
            }
        }

        // tag::deliver[]
        /** A frame from another member, on that member's thread: queued, never waited for. */
        @Override
        public boolean deliver(ByteBuffer frame) {
            long n = frame.remaining();
            long held;
            do {
                held = queued.get();
                if (held + n > maxBacklog) return false;   // rule 12: the room drops this member
            } while (!queued.compareAndSet(held, held + n));
            outbox.add(frame);                        // unbounded queue, bounded by the count above
            return true;
        }

        /** This member's writer thread: the only one that ever blocks on its socket. */
        private void writeLoop() {
            try {
                for (ByteBuffer b; (b = outbox.take()) != END; ) {
                    out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
                    queued.addAndGet(-b.remaining());
                    if (outbox.isEmpty()) out.flush();   // one system call for a burst of frames
                }
                out.flush();
            } catch (IOException | InterruptedException e) {
                abort();                              // gone: the reading thread then ends too
            }
        }
        // end::deliver[]

        /** Rule 4's error frame, from this member's own thread: never refused. */
        @Override
        public void reply(ByteBuffer bytes) {
            queued.addAndGet(bytes.remaining());
            outbox.add(ByteBuffer.allocate(bytes.remaining()).put(bytes).flip());   // a copy: the caller keeps its buffer
        }

        /** Closing the socket ends both threads: the reader's read and the writer's write fail. */
        @Override
        public void abort() {
            Closing.quietly(socket);
        }

        @Override
        public InetSocketAddress remote() {
            return (InetSocketAddress) socket.getRemoteSocketAddress();
        }
    }
}
