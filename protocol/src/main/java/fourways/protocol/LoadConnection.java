package fourways.protocol;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One load-mode connection's protocol state (rules 17 to 19): which frame goes next and when,
 * which reply is expected, and its check. The model only moves bytes: it asks
 * {@link #mayWrite} and {@link #writeFrames} on the sending side and feeds replies to
 * {@link #onBytes} on the receiving side. Nothing is allocated per message: a load client that
 * costs the machine as much as the server it measures halves what any server can show.
 *
 * <p>Threads: one writer and one reader at a time, which may be two different threads (the
 * blocking client sends and receives on two). {@code sent} and {@code sendHead} are the
 * writer's, {@code received}, {@code replyMatched} and {@code replyHead} the reader's; each
 * side reads only the other's volatile counter. {@code ended} is whoever ends the connection
 * first, either side.
 */
public final class LoadConnection {
    private final LoadRun run;
    private final LoadPlan plan;
    private final Payloads payloads;
    private final int id;
    /** When each in-flight frame started, for its latency: sent, or in an open loop due; slot = message % pipeline. */
    private final AtomicLongArray startNanos;
    /** Open loop only (else null): when each in-flight frame actually left; same slots. */
    private final AtomicLongArray sentNanos;
    private final long periodNanos;
    /**
     * Rule 19, evenly: this connection's schedule starts its share of one period after the
     * others', so C connections at R frames/s offer C x R frames/s spread over each period,
     * not C frames at once every period (a burst whose draining the latencies would measure).
     */
    private final long offsetNanos;
    private final byte[] sendHead = new byte[Payloads.HEAD];
    private final byte[] replyHead = new byte[Payloads.HEAD];
    /** How many bytes of reply number {@code received} have arrived and matched so far. */
    private int replyMatched;
    private volatile int sent;
    private volatile int received;
    /** Set once, by whichever of fail and finish comes first: the end is counted once (rule 18). */
    private final AtomicBoolean ended = new AtomicBoolean();

    LoadConnection(LoadRun run, int id) {
        this.run = run;
        this.plan = run.plan();
        this.payloads = run.payloads();
        this.id = id;
        this.startNanos = new AtomicLongArray(plan.pipeline());
        this.sentNanos = plan.openLoop() ? new AtomicLongArray(plan.pipeline()) : null;
        this.periodNanos = plan.openLoop() ? Math.max(1, Math.round(1e9 / plan.rate())) : 0;
        this.offsetNanos = (long) ((double) periodNanos * (id % plan.connections()) / plan.connections());
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
        return ended.get();
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
        return !ended.get() && sent < plan.messages() && sent - received < plan.pipeline()
                && (periodNanos == 0 || nowNanos - dueNanos(sent) >= 0);
    }

    /** Rule 19: how long until the next frame is due; 0 or less when it may go now. */
    public long nanosUntilDue(long nowNanos) {
        return periodNanos == 0 ? 0 : dueNanos(sent) - nowNanos;
    }

    private long dueNanos(int message) {
        return run.startNanos() + offsetNanos + message * periodNanos;
    }

    /**
     * Writes as many frames into {@code out} as {@link #mayWrite} allows and fit, and starts
     * their latency clocks. Returns how many it wrote. {@code nowNanos} is taken just before the
     * call: in an open loop it is when these frames left, and their lateness is counted from it.
     */
    // tag::write-frames[]
    public int writeFrames(ByteBuffer out, long nowNanos) {
        int written = 0;
        while (out.remaining() >= plan.frameBytes() && mayWrite(nowNanos)) {
            int m = sent;
            // Rule 19: an open loop measures from when the frame was due, not when it left, so
            // a server that stalls us cannot hide the stall (coordinated omission). A release
            // store, not a full fence: the reader sees it through `sent`, written after it.
            if (sentNanos != null) sentNanos.setRelease(m % plan.pipeline(), nowNanos);
            startNanos.setRelease(m % plan.pipeline(), periodNanos == 0 ? nowNanos : dueNanos(m));
            payloads.head(sendHead, id, m);
            payloads.fill(out, sendHead);
            sent = m + 1;
            written++;
        }
        return written;
    }
    // end::write-frames[]

    /**
     * Feeds reply bytes, split anywhere (rule 3); returns how many replies they completed.
     * Each byte is compared once, in place, with the reply it must be (rule 17): the client
     * knows every reply's length and content, so it needs no delimiter search and no copy.
     */
    // tag::on-bytes[]
    public int onBytes(ByteBuffer in) {
        // One clock per read, not per reply: the replies in one read arrived together.
        long now = System.nanoTime();
        int before = received;
        int replyBytes = plan.replyBytes();
        while (in.hasRemaining() && !ended.get()) {
            int m = received;
            if (replyMatched == 0) {
                if (m >= sent) {
                    fail("reply " + m + " came before its message was sent");
                    break;
                }
                payloads.head(replyHead, id, m);
            }
            int n = Math.min(in.remaining(), replyBytes - replyMatched);
            if (!payloads.matches(in, replyMatched, n, replyHead)) {
                fail("reply " + m + " is not the echo of message " + m);
                break;
            }
            in.position(in.position() + n);
            replyMatched += n;
            if (replyMatched == replyBytes) {
                replyMatched = 0;
                long started = startNanos.getAcquire(m % plan.pipeline());
                run.latency(now - started);
                if (sentNanos != null) {
                    long sentAt = sentNanos.getAcquire(m % plan.pipeline());
                    run.openLoop(sentAt - started, now - sentAt);   // how late it left; its latency as a closed loop sees it
                }
                received = m + 1;
                if (m + 1 == plan.messages()) break;
            }
        }
        in.position(in.limit());                      // after the last reply, the rest is not ours to check
        int completed = received - before;
        if (completed > 0) run.verified(completed, now);
        // Counted first, finished after: whoever waits for every connection to finish then
        // finds every reply counted.
        if (received == plan.messages()) finish();
        return completed;
    }
    // end::on-bytes[]

    /**
     * The connection broke or was cut short: one error, and this connection is done. Any
     * thread (a writer and a reader may both see the break): the first call counts, once.
     */
    public void fail(String why) {
        if (ended.compareAndSet(false, true)) {
            run.error("connection " + id + ": " + why);
            run.finished();
        }
    }

    private void finish() {
        if (ended.compareAndSet(false, true)) run.finished();
    }
}
