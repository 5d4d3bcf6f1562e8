package fourways.tutorials;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The C# samples' mistakes, translated into Java on purpose, so that {@link PitfallsTest} can
 * show each one failing beside the project's code, which passes. Nothing outside the tests
 * uses this class: it is a lesson in what not to do, and chapter 3 of the tutorials quotes it.
 *
 * <p>Each piece mirrors one part of Microsoft's asynchronous socket samples: the server's read
 * callback (decode the chunk as text, append it, search everything received for {@code <EOF>},
 * reply, and never read again), and the client's connect callback (catch, print, carry on).
 */
final class NaiveDecoders {
    private NaiveDecoders() {}

    /**
     * The server's read callback as a decoder: each chunk becomes text on its own, is appended,
     * and the whole text so far is searched again. Pitfalls 1 to 4 of chapter 3, all at once.
     * Counts the characters its searches look at, so that the test can count, not time, the work.
     */
    static final class TextAccumulator {
        private final Charset charset;
        private final StringBuilder sb = new StringBuilder();
        /** Characters looked at by every search so far. */
        long scanned;

        /** @param charset US-ASCII as in the sample; UTF-8 is the obvious fix, and not enough */
        TextAccumulator(Charset charset) {
            this.charset = charset;
        }

        // tag::text-accumulator[]
        /** One read's worth of bytes; returns a finished message, or null while there is none. */
        String onRead(byte[] buffer, int bytesRead) {
            sb.append(new String(buffer, 0, bytesRead, charset));  // pitfalls 1 and 2: each chunk decoded alone
            String content = sb.toString();                        // pitfall 3: a copy of everything so far...
            int end = content.indexOf("<EOF>");                    // ...searched from the start, every read
            scanned += end < 0 ? content.length() : end + 5;       // for the test: what indexOf looked at
            if (end < 0) {
                return null;                                       // pitfall 4: no limit, keep appending
            }
            sb.delete(0, end + 5);
            return content.substring(0, end);
        }
        // end::text-accumulator[]

        /** Characters held for the unfinished message. */
        int held() {
            return sb.length();
        }
    }

    /**
     * The receive-only server of the note, on NIO2, the Java twin of BeginAccept/BeginReceive:
     * one read per client, never armed again once a message is complete (pitfall 5), a read of
     * -1 that closes nothing (pitfall 6), and failures only printed (pitfall 7).
     */
    static final class Server implements AutoCloseable {
        private final AsynchronousChannelGroup group;
        private final AsynchronousServerSocketChannel listener;
        /** Reads begun and not yet completed, over all connections. */
        final AtomicInteger pendingReads = new AtomicInteger();
        /** Opens when a read completes with -1: the client has closed. */
        final CountDownLatch endOfStream = new CountDownLatch(1);
        final Queue<AsynchronousSocketChannel> accepted = new ConcurrentLinkedQueue<>();
        /** What the sample would have printed to the console. */
        final Queue<String> console = new ConcurrentLinkedQueue<>();

        Server() throws IOException {
            group = AsynchronousChannelGroup.withFixedThreadPool(1, Thread.ofPlatform().name("naive-server").factory());
            listener = AsynchronousServerSocketChannel.open(group)
                    .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.accept(this, ACCEPTED);
        }

        InetSocketAddress address() throws IOException {
            return (InetSocketAddress) listener.getLocalAddress();
        }

        private static final CompletionHandler<AsynchronousSocketChannel, Server> ACCEPTED = new CompletionHandler<>() {
            @Override
            public void completed(AsynchronousSocketChannel channel, Server server) {
                server.listener.accept(server, this);
                server.accepted.add(channel);
                new Client(server, channel).beginReceive();        // the only BeginReceive of AcceptCallback
            }

            @Override
            public void failed(Throwable e, Server server) {
                server.console.add(e.toString());
            }
        };

        /** The sample's StateObject: the socket, its buffer, the text so far. */
        private static final class Client {
            final Server server;
            final AsynchronousSocketChannel channel;
            final ByteBuffer buffer = ByteBuffer.allocate(1024);  // the sample's BufferSize
            final TextAccumulator text = new TextAccumulator(StandardCharsets.US_ASCII);

            Client(Server server, AsynchronousSocketChannel channel) {
                this.server = server;
                this.channel = channel;
            }

            /** BeginReceive(buffer, 0, BufferSize, 0, ReadCallback, state), counted for the test. */
            void beginReceive() {
                buffer.clear();
                server.pendingReads.incrementAndGet();
                channel.read(buffer, this, OBSERVED);
            }

            void reply(String message) {
                byte[] bytes = ("Server return :" + message + "<EOF>").getBytes(StandardCharsets.US_ASCII);
                channel.write(ByteBuffer.wrap(bytes));
            }

            void print(String line) {
                server.console.add(line);
            }
        }

        // tag::read-callback[]
        private static final CompletionHandler<Integer, Client> READ = new CompletionHandler<>() {
            @Override
            public void completed(Integer bytesRead, Client state) {    // EndReceive
                if (bytesRead > 0) {
                    String message = state.text.onRead(state.buffer.array(), bytesRead);
                    if (message != null) {
                        state.reply(message);                            // pitfall 5: and no read again
                    } else {
                        state.beginReceive();                            // the rest of the message
                    }
                }
                // pitfall 6: bytesRead is -1 (C#: 0), the client has gone, and nothing closes the socket
            }

            @Override
            public void failed(Throwable e, Client state) {
                state.print(e.toString());                               // pitfall 7: printed, and forgotten
            }
        };
        // end::read-callback[]

        /** The test's window on READ: what is pending, and when the client's end was seen. */
        private static final CompletionHandler<Integer, Client> OBSERVED = new CompletionHandler<>() {
            @Override
            public void completed(Integer bytesRead, Client state) {
                state.server.pendingReads.decrementAndGet();
                READ.completed(bytesRead, state);
                if (bytesRead < 0) state.server.endOfStream.countDown();  // after READ has done (nothing)
            }

            @Override
            public void failed(Throwable e, Client state) {
                state.server.pendingReads.decrementAndGet();
                READ.failed(e, state);
            }
        };

        @Override
        public void close() throws IOException {
            group.shutdownNow();                               // closes the listener and every channel
            try {
                group.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // tag::swallowed[]
    /**
     * The client's connect, as the sample's ConnectCallback: the waiting thread is told only of
     * success. A failure is printed inside the callback, and {@code connectDone} never opens.
     */
    static void connect(AsynchronousSocketChannel channel, InetSocketAddress server,
                        CountDownLatch connectDone, Consumer<String> console) {
        channel.connect(server, connectDone, new CompletionHandler<Void, CountDownLatch>() {
            @Override
            public void completed(Void result, CountDownLatch done) {
                done.countDown();                                   // connectDone.Set()
            }

            @Override
            public void failed(Throwable e, CountDownLatch done) {
                console.accept(e.toString());                       // Console.WriteLine(e.ToString())
            }                                                       // ...and connectDone.WaitOne() waits for ever
        });
    }
    // end::swallowed[]
}
