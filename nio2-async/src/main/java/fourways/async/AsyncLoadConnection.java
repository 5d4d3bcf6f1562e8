package fourways.async;

import fourways.protocol.Closing;
import fourways.protocol.LoadConnection;
import fourways.protocol.LoadPlan;
import fourways.protocol.Pacer;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousByteChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLHandshakeException;

/**
 * One load-mode connection: the attachment of its own callbacks, as C#'s StateObject. Its
 * callbacks drive it: a connect starts nothing until the run says go; a reply read lets the
 * next frame go; a finished write lets the next frame go; in an open loop, the timer does.
 * Over TLS the connect's callback begins the handshake, and the handshake's counts it open.
 *
 * <p>Threads: one read pending at a time, so {@code readBuffer} and {@code LoadConnection}'s
 * reading side belong to the read callback. The sending side ({@code writing},
 * {@code timerArmed}, {@code writeBuffer}, {@code LoadConnection.writeFrames}) is guarded by
 * this object's monitor: the read callback, the write callback and the timer all pump.
 */
final class AsyncLoadConnection {
    private static final int READ_BUFFER = 4 * 1024;
    private static final int WRITE_BUFFER = 64 * 1024;

    private final AsyncLoadClient client;
    private final LoadConnection load;
    private final int pipeline;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER);
    private final ByteBuffer writeBuffer;
    private final AtomicBoolean finished = new AtomicBoolean();
    /** Set before the connect begins; volatile, as the deadline may find a connect still pending. */
    private volatile AsynchronousSocketChannel channel;
    /** What frames go through: the channel, or over TLS the engine in front of it. Set with it. */
    private volatile AsynchronousByteChannel stream;
    private boolean writing;
    private boolean timerArmed;

    AsyncLoadConnection(AsyncLoadClient client, LoadConnection load, LoadPlan plan) {
        this.client = client;
        this.load = load;
        this.pipeline = plan.pipeline();
        // Room for a whole pipeline of frames, so one write carries every frame that may go.
        int frames = Math.clamp(WRITE_BUFFER / Math.max(1, plan.frameBytes()), 1, plan.pipeline());
        this.writeBuffer = ByteBuffer.allocate(frames * plan.frameBytes());
    }

    /** BeginConnect(remoteEP, ConnectCallback, state). */
    void connect(InetSocketAddress server) {
        try {
            channel = AsynchronousSocketChannel.open(client.group);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);   // small frames: no Nagle delay
            stream = client.tls == null ? channel : new AsyncTls(channel, client.tls.newEngine(server), client.tlsTasks, () -> {});
            channel.connect(server, this, CONNECTED);
        } catch (IOException | RuntimeException e) {
            fail("connect: " + e);                    // e.g. out of descriptors: this connection only
            client.connectDone();
        }
    }

    private static final CompletionHandler<Void, AsyncLoadConnection> CONNECTED = new CompletionHandler<>() {
        @Override
        public void completed(Void v, AsyncLoadConnection c) {
            if (c.stream instanceof AsyncTls tls) {
                tls.handshake(c, HANDSHAKEN);         // rule 23: open once the handshake is done
            } else {
                c.client.connectDone();               // EndConnect; the next connect may begin
            }
        }

        @Override
        public void failed(Throwable e, AsyncLoadConnection c) {
            c.fail("connect: " + e);                  // where C# would catch it from EndConnect
            c.client.connectDone();
        }
    };

    /** BeginAuthenticateAsClient's callback: now the connection counts, as open or as failed (rule 18). */
    private static final CompletionHandler<Void, AsyncLoadConnection> HANDSHAKEN = new CompletionHandler<>() {
        @Override
        public void completed(Void v, AsyncLoadConnection c) {
            c.client.connectDone();
        }

        @Override
        public void failed(Throwable e, AsyncLoadConnection c) {
            Throwable why = e instanceof SSLHandshakeException h ? TlsClient.explained(h, c.client.server) : e;
            c.fail("connect: " + why.getMessage());   // one clear line: which check the certificate failed
            c.client.connectDone();
        }
    };

    /** Every connection is open: read, and send the first frames. */
    void go() {
        if (finished.get()) return;
        try {
            stream.read(readBuffer, this, READ);
            pump();
        } catch (RuntimeException notConnected) {
            fail("not connected by the deadline");    // NotYetConnectedException, or never begun
        }
    }

    /** Sends every frame that may go now (rule 17's pipeline, rule 19's schedule), unless a write is pending. */
    void pump() {
        synchronized (this) {
            if (writing || finished.get()) return;    // a pending write's completion pumps again
            long now = System.nanoTime();
            if (!load.mayWrite(now)) {
                long wait = load.nanosUntilDue(now);
                if (wait > 0 && !timerArmed && !load.allSent() && load.inFlight() < pipeline) {
                    timerArmed = true;                // rule 19: due later, whether replies come or not
                    schedule(wait);
                }
                return;                               // otherwise a reply will make room
            }
            writeBuffer.clear();
            load.writeFrames(writeBuffer, now);
            writeBuffer.flip();
            writing = true;                           // one write at a time: no WritePendingException
        }
        stream.write(writeBuffer, this, WRITTEN);
    }

    /**
     * Rule 19: pumps again when the next frame falls due. The timer wakes late (a parked
     * thread does), so it fires {@link Pacer#SPIN_NANOS} early and its thread spins the rest:
     * the one timer thread is this client's sender, and its frames leave within microseconds
     * of their time (the RESULT line's {@code late_p99_us} says how close).
     */
    private void schedule(long nanos) {
        long due = System.nanoTime() + nanos;
        try {
            client.timer.schedule(() -> {
                Pacer.awaitDue(due, client.deadlineNanos());
                synchronized (this) {
                    timerArmed = false;
                }
                pump();
            }, Pacer.timerNanos(nanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The run is over and the timer stopped: nothing is due any more.
        }
    }

    private static final CompletionHandler<Integer, AsyncLoadConnection> WRITTEN = new CompletionHandler<>() {
        @Override
        public void completed(Integer n, AsyncLoadConnection c) {
            try {
                if (c.writeBuffer.hasRemaining()) {
                    c.stream.write(c.writeBuffer, c, this);    // a partial write (or a record's worth): continue it
                    return;
                }
                synchronized (c) {
                    c.writing = false;
                }
                c.pump();
            } catch (RuntimeException e) {
                c.fail("write: " + e);                // thrown out of here, it would only be printed
            }
        }

        @Override
        public void failed(Throwable e, AsyncLoadConnection c) {
            c.fail("write: " + e);
        }
    };

    private static final CompletionHandler<Integer, AsyncLoadConnection> READ = new CompletionHandler<>() {
        @Override
        public void completed(Integer n, AsyncLoadConnection c) {
            if (n < 0) {
                c.fail("server closed after " + c.load.inFlight() + " frames in flight");
                return;
            }
            try {
                c.readBuffer.flip();
                c.load.onBytes(c.readBuffer);         // checks every reply, byte for byte
                c.readBuffer.clear();
                if (c.load.done()) {
                    c.finish();
                    return;
                }
                c.pump();                             // replies made room in the pipeline
                c.stream.read(c.readBuffer, c, this);
            } catch (RuntimeException e) {
                c.fail("read: " + e);                 // thrown out of here, it would only be printed
            }
        }

        @Override
        public void failed(Throwable e, AsyncLoadConnection c) {
            c.fail("read: " + e);                     // a reset, or our own close at the deadline
        }
    };

    /** One error (rule 18) unless already done, then closed; safe from any thread, any number of times. */
    void fail(String why) {
        load.fail(why);
        finish();
    }

    private void finish() {
        if (!finished.compareAndSet(false, true)) return;
        AsynchronousSocketChannel ch = channel;
        if (ch != null) Closing.quietly(ch);
        client.finished();
    }
}
