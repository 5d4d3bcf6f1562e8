package fourways.protocol;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One load-mode connection's protocol state (rules 17 to 19): which frame goes next and when,
 * which reply is expected, and its check. The model only moves bytes: it asks
 * {@link #mayWrite} and {@link #writeFrames} on the sending side and feeds replies to
 * {@link #onBytes} on the receiving side.
 *
 * <p>Threads: one writer and one reader at a time, which may be two different threads (the
 * blocking client sends and receives on two). {@code sent} is written by the writer only,
 * {@code received} and {@code done} by the reader only; each side reads the other's field.
 */
public final class LoadConnection implements FrameDecoder.Handler {
    private final LoadRun run;
    private final LoadPlan plan;
    private final int id;
    private final FrameDecoder decoder;
    /** When each in-flight frame started, for its latency; slot = message % pipeline. */
    private final AtomicLongArray startNanos;
    private final long periodNanos;
    private volatile int sent;
    private volatile int received;
    private volatile boolean done;
    /** Set once, by whichever of fail and finish comes first: the end is counted once (rule 18). */
    private final AtomicBoolean ended = new AtomicBoolean();

    LoadConnection(LoadRun run, int id) {
        this.run = run;
        this.plan = run.plan();
        this.id = id;
        this.decoder = new FrameDecoder(plan.replyBytes());
        this.startNanos = new AtomicLongArray(plan.pipeline());
        this.periodNanos = plan.openLoop() ? Math.max(1, Math.round(1e9 / plan.rate())) : 0;
    }

    public int id() {
        return id;
    }

    /** Every frame has been written. */
    public boolean allSent() {
        return sent == plan.messages();
    }

    /** Every reply is in, or the connection failed: nothing more to do. */
    public boolean done() {
        return done;
    }

    /** How many frames are waiting for their reply. */
    public int inFlight() {
        return sent - received;
    }

    /**
     * Whether the next frame may go now: there is one, the pipeline has room (rule 17), and
     * in an open loop its time has come (rule 19).
     */
    public boolean mayWrite(long nowNanos) {
        return !done && sent < plan.messages() && sent - received < plan.pipeline()
                && (periodNanos == 0 || nowNanos - dueNanos(sent) >= 0);
    }

    /** Rule 19: how long until the next frame is due; 0 or less when it may go now. */
    public long nanosUntilDue(long nowNanos) {
        return periodNanos == 0 ? 0 : dueNanos(sent) - nowNanos;
    }

    private long dueNanos(int message) {
        return run.startNanos() + message * periodNanos;
    }

    /**
     * Writes as many frames into {@code out} as {@link #mayWrite} allows and fit, and starts
     * their latency clocks. Returns how many it wrote.
     */
    // tag::write-frames[]
    public int writeFrames(ByteBuffer out, long nowNanos) {
        int written = 0;
        while (out.remaining() >= plan.frameBytes() && mayWrite(nowNanos)) {
            int m = sent;
            // Rule 19: an open loop measures from when the frame was due, not when it left, so
            // a server that stalls us cannot hide the stall (coordinated omission).
            startNanos.set(m % plan.pipeline(), periodNanos == 0 ? nowNanos : dueNanos(m));
            Payloads.fill(out, id, m, plan.size());
            out.put(Frames.DELIMITER);
            sent = m + 1;
            written++;
        }
        return written;
    }
    // end::write-frames[]

    /** Feeds reply bytes; returns how many replies they completed. */
    public int onBytes(ByteBuffer in) {
        int before = received;
        try {
            decoder.decode(in, this);
        } catch (FrameDecoder.FrameTooLongException e) {
            fail("reply " + received + " is longer than " + plan.replyBytes() + " bytes");
        }
        return received - before;
    }

    @Override
    public void onFrame(ByteBuffer reply) {
        if (done) return;
        int m = received;
        if (m >= sent) {
            fail("reply " + m + " came before its message was sent");
            return;
        }
        long now = System.nanoTime();                 // once per reply: the latency and the run's end
        long latency = now - startNanos.get(m % plan.pipeline());
        if (!Payloads.isEchoOf(reply, id, m, plan.size())) {
            fail("reply " + m + " is not the echo of message " + m);
            return;
        }
        run.verified(latency, now);
        received = m + 1;
        if (received == plan.messages()) {
            finish();
        }
    }

    /**
     * The connection broke or was cut short: one error, and this connection is done. Any
     * thread (a writer and a reader may both see the break): the first call counts, once.
     */
    public void fail(String why) {
        if (!ended.compareAndSet(false, true)) return;
        run.error("connection " + id + ": " + why);
        done = true;
        run.finished();
    }

    private void finish() {
        if (!ended.compareAndSet(false, true)) return;
        done = true;
        run.finished();
    }
}
