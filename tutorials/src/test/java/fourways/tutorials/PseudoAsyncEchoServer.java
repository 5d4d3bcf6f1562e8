package fourways.tutorials;

import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * "Pseudo-asynchronous" I/O (伪异步 I/O): blocking-io's read-decode-reply loop on a fixed pool of
 * threads with a bounded queue, the step everyone tries after a thread per connection; its cost
 * is that a connection holds a pool thread for as long as it is open, so the pool's size, not
 * the machine, is how many clients are served at once, and the rest wait unanswered or are
 * turned away. Chapter 4 runs it at 10,000 connections; this is an example, not a fifth model:
 * echo only, no idle timeout, no error frame, no linger.
 *
 * <p>Threads: the accept thread owns the listener and hands each socket to the pool; a pool
 * thread owns its socket's streams and decoder until the client closes. {@link #close} may run
 * on any thread.
 *
 * <p>Run it: {@code java -cp tutorials/target/test-classes:protocol/target/classes
 * fourways.tutorials.PseudoAsyncEchoServer PORT THREADS QUEUE}.
 */
public final class PseudoAsyncEchoServer implements AutoCloseable {

    private final ServerSocket listener = new ServerSocket();
    private final ThreadPoolExecutor pool;
    /** Every socket accepted and not yet closed, so that close() can wake the threads blocked on them. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    // tag::pool[]
    public PseudoAsyncEchoServer(int port, int threads, int queue) throws IOException {
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
        // The whole idea: at most `threads` threads, whatever the clients do. The queue is
        // bounded too, or ten thousand waiting clients would be ten thousand queued tasks.
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queue));
        acceptor = Thread.ofPlatform().name("pseudo-async-accept").start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return;                               // close() closed the listener
            }
            open.add(socket);
            try {
                pool.execute(() -> serve(socket));    // a thread of the pool, once one is free
            } catch (RejectedExecutionException e) {
                // Every thread busy and the queue full: this client is closed unanswered.
                close(socket);
            }
        }
    }
    // end::pool[]

    /** blocking-io's loop, unchanged in spirit: the thread is held until the client closes. */
    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setTcpNoDelay(true);               // replies are small; Nagle would hold them back
            FrameDecoder decoder = new FrameDecoder(Frames.DEFAULT_MAX_FRAME);
            byte[] buffer = new byte[16 * 1024];
            ByteBuffer bytes = ByteBuffer.wrap(buffer);
            ByteArrayOutputStream replies = new ByteArrayOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {   // an idle client keeps this thread here
                decoder.decode(bytes.clear().limit(n), payload -> replies.writeBytes(bytes(Frames.echoReply(payload))));
                replies.writeTo(out);                 // every reply of this read, in one write
                replies.reset();
            }
        } catch (IOException | FrameDecoder.FrameTooLongException e) {
            // A reset, or a frame too long: this connection only, closed by the try.
        } finally {
            open.remove(socket);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted and waiting for a thread of the pool: the ones nobody answers yet. */
    public int waiting() {
        return pool.getQueue().size();
    }

    /** Threads of the pool serving a connection now. */
    public int serving() {
        return pool.getActiveCount();
    }

    /** Stops accepting, closes every socket (which wakes the threads blocked on them), ends the pool. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        close(listener);
        acceptor.join(5_000);
        pool.shutdownNow();                           // drops the queued connections; they are closed below
        for (Socket s : open) close(s);
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Closing anyway: nothing more to do for it.
        }
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        int queue = Integer.parseInt(args[2]);
        PseudoAsyncEchoServer server = new PseudoAsyncEchoServer(port, threads, queue);
        System.out.println("listening on 127.0.0.1:" + server.port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();   // exiting anyway
            }
        }));
        Thread.currentThread().join();                // until Ctrl-C
    }
}
