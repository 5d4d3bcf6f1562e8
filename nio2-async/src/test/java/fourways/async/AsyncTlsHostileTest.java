package fourways.async;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fourways.protocol.ServerConfig;
import fourways.testsuite.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile TLS peers against the NIO2 server (issue 22): a KeyUpdate flood (rule 24), a dribbled
 * ClientHello (rule 25), what a closed connection leaves behind, and which thread reads after a
 * delegated task. Real records from a client engine on loopback; every wait has a deadline.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AsyncTlsHostileTest {
    private static final TestPki PKI = TestPki.get();
    private AsyncServer server;
    private EngineClient client;

    @AfterEach
    void close() throws IOException {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    private InetSocketAddress start(ServerConfig config) throws IOException {
        server = new AsyncServer(config.withHost("127.0.0.1").withPort(0));
        return server.address();
    }

    private static ServerConfig tls() {
        return ServerConfig.defaults().withTls(PKI.server());
    }

    private EngineClient handshaken(InetSocketAddress address, int receiveBuffer) throws IOException {
        SSLEngine engine = PKI.client().newEngine(address);
        engine.setEnabledProtocols(new String[] {"TLSv1.3"});
        client = new EngineClient(address, engine, receiveBuffer);
        client.handshake(System.currentTimeMillis() + 10_000);
        return client;
    }

    /** Rule 24: a KeyUpdate's answer goes out at once, as a reply would; the server holds none of them. */
    @Test
    void rule24_keyUpdatesAreAnsweredAtOnce_notHeldForTheNextReply() throws IOException {
        EngineClient c = handshaken(start(tls()), 0);
        ByteBuffer updates = ByteBuffer.allocate(200 * 64);
        for (int i = 0; i < 200; i++) updates.put(c.keyUpdate());
        c.writeAll(updates.flip(), System.currentTimeMillis() + 10_000);
        int records = 0;
        long deadline = System.currentTimeMillis() + 15_000;
        while (records < 200 && System.currentTimeMillis() < deadline) {
            SSLEngineResult r = c.unwrapOne();
            if (r.bytesConsumed() > 0) {
                records++;                            // a session ticket counts too: at most one or two more
            } else if (c.readSome(deadline) < 0) {
                break;
            }
        }
        assertTrue(records >= 200, "the server sent " + records + " records for 200 KeyUpdates: it held their answers");
        c.writeAll(c.wrap("ping<EOF>"), System.currentTimeMillis() + 10_000);
        StringBuilder got = new StringBuilder();
        while (!got.toString().contains("ping<EOF>") && System.currentTimeMillis() < deadline) {
            if (c.unwrapOne().bytesConsumed() == 0 && c.readSome(deadline) < 0) break;
            got.append(c.plaintext());
        }
        assertEquals("Server return :ping<EOF>", got.toString(), "the connection still echoes after the KeyUpdates");
    }

    /**
     * Rules 24, 11, 13: a peer that floods KeyUpdates, sends a small frame now and then, and reads
     * nothing, stops being read once its answers fill the socket, and the idle timeout closes it.
     * Before, every answer stayed in the server's heap and each frame kept the connection alive.
     *
     * <p>The verdict is a count, not a time: it takes about 140,000 KeyUpdates to fill the
     * server's socket (its send buffer grows to {@code tcp_wmem}'s 4 MiB on loopback), each a key
     * schedule on the server: 6 s alone, 16 s beside eight busy loops, and more than 60 s once in
     * a build where five JVMs shared two cores. The deadline only keeps a stuck run bounded.
     */
    @Test
    @Timeout(value = 200, unit = TimeUnit.SECONDS)
    void rule24_aKeyUpdateFloodThatNeverReadsIsNoLongerRead_andTheIdleTimeoutClosesIt() throws IOException {
        EngineClient c = handshaken(start(tls().withIdleTimeout(Duration.ofSeconds(2))), 4096);
        long limit = 400_000;                         // about 11 MB of answers: far more than any socket buffers hold
        long sent = 0;
        long deadline = System.currentTimeMillis() + 180_000;
        try {
            while (sent < limit && System.currentTimeMillis() < deadline) {
                ByteBuffer batch = ByteBuffer.allocate(100 * 64 + 256);
                for (int i = 0; i < 100; i++) batch.put(c.keyUpdate());
                batch.put(c.wrap("x<EOF>")).flip();
                sent += 100;
                while (!c.write(batch, 500)) {
                    if (System.currentTimeMillis() > deadline) break;  // stalled: the server stopped reading
                }
            }
            fail(sent < limit ? "not closed in 180 s, after " + sent + " KeyUpdates taken (rule 11 stops reading them,"
                    + " then rule 13 closes)"
                    : "the server kept reading a peer that never reads: " + sent + " KeyUpdates sent");
        } catch (IOException closed) {
            assertTrue(sent < limit, "closed only after " + sent);   // rule 13 closed it; the write saw the reset
        }
    }

    /** Rule 25: a ClientHello dribbled in small pieces is closed at the handshake deadline; no idle timeout runs. */
    @Test
    void rule25_aDribbledClientHelloIsClosedAtTheHandshakeDeadline() throws IOException {
        InetSocketAddress address = start(tls().withIdleTimeout(Duration.ZERO)
                .withTls(PKI.server().withHandshakeTimeout(Duration.ofSeconds(2))));
        SSLEngine engine = PKI.client().newEngine(address);
        client = new EngineClient(address, engine, 0);
        engine.beginHandshake();
        ByteBuffer hello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), hello);
        hello.flip();
        long deadline = System.currentTimeMillis() + 60_000;
        int read = 0;
        while (read >= 0 && hello.hasRemaining() && System.currentTimeMillis() < deadline) {
            int n = Math.min(8, hello.remaining());
            try {
                client.writeAll(hello.slice(hello.position(), n), deadline);
                hello.position(hello.position() + n);
                read = client.readSome(System.currentTimeMillis() + 250);   // paces the dribble: 8 bytes per 250 ms
            } catch (IOException reset) {
                read = -1;
            }
        }
        assertEquals(-1, read, "the server never closed a handshake dribbled past its deadline");
        assertTrue(hello.hasRemaining(), "closed only after the whole ClientHello");
    }

    /** Item 7: a closed TLS connection leaves no deadline behind once its close_notify is out. */
    @Test
    void aClosedTlsConnectionLeavesNoTimerBehind() throws Exception {
        EngineClient c = handshaken(start(tls()), 0);
        c.writeAll(c.wrap("ping<EOF>"), System.currentTimeMillis() + 10_000);
        c.socket().shutdownOutput();                  // FIN: the server answers, sends close_notify, closes
        long deadline = System.currentTimeMillis() + 10_000;
        while (c.readSome(deadline) > 0) {
            // drain until the server's FIN
        }
        while (server.openConnections() > 0 && System.currentTimeMillis() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));   // close() ends just after the FIN
        }
        long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);   // the old timer held 1,000 ms
        while (server.scheduledDeadlines() > 0 && System.nanoTime() < giveUp) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertEquals(0, server.scheduledDeadlines(), "a deadline of a closed connection is still scheduled");
    }
}
