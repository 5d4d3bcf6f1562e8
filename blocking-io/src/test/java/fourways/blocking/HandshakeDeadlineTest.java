package fourways.blocking;

import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.testsuite.RawClient;
import fourways.testsuite.TestPki;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rule 25 in the thread-per-connection server, on platform threads (blocking-io) and on virtual
 * threads (what virtual-threads runs): a handshake has a deadline of its own, counted from accept,
 * which the sweeper holds even with the idle timeout off and however steadily bytes dribble in.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HandshakeDeadlineTest {
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** Far past the deadline and its sweep, on a busy machine; the old code never closed at all. */
    private static final int MOST_BYTES = 20;

    enum Threads {
        PLATFORM, VIRTUAL;

        ThreadPerConnection model() {
            return this == PLATFORM
                    ? new ThreadPerConnection("blocking", Thread.ofPlatform().factory(), 16 * 1024, 16 * 1024)
                    : new ThreadPerConnection("virtual", Thread.ofVirtual().factory(), 4 * 1024, 4 * 1024);
        }
    }

    private Server server;

    @AfterEach
    void cleanUp() {
        if (server != null) server.close();
    }

    @ParameterizedTest
    @EnumSource(Threads.class)
    void rule25_aClientHelloDribbledAByteASecondIsClosedAtTheHandshakeDeadline(Threads threads) throws Exception {
        server = new BlockingServer(ServerConfig.defaults().withPort(0).withIdleTimeout(Duration.ZERO)
                .withTls(TestPki.get().server().withHandshakeTimeout(DEADLINE)), threads.model());
        try (RawClient good = RawClient.connect(server.address(), 0, TestPki.get().client());
             Socket dribbler = new Socket()) {
            good.sendFrame("before");
            good.expectEcho("before");
            long start = System.nanoTime();
            dribbler.connect(server.address(), 10_000);
            dribbler.setSoTimeout(1_000);             // the wait for the close is the dribble's pace
            byte[] hello = aClientHelloHead();
            boolean closed = false;
            int sent = 0;
            while (!closed && sent < MOST_BYTES) {
                closed = !sendOne(dribbler, hello[sent++ % hello.length]) || closedWithinASecond(dribbler);
                if (sent == 1) {
                    good.sendFrame("meanwhile");      // a slow handshake holds up no one else
                    good.expectEcho("meanwhile");
                }
            }
            long took = System.nanoTime() - start;

            assertTrue(closed, "the dribbling handshake was still open after " + sent + " bytes, one a second");
            assertTrue(took >= DEADLINE.toNanos(), "closed at the deadline, not before: after " + took / 1_000_000 + " ms");
            // The good client is past the deadline too, counted from its accept: its handshake
            // was done, so the deadline no longer applies, and with no idle timeout nothing does.
            good.sendFrame("after");
            good.expectEcho("after");
        }
    }

    /** False when the server has closed, and the write met its reset. */
    private static boolean sendOne(Socket s, byte b) {
        try {
            s.getOutputStream().write(b);
            return true;
        } catch (IOException reset) {
            return false;
        }
    }

    /** Waits up to the socket's timeout for the server's close (an end, or a reset). */
    private static boolean closedWithinASecond(Socket s) {
        try {
            return s.getInputStream().read() < 0;     // the server sends nothing else before its handshake
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** A TLS record header announcing a 512-byte ClientHello, and its first bytes. */
    private static byte[] aClientHelloHead() {
        return new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
    }
}
