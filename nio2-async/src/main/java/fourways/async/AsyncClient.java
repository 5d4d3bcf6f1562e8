package fourways.async;

import fourways.protocol.Closing;
import fourways.protocol.Link;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Message mode (rule 16) as Microsoft's AsynchronousClient does it: begin an operation with a
 * callback, then wait for the callback to say it is done; one connection, one thread of its
 * own group to run the callbacks, and the caller's thread waiting.
 *
 * <p>C#'s three {@code ManualResetEvent}s ({@code connectDone}, {@code sendDone},
 * {@code receiveDone}) become one {@link CompletableFuture} per operation, rather than a
 * {@code CountDownLatch}: the sample needs the event, a static {@code response} field for the
 * result, and a callback whose exception is lost leaves {@code WaitOne()} waiting for ever. A
 * future is all three at once: {@code completed} completes it with the result, {@code failed}
 * completes it with the exception, and {@code get()} is {@code WaitOne()} followed by what
 * {@code End...} returned or threw. A fresh future per operation is C#'s {@code Reset()}.
 *
 * <p>Threads: the caller's thread begins each operation and waits; the group's one thread runs
 * the callbacks. The futures hand results across, with the happens-before they guarantee.
 */
final class AsyncClient implements Link {
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final long CLOSE_WAIT_SECONDS = 4;

    /** Our own one-thread group: the JVM-wide default group's threads would never end. */
    private final OwnThreads threads;
    private final AsynchronousSocketChannel channel;

    private AsyncClient(OwnThreads threads, AsynchronousSocketChannel channel) {
        this.threads = threads;
        this.channel = channel;
    }

    /** BeginConnect(remoteEP, ConnectCallback, client), then connectDone.WaitOne(). */
    // tag::connect[]
    static Link connect(InetSocketAddress server) throws IOException {
        OwnThreads threads = new OwnThreads("nio2-async-client", true);
        AsyncClient client = null;
        try {
            client = new AsyncClient(threads, AsynchronousSocketChannel.open(threads.group(1)));
            client.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            CompletableFuture<Void> connectDone = new CompletableFuture<>();
            client.channel.connect(server, connectDone, done());
            await(connectDone, CONNECT_TIMEOUT_MILLIS);
            return client;
        } catch (IOException | RuntimeException e) {
            if (client != null) client.close();       // a failed connect still holds a descriptor and a thread
            else threads.endAll(CLOSE_WAIT_SECONDS);
            throw e;
        }
    }
    // end::connect[]

    /** Send(client, data): BeginSend, and sendDone.WaitOne() until every byte is out. */
    @Override
    public void send(ByteBuffer bytes) throws IOException {
        CompletableFuture<Integer> sendDone = new CompletableFuture<>();
        channel.write(bytes, sendDone, new CompletionHandler<Integer, CompletableFuture<Integer>>() {
            /** SendCallback: C#'s EndSend returned the count, and BeginSend had sent it all. */
            @Override
            public void completed(Integer n, CompletableFuture<Integer> done) {
                try {
                    if (bytes.hasRemaining()) {
                        channel.write(bytes, done, this);   // a partial write: the rest is ours to send
                    } else {
                        done.complete(n);             // sendDone.Set()
                    }
                } catch (RuntimeException e) {
                    // Thrown out of a callback, it is lost, and the caller would wait for ever.
                    done.completeExceptionally(e);
                }
            }

            /** Where C# would catch the exception from EndSend. */
            @Override
            public void failed(Throwable e, CompletableFuture<Integer> done) {
                done.completeExceptionally(e);        // wakes the waiting thread, which throws it
            }
        });
        await(sendDone, 0);
    }

    /**
     * Receive(client): BeginReceive, and receiveDone.WaitOne(). C#'s ReceiveCallback went on
     * reading until the server closed; here {@link fourways.protocol.MessageClient} loops, and
     * stops at {@code <EOF>}, as rule 16 says.
     */
    @Override
    public int receive(ByteBuffer into) throws IOException {
        CompletableFuture<Integer> receiveDone = new CompletableFuture<>();
        channel.read(into, receiveDone, done());
        return await(receiveDone, 0);                 // EndReceive's count: -1 once the server closed
    }

    /** ConnectCallback and ReceiveCallback: EndConnect/EndReceive's result or exception, handed over. */
    private static <V> CompletionHandler<V, CompletableFuture<V>> done() {
        return new CompletionHandler<>() {
            @Override
            public void completed(V result, CompletableFuture<V> done) {
                done.complete(result);                // connectDone.Set(), receiveDone.Set()
            }

            @Override
            public void failed(Throwable e, CompletableFuture<V> done) {
                done.completeExceptionally(e);        // where C# would catch the exception from End...
            }
        };
    }

    /** WaitOne(), with the callback's exception rethrown here; 0 waits as long as it takes. */
    // tag::await[]
    private static <V> V await(CompletableFuture<V> done, long timeoutMillis) throws IOException {
        try {
            return timeoutMillis > 0 ? done.get(timeoutMillis, TimeUnit.MILLISECONDS) : done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("no answer in " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting");
        }
    }
    // end::await[]

    /** Closes the socket (a pending operation fails), then ends the group's thread. */
    @Override
    public void close() {
        Closing.quietly(channel);
        threads.endAll(CLOSE_WAIT_SECONDS);
    }
}
