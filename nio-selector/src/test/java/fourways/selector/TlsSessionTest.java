package fourways.selector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.testsuite.TestPki;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine driver where the shared suite cannot reach: two {@link TlsSession}s joined by
 * {@link MemoryWire}, which decides how many bytes each read gets, so that a read ends inside a
 * record every time, or a record is bigger than the reader's buffer, on purpose.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsSessionTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 11000);
    private final ExecutorService tasks = TlsTasks.pool("test-tls-task-");
    private final MemoryWire[] wire = MemoryWire.pair();
    private int tasksDelegated;

    @AfterEach
    void stopTasks() {
        tasks.shutdownNow();
    }

    private TlsSession client() throws Exception {
        return new TlsSession(wire[0], TestPki.get().client().newEngine(SERVER), SERVER);
    }

    private TlsSession server() throws Exception {
        return new TlsSession(wire[1], TestPki.get().server().newEngine(), null);
    }

    @Test
    void aReadThatEndsInsideARecordKeepsItsBytesUntilTheRecordIsWhole() throws Exception {
        TlsSession client = client(), server = server();
        wire[0].chunk = wire[1].chunk = 1;                 // every read, the handshake's too, is one byte
        handshake(client, server);
        client.write(ByteBuffer.wrap(bytes("split at every byte<EOF>")));
        ByteBuffer got = ByteBuffer.allocate(100);
        int partial = 0;
        for (int i = 0; i < 1_000 && got.position() == 0; i++) {
            if (server.read(got) == 0) partial++;          // BUFFER_UNDERFLOW: one more byte kept, none lost
        }
        assertArrayEquals(bytes("split at every byte<EOF>"), Arrays.copyOf(got.array(), got.position()));
        assertTrue(partial > 24, "a read ended inside the record " + partial + " times");
    }

    @Test
    void delegatedTasksRunOnThePoolAndNeverOnTheCallersLoop() throws Exception {
        AtomicReference<Thread> choseOn = new AtomicReference<>();
        SSLEngine serverEngine = TestPki.get().server().newEngine();
        // The server picks the protocol (ALPN) while it consumes the ClientHello: a delegated task.
        serverEngine.setHandshakeApplicationProtocolSelector((engine, offered) -> {
            choseOn.set(Thread.currentThread());
            return offered.getFirst();
        });
        SSLEngine clientEngine = TestPki.get().client().newEngine(SERVER);
        SSLParameters offer = clientEngine.getSSLParameters();
        offer.setApplicationProtocols(new String[] {"fourways"});
        clientEngine.setSSLParameters(offer);
        handshake(new TlsSession(wire[0], clientEngine, SERVER), new TlsSession(wire[1], serverEngine, null));
        assertTrue(tasksDelegated > 0, "the engine's tasks came back to the caller as TASK");
        assertEquals("fourways", serverEngine.getApplicationProtocol());
        assertNotEquals(Thread.currentThread(), choseOn.get(), "not on the caller's (the loop's) thread");
        assertTrue(choseOn.get().getName().startsWith("test-tls-task-"), choseOn.get().getName());
    }

    @Test
    void aRecordBiggerThanTheReadersBufferOverflowsIntoTheSessionsOwnAndComesOutWhole() throws Exception {
        TlsSession client = client(), server = server();
        handshake(client, server);
        byte[] big = new byte[16_384];                     // one full record's worth of plaintext
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        ByteBuffer src = ByteBuffer.wrap(big);
        assertEquals(big.length, server.write(src));
        ByteBuffer all = ByteBuffer.allocate(big.length);
        ByteBuffer small = ByteBuffer.allocate(1_000);     // BUFFER_OVERFLOW: smaller than the record
        for (int i = 0; i < 100 && all.hasRemaining(); i++) {
            small.clear();
            assertTrue(client.read(small) >= 0);
            all.put(small.flip());
        }
        assertArrayEquals(big, all.array());
        assertTrue(!client.hasPendingInput(), "nothing left behind");
    }

    @Test
    void dataThatCameWithTheLastHandshakeRecordIsReadWithoutAnotherByteFromTheSocket() throws Exception {
        TlsSession client = client(), server = server();
        for (int i = 0; i < 100 && !client.established(); i++) {
            step(client);
            if (!client.established()) step(server);       // the server must not see the client's Finished yet
        }
        client.write(ByteBuffer.wrap(bytes("right behind Finished<EOF>")));   // before the server saw Finished
        handshake(client, server);
        wire[1].chunk = 0;                                 // the socket has nothing more to give
        ByteBuffer got = ByteBuffer.allocate(100);
        int n = server.read(got);
        assertArrayEquals(bytes("right behind Finished<EOF>"), Arrays.copyOf(got.array(), n));
    }

    @Test
    void severalRecordsInOneReadAreAllUnwrappedAndCloseNotifyIsEndOfInput() throws Exception {
        TlsSession client = client(), server = server();
        handshake(client, server);
        for (String frame : new String[] {"one<EOF>", "two<EOF>", "three<EOF>"}) {
            client.write(ByteBuffer.wrap(bytes(frame)));   // a record each
        }
        assertTrue(client.closeOutbound(), "close_notify written");
        ByteBuffer got = ByteBuffer.allocate(100);
        assertEquals(26, server.read(got));                // three records, one read
        assertArrayEquals(bytes("one<EOF>two<EOF>three<EOF>"), Arrays.copyOf(got.array(), 26));
        assertEquals(-1, server.read(got), "rule 6 over TLS: close_notify ends the input");
        server.write(ByteBuffer.wrap(bytes("still owed<EOF>")));      // TLS 1.3 half-close: the server may still send
        assertTrue(server.closeOutbound());
        got.clear();
        assertEquals(15, client.read(got));
        assertEquals(-1, client.read(got));
    }

    @Test
    void rule24_aCloseNotifyInTheSameReadAsTheLastFrameIsStillPendingInputSoTheLoopReadsTheEnd() throws Exception {
        TlsSession client = client(), server = server();
        handshake(client, server);
        client.write(ByteBuffer.wrap(bytes("last<EOF>")));
        assertTrue(client.closeOutbound(), "close_notify written, no FIN behind it");
        ByteBuffer got = ByteBuffer.allocate(100);
        assertEquals(9, server.read(got));                 // the frame and the close_notify, one read
        wire[1].chunk = 0;                                 // and the socket has nothing more: no OP_READ will come
        assertTrue(server.hasPendingInput(), "the end is known already: the loop must read again");
        assertEquals(-1, server.read(got), "and that read says end of input at once");
    }

    @Test
    void rule24_keyUpdateAnswersWaitingForAFullSocketAreCountedAndNotRetriedPerRecord() throws Exception {
        TlsSession client = client(), server = server();
        handshake(client, server);
        SSLEngine flooder = engineOf(client);
        ByteBuffer records = ByteBuffer.allocate(1 << 16);
        int keyUpdates = 0;
        while (records.position() < 15_000) {              // under a packet: one read of the socket takes them all
            flooder.beginHandshake();                      // TLS 1.3, established: a KeyUpdate(update_requested)
            flooder.wrap(ByteBuffer.allocate(0), records);
            keyUpdates++;
        }
        wire[0].write(records.flip());
        wire[1].room = 0;                                  // the server's socket is full
        int writesBefore = wire[1].writes;
        assertEquals(0, server.read(ByteBuffer.allocate(100)), "KeyUpdates carry no data");
        assertTrue(wire[1].writes - writesBefore <= 2,
                (wire[1].writes - writesBefore) + " writes for " + keyUpdates + " answers: a full socket is not retried per record");
        assertTrue(server.pendingOutput() >= keyUpdates * 20,
                "rule 24: the " + keyUpdates + " answers are owed output, counted: " + server.pendingOutput());
        wire[1].room = Integer.MAX_VALUE;
        assertTrue(server.flush(), "the socket has room again: every answer goes");
        assertEquals(0, server.pendingOutput());
        assertEquals(0, client.read(ByteBuffer.allocate(100)), "the client takes the answers, and no data");
    }

    @Test
    void aSessionAllocatesNoRecordBufferBeforeItsFirstBytes() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        SSLEngine engine = TestPki.get().server().newEngine();
        MemoryWire socket = MemoryWire.pair()[1];
        server();                                          // the classes loaded, once
        long before = threads.getCurrentThreadAllocatedBytes();
        TlsSession idle = new TlsSession(socket, engine, null);
        long cost = threads.getCurrentThreadAllocatedBytes() - before;
        // Rule 26's idle connect flood: two 17 KiB record buffers per connection before any
        // ClientHello came was 33 KB each; now they come with the first bytes.
        assertTrue(cost < 16_384, "a session with no byte read yet allocated " + cost + " bytes");
        assertEquals(0, idle.pendingOutput());
    }

    @Test
    void theTasksOfAConnectionAlreadyClosedAreSkippedAndNotResumed() throws Exception {
        TlsSession client = client(), server = server();
        for (int i = 0; i < 10 && server.handshake() != TlsSession.Wait.TASK; i++) {
            client.handshake();                            // the ClientHello, until the server has work to delegate
        }
        List<Runnable> queued = new ArrayList<>();
        AtomicBoolean resumed = new AtomicBoolean();
        server.runTasks(queued::add, () -> resumed.set(true));   // queued, not yet run: a busy pool
        wire[1].close();                                   // the client reset meanwhile: the loop closed the connection
        queued.getFirst().run();                           // the pool's thread gets to it now
        assertEquals(TlsSession.Wait.TASK, server.handshake(), "the key exchange was not run for nobody");
        assertTrue(!resumed.get(), "and nothing is resumed on the loop");
    }

    @Test
    void aFullTaskPoolRefusesTheNextHandshakeAtOnceInsteadOfBlockingTheLoop() throws Exception {
        ExecutorService pool = TlsTasks.pool("test-full-pool-", 1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            int threads = Runtime.getRuntime().availableProcessors();
            for (int i = 0; i < threads + 1; i++) {       // every thread busy, and the one place in the queue taken
                pool.execute(() -> awaitQuietly(release));
            }
            TlsSession client = client(), server = server();
            for (int i = 0; i < 10 && server.handshake() != TlsSession.Wait.TASK; i++) client.handshake();
            java.io.IOException refused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> server.runTasks(pool, () -> { }));
            assertTrue(refused.getMessage().contains("refused"), refused.getMessage());
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SSLEngine engineOf(TlsSession session) throws Exception {
        var field = TlsSession.class.getDeclaredField("engine");
        field.setAccessible(true);                         // the test's own package: no module opened
        return (SSLEngine) field.get(session);
    }

    /** Both handshakes to the end, each step as a loop would take it, in a bounded number of steps. */
    private void handshake(TlsSession client, TlsSession server) throws Exception {
        for (int i = 0; i < 10_000 && !(client.established() && server.established()); i++) {
            step(client);
            step(server);
        }
        assertTrue(client.established() && server.established(), "both handshakes done");
    }

    private void step(TlsSession tls) throws Exception {
        if (tls.established() || tls.handshake() != TlsSession.Wait.TASK) return;
        tasksDelegated++;
        CountDownLatch back = new CountDownLatch(1);      // the loop's mailbox, in a test
        tls.runTasks(tasks, back::countDown);
        assertTrue(back.await(10, TimeUnit.SECONDS), "the delegated tasks came back");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
