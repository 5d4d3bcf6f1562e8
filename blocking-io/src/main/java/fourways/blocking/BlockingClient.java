package fourways.blocking;

import fourways.protocol.Closing;
import fourways.protocol.Link;
import fourways.protocol.LoadConnection;
import fourways.protocol.LoadRun;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The blocking client: a socket and plain blocking calls; in load mode, two threads per
 * connection (one sends, one receives), so the cost is two threads for each connection.
 *
 * <p>Over TLS the socket is an SSLSocket and nothing else changes: its streams block as a
 * socket's do, one thread may read while another writes, and SO_TIMEOUT bounds the handshake's
 * reads as it bounds any other.
 */
public final class BlockingClient {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final int READ_BUFFER = 16 * 1024;
    /** How long past the run's deadline the load waits for threads whose socket timeouts end at it. */
    private static final long DEADLINE_GRACE_MILLIS = 1_000;

    private final ThreadFactory threads;

    /** @param threads platform threads here; the virtual-threads module passes virtual ones */
    public BlockingClient(ThreadFactory threads) {
        this.threads = threads;
    }

    /** Rule 16's connection: BeginConnect/EndConnect, BeginSend/EndSend, BeginReceive/EndReceive, each one call. */
    public static Link connect(InetSocketAddress server) throws IOException {
        return connect(server, null);
    }

    /** The same over TLS (rule 23) when {@code tls} is not null: the SSLSocket's streams, the same calls. */
    public static Link connect(InetSocketAddress server, TlsClient tls) throws IOException {
        Socket socket = open(server, tls, CONNECT_TIMEOUT_MILLIS);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        return new Link() {
            @Override
            public void send(ByteBuffer bytes) throws IOException {
                ChatWriter.write(out, bytes);
            }

            @Override
            public int receive(ByteBuffer into) throws IOException {
                int n = in.read(into.array(), into.arrayOffset() + into.position(), into.remaining());
                if (n > 0) into.position(into.position() + n);
                return n;
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }

    /** Connects, and over TLS completes the handshake too, both within {@code timeoutMillis}. */
    private static Socket open(InetSocketAddress server, TlsClient tls, long timeoutMillis) throws IOException {
        int timeout = (int) Math.min(Integer.MAX_VALUE, timeoutMillis);
        if (tls != null) {
            // Rule 23: an untrusted certificate fails here, at connect, with the JDK's reason.
            Socket socket = tls.connect(server, timeout);
            try {
                socket.setTcpNoDelay(true);               // on the TCP socket beneath, before the first frame
            } catch (IOException e) {
                socket.close();
                throw e;
            }
            return socket;
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(server, timeout);
            return socket;
        } catch (IOException e) {
            socket.close();                               // a failed connect still holds a descriptor
            throw e;
        }
    }

    /** Rules 17 to 19: every connection opens, all start together, each runs to its end. */
    public void load(InetSocketAddress server, LoadRun run) throws InterruptedException {
        load(server, run, null);
    }

    /**
     * The same over TLS when {@code tls} is not null. A connection counts as open once its
     * handshake is done, so the run's clock (rule 18) starts after every handshake: this
     * measures TLS's records, not its handshakes.
     */
    public void load(InetSocketAddress server, LoadRun run, TlsClient tls) throws InterruptedException {
        int count = run.plan().connections();
        CountDownLatch connected = new CountDownLatch(count);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>(count);
        int id = 0;
        try {
            for (; id < count; id++) {
                LoadConnection connection = run.connection(id);
                started.add(start(() -> drive(server, tls, connection, run, connected, go)));
            }
            connected.await(run.millisToDeadline(), TimeUnit.MILLISECONDS);
        } catch (OutOfMemoryError e) {
            // "unable to create native thread": the connections without a thread fail, once each
            // (rule 18), and those started run as they are; the RESULT line is still printed.
            for (; id < count; id++) run.connectionFailed(id, e);
        } finally {
            run.allConnected();
            go.countDown();                               // every thread waits on this: never leave it shut
        }
        // A thread still in its handshake or its read has a socket timeout that ends at the
        // deadline too: a moment past it lets each say why it failed (a TLS handshake nobody
        // answered, say), where joining at the deadline would leave only a count of the cut.
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(run.millisToDeadline() + DEADLINE_GRACE_MILLIS);
        for (Thread t : started) {
            long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
            if (left < 1) break;                          // join(0) would wait for ever
            t.join(left);
        }
    }

    /** One connection's reader: connect, wait for the start, then receive until done. */
    private void drive(InetSocketAddress server, TlsClient tls, LoadConnection connection, LoadRun run,
                       CountDownLatch connected, CountDownLatch go) {
        Socket socket = null;
        try {
            // A connect storm against a full listen queue waits for SYN retries: give it the
            // whole run's time, not a fixed limit.
            socket = open(server, tls, run.millisToDeadline());
        } catch (IOException e) {
            connection.fail("connect: " + e.getMessage());
        } finally {
            connected.countDown();
        }
        try (Socket s = socket) {
            if (s == null) return;
            go.await();
            Semaphore window = new Semaphore(run.plan().pipeline());
            Thread writer = start(() -> send(s, connection, run, window));
            receive(s, connection, run, window);
            writer.join(run.millisToDeadline());
        } catch (IOException | InterruptedException e) {
            connection.fail(e.toString());
        }
    }

    private static void receive(Socket s, LoadConnection connection, LoadRun run, Semaphore window) {
        byte[] buffer = new byte[READ_BUFFER];
        try {
            InputStream in = s.getInputStream();
            while (!connection.done()) {
                s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, run.millisToDeadline()));
                int n = in.read(buffer);
                if (n < 0) {
                    connection.fail("server closed after " + connection.inFlight() + " frames in flight");
                    break;
                }
                window.release(connection.onBytes(ByteBuffer.wrap(buffer, 0, n)));
            }
        } catch (SocketTimeoutException e) {
            connection.fail("timed out");
        } catch (IOException e) {
            connection.fail(e.toString());
        } finally {
            window.release(run.plan().pipeline());        // wakes a writer waiting for room
        }
    }

    private static void send(Socket s, LoadConnection connection, LoadRun run, Semaphore window) {
        ByteBuffer frame = ByteBuffer.allocate(run.plan().frameBytes());
        try {
            OutputStream out = s.getOutputStream();
            while (!connection.allSent() && !connection.done()) {
                if (!window.tryAcquire(run.millisToDeadline(), TimeUnit.MILLISECONDS) || connection.done()) return;
                // Rule 19: wait for the schedule, not for replies; bounded by the run's deadline.
                // Parked, not spun as Pacer spins for the one-thread clients: with a thread per
                // connection, a 200 us spin before each of 100 connections' 100 frames a second
                // would be two cores of spinning. So these frames leave a timer slack late
                // (50 us and more on Linux), and late_p50_us in the RESULT line says by how much.
                for (long wait; (wait = connection.nanosUntilDue(System.nanoTime())) > 0 && !run.pastDeadline(); ) {
                    LockSupport.parkNanos(wait);
                }
                frame.clear();
                if (connection.writeFrames(frame, System.nanoTime()) == 1) {
                    out.write(frame.array(), 0, frame.position());
                }
            }
        } catch (IOException | InterruptedException e) {
            connection.fail(e.toString());
            Closing.quietly(s);               // the reader then ends too
        }
    }

    private Thread start(Runnable task) {
        Thread t = threads.newThread(task);
        t.start();
        return t;
    }
}
