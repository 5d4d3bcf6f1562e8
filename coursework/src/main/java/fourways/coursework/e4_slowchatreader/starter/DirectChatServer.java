package fourways.coursework.e4_slowchatreader.starter;

import fourways.coursework.ThreadPerSocket;
import fourways.protocol.Closing;
import fourways.protocol.Connection;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.Services;
import fourways.protocol.Session;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exercise 4's starter: chat on blocking sockets, a virtual thread per member, where a sender's
 * thread writes each frame into every other member's socket itself; it costs no queue and no
 * second thread, and a member who stops reading stops the whole room.
 *
 * <p>Your task: make {@code ./mvnw -q -pl coursework -am test -Dexercise=e4} pass. {@link
 * Member#deliver} runs on the sender's thread, and must never block it (rule 10); a member
 * who falls too far behind is dropped (rule 12). Whose thread waits when one socket is full?
 * Chapter 9's hints go on from there, one question at a time.
 */
public final class DirectChatServer {
    private DirectChatServer() {}

    public static Server start(ServerConfig config) throws IOException {
        Services services = new Services(config);     // the chat room: rule 9's fan-out is done there
        return new ThreadPerSocket(config, Thread.ofVirtual().name("e4-", 0).factory(),
                socket -> new Member(socket).serve(services));
    }

    /**
     * One member. Threads: its own thread reads; any member's thread may write to its socket,
     * one at a time, under {@code writing}.
     */
    static final class Member implements Connection {
        private final Socket socket;
        private final OutputStream out;
        private final ReentrantLock writing = new ReentrantLock();

        Member(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** The member's whole life, on its own thread: read, and hand the bytes to the session. */
        void serve(Services services) throws IOException {
            Session session = services.open(this);    // a member of the room from now on
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (session.onBytes(ByteBuffer.wrap(buffer, 0, n)) != Session.Next.READ_MORE) {
                        break;                        // rule 4: the error frame is written; close
                    }
                }
            } finally {
                session.onClosed();                   // leaves the room; ThreadPerSocket closes the socket
            }
        }

        // tag::deliver[]
        /** A frame from another member, on that member's thread: written into this socket now. */
        @Override
        public boolean deliver(ByteBuffer frame) {
            write(frame);
            return true;
        }
        // end::deliver[]

        /** Rule 4's error frame, from this member's own thread. */
        @Override
        public void reply(ByteBuffer bytes) {
            write(bytes);
        }

        private void write(ByteBuffer b) {
            writing.lock();                           // two senders at once must not mix their bytes
            try {
                out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
            } catch (IOException e) {
                abort();                              // gone: its own thread then ends
            } finally {
                writing.unlock();
            }
        }

        /** Closing the socket wakes this member's thread from its read, and it cleans up. */
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
