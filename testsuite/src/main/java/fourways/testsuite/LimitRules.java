package fourways.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Frames;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md rules 10, 11 and 13: the backlog limit, echo backpressure, the idle timeout. */
public abstract class LimitRules extends EchoRules {
    private static final int PAYLOAD = 1024;
    private static final long PUSH = 256L << 20;            // "hundreds of megabytes"
    /** The backlog (1 MiB) plus every socket buffer on the way, generously: kernels autotune. */
    private static final long BOUND = 96L << 20;

    protected LimitRules(Model model, boolean overTls) {
        super(model, overTls);
    }

    /** The 26 fillers a greedy client's payloads start from, made once. */
    private static final byte[][] FILLERS = java.util.stream.IntStream.range(0, 26)
            .mapToObj(seed -> Bytes.filler(PAYLOAD, seed)).toArray(byte[][]::new);

    /**
     * Frame {@code i} of a greedy client: its number in ten digits, then filler, so order is
     * checked too. Made twice for each of 250,000 frames, so without {@code String.format}.
     */
    private static byte[] payload(long i) {
        byte[] p = FILLERS[(int) (i % 26)].clone();
        long n = i;
        for (int d = 9; d >= 0; d--, n /= 10) p[d] = (byte) ('0' + n % 10);
        return p;
    }

    /** Writes {@code frames} frames in batches, counting the bytes the socket accepted. */
    private static CompletableFuture<Void> pushFrames(RawClient c, long frames, AtomicLong written) {
        return CompletableFuture.runAsync(() -> {
            try {
                for (long i = 0; i < frames; ) {
                    ByteArrayOutputStream batch = new ByteArrayOutputStream();
                    for (int k = 0; k < 64 && i < frames; k++, i++) batch.writeBytes(Frames.frame(payload(i)));
                    c.output().write(batch.toByteArray());
                    written.addAndGet(batch.size());
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
    }

    /** Polls until {@code written} stops growing for a second: the writer is held back. */
    private static long awaitStall(AtomicLong written) throws InterruptedException {
        long last = -1;
        long stableSince = System.nanoTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (System.nanoTime() - deadline < 0) {
            long now = written.get();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(1)) {
                return now;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new AssertionError("the writer was never held back: " + written.get() + " bytes accepted");
    }

    @Test
    void rule11_clientThatNeverReadsIsHeldBackAndThenGetsEveryReply() throws Exception {
        Server server = startEcho();
        RawClient greedy = connect(server, 64 * 1024);
        long frames = PUSH / (PAYLOAD + Frames.DELIMITER.length);
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> writer = pushFrames(greedy, frames, written);

        long pushed = awaitStall(written);
        assertTrue(pushed < BOUND, "the server kept reading a client that does not read: " + pushed + " bytes");

        RawClient other = connect(server);                  // rule 10: nobody else waits for the greedy one
        other.sendFrame("prompt");
        other.expectEcho("prompt");

        for (long i = 0; i < frames; i++) {                 // rule 11: nothing lost, in order, byte-exact
            greedy.expectEcho(payload(i));
        }
        writer.get(30, TimeUnit.SECONDS);
    }

    @Test
    void rule13_idleConnectionIsClosed() throws Exception {
        Server server = start(ServerConfig.defaults().withIdleTimeout(Duration.ofSeconds(1)));
        RawClient idle = connect(server);
        RawClient busy = connect(server);
        busy.sendFrame("before");
        busy.expectEcho("before");
        assertTrue(idle.closedByServer(), "an idle connection is closed");
    }

    @Test
    void rule13_connectionStalledOnAReaderThatNeverReadsIsClosedToo() throws Exception {
        Server server = start(ServerConfig.defaults().withIdleTimeout(Duration.ofSeconds(1)));
        RawClient greedy = connect(server, 64 * 1024);
        CompletableFuture<Void> writer = pushFrames(greedy, PUSH / PAYLOAD, new AtomicLong());
        // Held back, then cut off: the write fails once the server closes the idle connection.
        try {
            writer.get(30, TimeUnit.SECONDS);
            throw new AssertionError("all " + PUSH + " bytes were accepted by a server that should have stalled");
        } catch (java.util.concurrent.ExecutionException expected) {
            assertTrue(expected.getCause() instanceof java.io.UncheckedIOException, expected.toString());
        }
    }

    /**
     * Rule 13 closes only when no byte moved for the timeout: a reply still moving to a slow
     * reader is not idle, however long the whole of it takes. 16 MiB is four times what the
     * kernel's buffers hold (4 MiB here), so the server waits on the reader for most of it.
     *
     * <p>Slow, but in a way that a busy machine cannot turn into idle time: the reader rests
     * 300 ms, then takes 2 MiB as fast as it can, nine times, so the whole lasts over 2.7 s, past
     * the 2 s timeout, every rest under a sixth of it. (Rests of 500 ms and a 3 s timeout, a sixth,
     * held as well and took 4.7 s in every suite of the build, plain and TLS, for every
     * model.) A reader that trickled instead (64 KiB every 10 ms) failed under load: the
     * kernel wakes a writer blocked on a full buffer only once a good part of it is free, and at
     * a trickle slowed down by the scheduler that took over the timeout, although bytes moved.
     * Here each burst frees the server's whole buffer, so its writes move within a rest plus a
     * burst, a fraction of the timeout even when a busy machine makes the burst slow.
     */
    @Test
    void rule13_aReplyStillMovingToASlowReaderIsNotIdle() throws Exception {
        int size = 16 << 20, burst = 2 << 20;
        Server server = start(ServerConfig.defaults().withMaxFrame(size).withIdleTimeout(Duration.ofSeconds(2)));
        RawClient slow = connect(server, 64 * 1024);
        // Sent from a thread of its own: against a server that never reads, the reads below then
        // end at their timeout instead of the test sitting in this write for ever.
        CompletableFuture.runAsync(() -> {
            try {
                slow.sendFrame(Bytes.filler(size, 7));
            } catch (IOException cut) {
                // the reads below say what happened
            }
        }, r -> Thread.ofVirtual().name("slow-reader-frame").start(r));
        byte[] reply = new byte[Frames.ECHO_PREFIX.length + size + Frames.DELIMITER.length];
        for (int got = 0; got < reply.length; ) {
            // Pacing, not waiting for an event: the rest is what makes this reader slow.
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
            for (int step = 0, n; step < burst && got < reply.length; got += n, step += n) {
                n = slow.input().read(reply, got, Math.min(burst - step, reply.length - got));
                if (n < 0) throw new AssertionError("closed after " + got + " of " + reply.length + " bytes");
            }
        }
        assertArrayEquals(Frames.frame(Bytes.echoOf(Bytes.filler(size, 7))), reply);
    }
}
