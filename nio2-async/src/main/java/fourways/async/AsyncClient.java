package fourways.async;

import fourways.protocol.Closing;
import fourways.protocol.Link;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousByteChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;

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
 * Over TLS the calls go through an {@link AsyncTls}, as C#'s go through an SslStream, and one
 * more thread runs the engine's delegated tasks.
 */
final class AsyncClient implements Link {
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final long CLOSE_WAIT_SECONDS = 4;
    private static final long CLOSE_NOTIFY_MILLIS = 1_000;

    /** Our own one-thread group: the JVM-wide default group's threads would never end. */
    private final OwnThreads threads;
    private final AsynchronousSocketChannel channel;
    /** What sends and receives go through: the channel, or over TLS the engine in front of it. */
    private AsynchronousByteChannel stream;
    private AsyncTls tls;

    private AsyncClient(OwnThreads threads, AsynchronousSocketChannel channel) {
        this.threads = threads;
        this.channel = channel;
        this.stream = channel;
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

    /**
     * The same, then over TLS (rule 23) BeginAuthenticateAsClient and its wait, within the
     * connect's time: an untrusted certificate, or a server that speaks no TLS, fails here in
     * one line, and not at the first frame.
     */
    // tag::tls-authenticate[]
    static Link connect(InetSocketAddress server, TlsClient tlsClient) throws IOException {
        AsyncClient client = (AsyncClient) connect(server);
        if (tlsClient == null) return client;
        try {
            client.tls = new AsyncTls(client.channel, tlsClient.newEngine(server), client.threads.tasks(1, Integer.MAX_VALUE), () -> {});
            CompletableFuture<Void> authenticated = new CompletableFuture<>();
            client.tls.handshake(authenticated, done());
            await(authenticated, CONNECT_TIMEOUT_MILLIS);
            client.stream = client.tls;               // new SslStream(client.GetStream())
            return client;
        } catch (SSLHandshakeException e) {
            client.close();
            throw TlsClient.explained(e, server);     // "not signed by a CA the client trusts", not PKIX's words
        } catch (IOException | RuntimeException e) {
            client.close();                           // a descriptor and two threads
            throw e;
        }
    }
    // end::tls-authenticate[]

    /** Send(client, data): BeginSend, and sendDone.WaitOne() until every byte is out. */
    @Override
    public void send(ByteBuffer bytes) throws IOException {
        CompletableFuture<Integer> sendDone = new CompletableFuture<>();
        stream.write(bytes, sendDone, new CompletionHandler<Integer, CompletableFuture<Integer>>() {
            /** SendCallback: C#'s EndSend returned the count, and BeginSend had sent it all. */
            @Override
            public void completed(Integer n, CompletableFuture<Integer> done) {
                try {
                    if (bytes.hasRemaining()) {
                        stream.write(bytes, done, this);    // a partial write (or one record's worth): the rest is ours
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
        stream.read(into, receiveDone, done());       // over TLS: -1 at the server's close_notify too
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

    /** Over TLS close_notify first, waited for briefly; closes the socket, then ends the threads. */
    @Override
    public void close() {
        if (stream == tls && tls != null) {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            tls.closeOutput(() -> sent.complete(null), () -> sent.complete(null));
            try {
                await(sent, CLOSE_NOTIFY_MILLIS);     // the server then knows the end was meant
            } catch (IOException e) {
                // Not taken in time (a server that does not read): the close below ends it anyway.
            }
        }
        Closing.quietly(channel);
        threads.endAll(CLOSE_WAIT_SECONDS);
    }
}
