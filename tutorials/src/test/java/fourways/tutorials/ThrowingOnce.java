package fourways.tutorials;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An NIO2 echo server, one read or one write pending per connection, whose read handler has a
 * bug: its first {@code completed()} throws. Pitfall 8's Java half, for {@link PitfallsTest}:
 * what the group does with that exception (hands it to the thread's uncaught-exception handler,
 * replaces the thread) and what nobody does (close the connection, or tell any code). Every
 * handler runs on a thread of the test's group; a connection's buffer is touched by one handler
 * at a time, because only one operation of it is ever pending.
 */
final class ThrowingOnce {
    static final String BUG = "a bug in completed()";

    private final AsynchronousServerSocketChannel listener;
    /** Set by the first read that completes, on a group thread; read by every later one. */
    private final AtomicBoolean thrown = new AtomicBoolean();

    private ThrowingOnce(AsynchronousServerSocketChannel listener) {
        this.listener = listener;
    }

    /** Accepts every client on {@code listener}, and echoes what each sends, bytes as they come. */
    static void serve(AsynchronousServerSocketChannel listener) {
        ThrowingOnce server = new ThrowingOnce(listener);
        listener.accept(server, ACCEPTED);
    }

    /** One connection: the channel, its buffer, and the server whose bug it shares. */
    private record Conn(ThrowingOnce server, AsynchronousSocketChannel channel, ByteBuffer buffer) {}

    private static final CompletionHandler<AsynchronousSocketChannel, ThrowingOnce> ACCEPTED = new CompletionHandler<>() {
        @Override
        public void completed(AsynchronousSocketChannel channel, ThrowingOnce server) {
            server.listener.accept(server, this);     // the next client first: a throw later cannot stop it
            Conn c = new Conn(server, channel, ByteBuffer.allocate(1024));
            channel.read(c.buffer(), c, READ);
        }

        @Override
        public void failed(Throwable e, ThrowingOnce server) {
            // The test's clean-up shut the group down, and closed the listener with it: the way out.
        }
    };

    // tag::throwing-read[]
    private static final CompletionHandler<Integer, Conn> READ = new CompletionHandler<>() {
        @Override
        public void completed(Integer n, Conn c) {
            if (c.server().thrown.compareAndSet(false, true)) {
                throw new IllegalStateException(BUG); // no catch: the group thread's handler gets it
            }                                         // and nothing closes c, or reads from it again
            if (n < 0) {
                close(c);                             // the client has closed: so do we
                return;
            }
            c.channel().write(c.buffer().flip(), c, WRITTEN);
        }

        @Override
        public void failed(Throwable e, Conn c) {
            close(c);                                 // a reset, or the clean-up: this connection only
        }
    };
    // end::throwing-read[]

    private static final CompletionHandler<Integer, Conn> WRITTEN = new CompletionHandler<>() {
        @Override
        public void completed(Integer n, Conn c) {
            if (c.buffer().hasRemaining()) {
                c.channel().write(c.buffer(), c, this); // a write may take only part: the rest, then read
            } else {
                c.channel().read(c.buffer().clear(), c, READ);
            }
        }

        @Override
        public void failed(Throwable e, Conn c) {
            close(c);
        }
    };

    private static void close(Conn c) {
        try {
            c.channel().close();
        } catch (IOException e) {
            // Closing is all that was wanted; the descriptor is released either way.
        }
    }
}
