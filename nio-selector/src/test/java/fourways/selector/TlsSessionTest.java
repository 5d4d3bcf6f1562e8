package fourways.selector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.testsuite.TestPki;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
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
