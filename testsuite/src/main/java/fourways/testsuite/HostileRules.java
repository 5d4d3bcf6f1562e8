package fourways.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fourways.protocol.Frames;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Peers that play TLS's edges against the server on purpose (rules 3, 21, 24): close_notify in
 * the same write as the last frame, a renegotiation behind megabytes of queued replies, and a
 * seeded fuzz of frames over records over segments ({@link BoundaryFuzz}); the floods are
 * {@link FloodRules}'. The peers are {@link EngineClient}s, the JDK's engine driven by hand, so
 * each test chooses its bytes; every wait is bounded, and every test runs in seconds.
 */
public abstract class HostileRules extends FloodRules {

    protected HostileRules(Model model) {
        super(model);
    }

    /**
     * Rule 24: close_notify in the same TCP write as the last frame's record, as Python's
     * {@code unwrap()}, Go's {@code CloseWrite} and OpenSSL's {@code SSL_shutdown} send it. TLS
     * 1.3 half-closes: the reply comes, then the server's close_notify, at once, not at the
     * idle timeout (60 s here).
     */
    @Test
    void rule24_closeNotifyInTheSameWriteAsTheLastFrameGetsTheReplyThenCloseNotify() throws Exception {
        byte[] got = lastFrameWithCloseNotify("TLSv1.3");
        assertEquals(Bytes.show(Frames.frame(Bytes.echoOf(Bytes.utf8("the last")))), Bytes.show(got),
                "rule 24: over TLS 1.3 the reply is owed, then close_notify");
    }

    /**
     * Rule 24 over TLS 1.2, which has no half-close: close_notify closes both ways, and the server
     * answers with its own at once. Whether the reply goes out first is the server's engine's
     * choice (the JDK's drops output once it has seen close_notify): the reply whole, or nothing.
     */
    @Test
    void rule24_tls12CloseNotifyInTheSameWriteAsTheLastFrameEndsTheConnectionAtOnce() throws Exception {
        byte[] got = lastFrameWithCloseNotify("TLSv1.2");
        byte[] reply = Frames.frame(Bytes.echoOf(Bytes.utf8("the last")));
        assertTrue(got.length == 0 || Arrays.equals(reply, got), "rule 24: the reply whole or nothing, got "
                + Bytes.show(got));
    }

    private byte[] lastFrameWithCloseNotify(String protocol) throws Exception {
        Server server = start(ServerConfig.defaults().withIdleTimeout(Duration.ofSeconds(60)));
        EngineClient c = engineClient(server, protocol);
        c.send(Bytes.concat(c.records(Frames.frame(Bytes.utf8("the last"))), c.closeNotify()));
        try {
            byte[] got = c.readToEnd();
            assertTrue(c.closeNotifyReceived(), "rule 24: the server ends with close_notify, not a bare close;"
                    + " it sent " + Bytes.show(got));
            return got;
        } catch (SocketTimeoutException silent) {
            return fail("rule 24: " + WAIT_MILLIS / 1000 + " s after close_notify came with the last frame, the"
                    + " server had not ended the connection (its idle timeout is 60 s): the end was not seen");
        }
    }

    /**
     * Rules 21 and 26: a TLS 1.2 client pipelines 3 MB of frames without reading, then asks to
     * renegotiate while its replies are still queued, and 50 other clients handshake meanwhile,
     * so that the renegotiation's delegated task waits its turn (one thread, where the model has
     * a setting for it) while the queued replies want writing.
     * The server refuses (an alert, or a close) and ends that connection; it neither wedges nor
     * loses a thread to a stack overflow, and everyone else is served.
     */
    @Test
    void rule21_aRenegotiationBehindQueuedRepliesIsRefusedAndCostsNothingElse() throws Exception {
        Server server = start(ServerConfig.defaults().withThreads(1));
        EngineClient c = engineClient(server, "TLSv1.2");
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int i = 0; frames.size() < 3_000_000; i++) frames.writeBytes(Frames.frame(Bytes.filler(1000, i % 26)));
        byte[] bytes = Bytes.concat(c.records(frames.toByteArray()), c.renegotiation());
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                c.send(bytes);
            } catch (IOException cut) {
                // the server refused and closed: what was not taken is not owed
            }
        }, r -> Thread.ofVirtual().name("pipelining-client").start(r));
        try {
            writer.get(5, TimeUnit.SECONDS);               // all in, or held back by rule 11: both will do
        } catch (TimeoutException heldBack) {
            // its reads below let the rest, and the renegotiation, through
        }
        List<CompletableFuture<Void>> others = new ArrayList<>();
        for (int i = 0; i < 50; i++) others.add(CompletableFuture.runAsync(() -> echoOnce(server, "meanwhile"),
                r -> Thread.ofVirtual().name("other-client").start(r)));
        long read = drainUntilTheEnd(c.rawInput(), "a connection that asked to renegotiate");
        for (CompletableFuture<Void> other : others) other.get(30, TimeUnit.SECONDS);
        assertTrue(read > 0, "the replies owed before the renegotiation came");
        assertStillServingQuietly(server);
    }

    /** Reads and drops bytes until the server ends the connection; the count. Fails if it stays open. */
    private static long drainUntilTheEnd(InputStream in, String what) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0, deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            for (int n; (n = in.read(buffer)) >= 0; total += n) {
                if (System.nanoTime() - deadline > 0) fail(what + " was still open after 30 s, " + total + " bytes read");
            }
        } catch (SocketTimeoutException wedged) {
            fail(what + " went silent for " + WAIT_MILLIS / 1000 + " s after " + total + " bytes, neither answering nor"
                    + " closed: wedged");
        } catch (java.net.SocketException reset) {
            // a reset ends it too
        }
        return total;
    }

    /**
     * Rules 24 and 3: frames of random sizes and bytes, cut into TLS records of random sizes,
     * the records cut into TCP writes at random, over TLS 1.3 and 1.2: every echo byte-exact.
     * Thousands of cases a run, each from its own seed, printed when it fails; {@code
     * -Dfourways.fuzz.seed=SEED} runs that one case alone.
     */
    @Test
    void rule24_rule03_aSeededFuzzOfFramesRecordsAndSegmentsEchoesByteExact() throws Exception {
        Server server = startEcho();
        Long one = Long.getLong("fourways.fuzz.seed");
        EngineClient tls13 = engineClient(server, "TLSv1.3"), tls12 = engineClient(server, "TLSv1.2");
        if (one != null) {
            BoundaryFuzz.run(one, tls13, tls12);
            return;
        }
        long base = new java.util.SplittableRandom().nextLong();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int cases = 0;
        for (; cases < 3000 && System.nanoTime() - deadline < 0; cases++) {
            BoundaryFuzz.run(base + cases, tls13, tls12);
        }
        assertTrue(cases >= 100, "only " + cases + " fuzz cases in 20 s");
    }
}
