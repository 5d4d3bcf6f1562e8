package fourways.tutorials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.testsuite.SlowKeys;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chapter 10's pitfalls of SSLEngine code, one by one: {@link NaiveEngines}, as public examples
 * write it, must fail each check; {@link EngineLoop}, ours, must pass it. Real engines, real
 * certificates ({@code TestPki}, made at test time), real TLS bytes on an in-memory
 * {@link Wire}; every loop bounded, nothing timed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsPitfallsTest {
    /** How far the naive handshake may spin before the test stops it. */
    private static final int BUDGET = 10_000;
    private static final String REPLY = "Server return :hi<EOF>";

    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "event-loop"));
    private final ExecutorService workers = Executors.newFixedThreadPool(2, r -> new Thread(r, "tls-task"));
    private SlowKeys slow;

    @AfterEach
    void stop() {
        if (slow != null) slow.open();                          // never leave a thread at the gate
        loop.shutdownNow();
        workers.shutdownNow();
    }

    // tag::spin[]
    @Test
    void pitfall1_naive_aHandshakeWaitingForBytesSpins() throws Exception {
        TlsPair pair = TlsPair.withTestCertificate();
        pair.clientHello();
        pair.toServer.holdBack(pair.toServer.pending() / 2);    // half the ClientHello has arrived
        pair.serverEngine.beginHandshake();

        int turns = NaiveEngines.handshake(pair.serverEngine, pair.toServer, pair.toClient, BUDGET);

        assertEquals(BUDGET, turns, "naive: it went round until the test stopped it");
        assertEquals(HandshakeStatus.NEED_UNWRAP, pair.serverEngine.getHandshakeStatus(), "...and got nowhere");
    }

    @Test
    void pitfall1_ours_returnsUntilTheRestArrives() throws Exception {
        TlsPair pair = TlsPair.withTestCertificate();
        EngineLoop server = pair.ours(TlsPair.INLINE, TlsPair.INLINE);
        pair.clientHello();
        pair.toServer.holdBack(pair.toServer.pending() / 2);
        pair.serverEngine.beginHandshake();

        server.onReadable();                                    // returns: a spin would never come back
        assertEquals(0, pair.toClient.pending(), "ours: nothing to answer half a ClientHello with");
        pair.toServer.release();
        server.onReadable();
        assertTrue(pair.toClient.pending() > 0, "ours: with the rest, the server's flight goes out");
    }
    // end::spin[]

    // tag::tasks[]
    @Test
    void pitfall2_naive_aDelegatedTaskOnTheLoopThreadHoldsUpEveryOtherConnection() throws Exception {
        TlsPair other = TlsPair.withTestCertificate();
        EngineLoop otherServer = other.established();           // B: connected, about to send a frame
        slow = new SlowKeys();
        TlsPair a = new TlsPair(slow.newEngine());              // A: its server key answers slowly
        a.clientHello();
        a.serverEngine.beginHandshake();
        slow.arm();
        Thread loopThread = loop.submit(Thread::currentThread).get();

        loop.execute(TlsPair.task(() -> NaiveEngines.handshake(a.serverEngine, a.toServer, a.toClient, BUDGET)));
        assertSame(loopThread, slow.awaitWaiter(10), "naive: A's delegated task runs on the loop thread");
        other.send("hi");
        Future<?> served = loop.submit(TlsPair.task(otherServer::onReadable));
        assertFalse(served.isDone(), "naive: B's frame waits, for as long as A's key takes");

        slow.open();
        served.get(10, TimeUnit.SECONDS);
        assertEquals(REPLY, other.received(), "B is answered only once A's key has answered");
    }

    @Test
    void pitfall2_ours_theOtherConnectionsAreServedWhileATaskRuns() throws Exception {
        TlsPair other = TlsPair.withTestCertificate();
        EngineLoop otherServer = other.established();
        slow = new SlowKeys();
        TlsPair a = new TlsPair(slow.newEngine());
        EngineLoop aServer = a.ours(workers, loop);
        a.clientHello();
        a.serverEngine.beginHandshake();
        slow.arm();
        Thread loopThread = loop.submit(Thread::currentThread).get();

        loop.submit(TlsPair.task(aServer::onReadable)).get(10, TimeUnit.SECONDS);   // the loop is free again
        Thread held = slow.awaitWaiter(10);
        assertNotNull(held, "A's delegated task should be waiting for its key");
        assertNotEquals(loopThread, held, "ours: the task runs off the loop");
        other.send("hi");
        loop.submit(TlsPair.task(otherServer::onReadable)).get(10, TimeUnit.SECONDS);
        assertEquals(REPLY, other.received(), "ours: B is answered while A's key is still thinking");

        slow.open();                                            // A's task ends and resumes A on the loop
        for (int i = 0; i < 1000 && a.toClient.pending() == 0; i++) loop.submit(() -> { }).get(10, TimeUnit.SECONDS);
        assertTrue(a.toClient.pending() > 0, "ours: A's handshake goes on once its task is done");
    }
    // end::tasks[]

    // tag::underflow[]
    @Test
    void pitfall3_naive_aPartialRecordIsTakenForAnError() throws Exception {
        TlsPair pair = TlsPair.withTestCertificate();
        pair.established();
        pair.send("hi");
        pair.toServer.holdBack(3);                              // the read ends inside the record's header
        ByteBuffer netIn = ByteBuffer.allocate(pair.serverEngine.getSession().getPacketBufferSize());

        SSLException e = assertThrows(SSLException.class, () -> NaiveEngines.read(pair.serverEngine, pair.toServer, netIn));
        assertTrue(e.getMessage().contains("BUFFER_UNDERFLOW"), "naive: " + e.getMessage());
    }

    @Test
    void pitfall3_ours_aRecordCutAnywhereIsWaitedFor() throws Exception {
        TlsPair pair = TlsPair.withTestCertificate();
        EngineLoop server = pair.established();
        StringBuilder expected = new StringBuilder();
        pair.send("hi");
        int record = pair.toServer.pending();
        for (int cut = 1; cut < record; cut++) {                // every byte of one record, one cut each
            if (cut > 1) pair.send("hi");
            pair.toServer.holdBack(cut);
            server.onReadable();
            assertEquals(expected.toString(), pair.received(), "ours: nothing yet, after " + cut + " bytes");
            pair.toServer.release();
            server.onReadable();
            expected.append(REPLY);
            assertEquals(expected.toString(), pair.received(), "ours: the frame cut after byte " + cut);
        }
    }
    // end::underflow[]

    // tag::leftover[]
    @Test
    void pitfall4_naive_theFirstFrameThatCameWithTheFinishedIsNeverAnswered() throws Exception {
        TlsPair pair = TlsPair.withTestCertificate();
        pair.clientHello();
        pair.serverEngine.beginHandshake();
        NaiveEngines.handshake(pair.serverEngine, pair.toServer, pair.toClient, 100);  // up to the client's Finished
        pair.client.onReadable();                               // the client finishes...
        pair.send("hi");                                        // ...and sends at once: one read holds both

        NaiveEngines.handshake(pair.serverEngine, pair.toServer, pair.toClient, BUDGET);

        assertEquals(0, pair.toServer.pending(), "naive: the server has read every byte the client sent");
        assertEquals("", pair.received(), "naive: and answers nothing; the frame went with the handshake's buffer");
    }

    @Test
    void pitfall4_ours_theFirstFrameIsAnsweredWhateverCameWithIt() throws Exception {
        TlsPair pair = TlsPair.withTestCertificate();
        EngineLoop server = pair.ours(TlsPair.INLINE, TlsPair.INLINE);
        pair.clientHello();
        pair.serverEngine.beginHandshake();
        server.onReadable();
        pair.client.onReadable();
        pair.send("hi");

        server.onReadable();

        assertEquals(REPLY, pair.received(), "ours: the bytes after the Finished are the next turn's");
    }
    // end::leftover[]

    // tag::close-notify[]
    @Test
    void pitfall5_naive_withoutCloseNotifyAnEndAndACutLookTheSame() throws Exception {
        assertEquals(TlsPair.endSeenByClient(false, false), TlsPair.endSeenByClient(false, true),
                "naive: the client cannot tell the server's end from a cut that dropped its last reply");
    }

    @Test
    void pitfall5_ours_closeNotifyTellsAnEndFromACut() throws Exception {
        String end = TlsPair.endSeenByClient(true, false);
        String cut = TlsPair.endSeenByClient(true, true);
        assertEquals(REPLY + " ended by close_notify", end, "ours: an end is an end");
        assertEquals(REPLY + " cut", cut, "ours: a cut is reported as one");
    }
    // end::close-notify[]
}
