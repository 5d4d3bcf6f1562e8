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
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Peers that play TLS against the server on purpose (rules 10, 11, 21, 24 to 26): a KeyUpdate
 * flood from a client that never reads, close_notify in the same write as the last frame, a
 * renegotiation behind megabytes of queued replies, a ClientHello dribbled a byte at a time, a
 * flood of ClientHellos cut by resets, and a seeded fuzz of frames over records over segments
 * ({@link BoundaryFuzz}). Each costs only its own connection: others are served meanwhile. The
 * peers are {@link EngineClient}s, the JDK's engine driven by hand, so each test chooses its
 * bytes; every wait is bounded, and every test runs in seconds.
 */
public abstract class HostileRules extends OpenSslRules {
    private static final int WAIT_MILLIS = 10_000;

    protected HostileRules(Model model) {
        super(model);
    }

    private EngineClient engineClient(Server server, String protocol) throws IOException {
        return closeLater(EngineClient.connect(server.address(), tls, protocol, WAIT_MILLIS));
    }

    /**
     * Rules 24, 10 and 11: KeyUpdate(update_requested) records from a TLS 1.3 client that never
     * reads. Each obliges the server to answer with a KeyUpdate of its own, output that the
     * client never takes: the answers count toward the backlog (64 KiB here), so the server
     * stops reading the flooder, whose writes then stall. A server that answers without limit
     * keeps reading for ever, holding every answer in memory (1.5 KB of heap per 27-byte record
     * was seen), or works harder for each. Meanwhile a good client's round trips stay short.
     *
     * <p>The records come from {@link EngineClient#keyUpdate}: the JDK's client engine makes a
     * KeyUpdate(update_requested) whenever a handshake is begun on a TLS 1.3 connection. They
     * are made 2,048 at a time and sent in one write, far faster than an SSLSocket's
     * {@code startHandshake()} (a write each) or {@code jdk.tls.keyLimits} (global to the JVM,
     * the server's engines too) would make them.
     */
    @Test
    void rule24_rule11_aKeyUpdateFloodFromAClientThatNeverReadsIsHeldBack() throws Exception {
        Server server = start(ServerConfig.defaults().withMaxBacklog(64 * 1024));
        EngineClient flooder = closeLater(EngineClient.flooder(server.address(), tls, WAIT_MILLIS));
        AtomicLong taken = new AtomicLong();
        AtomicBoolean sending = new AtomicBoolean();
        CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
            try {
                for (;;) {                                 // until held back, then the test's close ends it
                    ByteArrayOutputStream batch = new ByteArrayOutputStream();
                    for (int i = 0; i < 256; i++) batch.writeBytes(flooder.keyUpdate());
                    sending.set(true);
                    flooder.send(batch.toByteArray());
                    sending.set(false);
                    taken.addAndGet(batch.size());
                }
            } catch (IOException closed) {
                // the test closed the flooder, or the server did: either way the flood is over
            }
        }, r -> Thread.ofVirtual().name("keyupdate-flood").start(r));

        long held = awaitStall(taken, sending, flood, 8L << 20, "KeyUpdates from a client that never reads");

        List<Long> roundTrips = new ArrayList<>();
        try (RawClient good = RawClient.connect(server.address(), 0, tls)) {
            for (int i = 0; i < 20; i++) {
                long t0 = System.nanoTime();
                good.sendFrame("beside the flood " + i);
                good.expectEcho("beside the flood " + i);
                roundTrips.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
        }
        roundTrips.sort(null);
        // A server that only seemed to stall (too busy with its pile of answers to read for a
        // second) reads on meanwhile; one that holds rule 11 is still not reading.
        assertEquals(held, taken.get(), "rule 11: the server stops reading the flooder until its answers drain,"
                + " and it never reads them; it went on reading after " + held + " bytes");
        assertTrue(roundTrips.get(10) < 1000, "rule 24: the flood costs the other connections nothing; a good"
                + " client's round trips (ms, sorted): " + roundTrips + ", while the flooder got " + held + " bytes in");
        assertStillServingQuietly(server);
    }

    /**
     * Polls until the writer has sat in one write for a second: it is held back. (A KeyUpdate
     * costs its maker a key schedule, about 50 us, so time between writes is no sign of a
     * stall.) Fails once {@code taken} passes {@code bound} or 30 s go by, so that a server that
     * never pushes back is caught before the memory it holds harms the rest of the build.
     */
    private static long awaitStall(AtomicLong taken, AtomicBoolean sending, CompletableFuture<Void> writer, long bound,
            String what) throws InterruptedException {
        long last = -1, stableSince = System.nanoTime(), deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - deadline < 0) {
            long now = taken.get();
            if (now > bound) fail("rule 11: the server kept reading " + what + ": " + now + " bytes taken, and still taking");
            if (writer.isDone()) fail("the server closed the connection after " + now + " bytes of " + what);
            if (now != last || !sending.get()) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(1)) {
                return now;
            }
            TimeUnit.MILLISECONDS.sleep(50);               // a bounded poll of a counter, not an event
        }
        return fail("rule 11: the server kept reading " + what + " for 30 s: " + taken.get() + " bytes taken");
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

    private void echoOnce(Server server, String text) {
        try (RawClient good = RawClient.connect(server.address(), 0, tls)) {
            good.sendFrame(text);
            good.expectEcho(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
     * Rule 25: a ClientHello dribbled a byte every 100 ms, under a 2 s handshake deadline and no
     * idle timeout: its bytes arrive steadily, yet it is closed at the deadline, and a good client
     * is served meanwhile. Its last byte would come only after 30 s or more.
     */
    @Test
    void rule25_aClientHelloDribbledAByteAtATimeIsClosedAtTheHandshakeDeadline() throws Exception {
        Server server = start(ServerConfig.defaults().withIdleTimeout(Duration.ZERO)
                .withTls(TestPki.get().server().withHandshakeTimeout(Duration.ofSeconds(2))));
        byte[] hello = EngineClient.clientHello(tls, server.address());
        Socket dribbler = closeLater(new Socket());
        dribbler.connect(server.address(), WAIT_MILLIS);
        dribbler.setTcpNoDelay(true);
        long t0 = System.nanoTime();
        CompletableFuture<Integer> end = CompletableFuture.supplyAsync(() -> {
            try {
                return dribbler.getInputStream().read();       // -1 at a close; an alert's first byte also ends it
            } catch (IOException reset) {
                return -2;
            }
        }, r -> Thread.ofVirtual().name("dribbler-reader").start(r));
        echoOnce(server, "while a ClientHello dribbles");
        int sent = 0;
        try {
            for (; sent < hello.length && !end.isDone() && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15); sent++) {
                dribbler.getOutputStream().write(hello[sent]);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));   // pacing: the dribble itself
            }
        } catch (IOException closedByTheServer) {
            // the deadline closed it while we wrote
        }
        long seconds = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) / 1000;
        try {
            end.get(2, TimeUnit.SECONDS);
        } catch (TimeoutException stillOpen) {
            fail("rule 25: a ClientHello dribbled for " + seconds + " s (" + sent + " of its " + hello.length
                    + " bytes) was not closed at the 2 s handshake deadline");
        }
        assertTrue(seconds >= 1, "rule 25: closed at the deadline, not at once (" + sent + " bytes sent)");
        assertStillServingQuietly(server);
    }

    /**
     * Rules 25 and 26: 500 clients each send a ClientHello and reset at once, each costing the
     * server a key exchange if it does the work of connections already gone; meanwhile a good
     * client completes its handshake and an echo within the suite's read timeout.
     */
    @Test
    void rule26_aFloodOfClientHellosCutByResetsLeavesRoomForAGoodClient() throws Exception {
        Server server = startEcho();
        byte[] hello = EngineClient.clientHello(tls, server.address());
        List<CompletableFuture<Void>> flooders = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            flooders.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 125; i++) helloThenReset(server.address(), hello);
            }, r -> Thread.ofPlatform().name("hello-flood").daemon().start(r)));
        }
        CompletableFuture<Void> good = CompletableFuture.runAsync(() -> echoOnce(server, "through the flood"),
                r -> Thread.ofVirtual().name("good-client").start(r));
        for (CompletableFuture<Void> f : flooders) f.get(60, TimeUnit.SECONDS);
        good.get(30, TimeUnit.SECONDS);
        assertStillServingQuietly(server);
    }

    private static void helloThenReset(InetSocketAddress server, byte[] hello) {
        try (Socket s = new Socket()) {
            s.connect(server, WAIT_MILLIS);
            s.getOutputStream().write(hello);
            s.setSoLinger(true, 0);                        // the close is a reset
        } catch (IOException refused) {
            // a full accept queue may refuse one: the flood goes on
        }
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
