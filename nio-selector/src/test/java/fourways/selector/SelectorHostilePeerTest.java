package fourways.selector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.TlsServer;
import fourways.testsuite.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile TLS peers against the selector server, over real sockets: what the shared suite
 * cannot stage with the JDK's own sockets (a ClientHello dribbled a byte at a time, a
 * close_notify in the same segment as the last frame). Each verdict waits on the server's own
 * act (a close, a close_notify), bounded by a deadline far past the one under test.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SelectorHostilePeerTest {
    private final SelectorModel model = new SelectorModel();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private Server start(TlsServer tls, Duration idle) throws IOException {
        Server server = model.start(ServerConfig.defaults().withPort(0).withTls(tls).withIdleTimeout(idle));
        open.add(server);
        return server;
    }

    @Test
    void rule25_aClientHelloDribbledAByteAtATimeIsClosedAtTheHandshakeDeadline() throws Exception {
        Server server = start(TestPki.get().server().withHandshakeTimeout(Duration.ofSeconds(1)), Duration.ofSeconds(60));
        assertTrue(dribbleUntilClosed(server), "the 1 s handshake deadline closed the dribbler (within 30 s)");
    }

    @Test
    void rule25_theIdleTimeoutRunsDuringTheHandshakeTooAndHandshakeBytesAreNotActivity() throws Exception {
        Server server = start(TestPki.get().server().withHandshakeTimeout(Duration.ofHours(1)), Duration.ofSeconds(1));
        assertTrue(dribbleUntilClosed(server), "the 1 s idle timeout closed the dribbler (within 30 s)");
    }

    @Test
    void rule24_aCloseNotifyInTheSameReadAsTheLastFrameGetsTheReplyThenCloseNotifyAtOnce() throws Exception {
        Server server = start(TestPki.get().server(), Duration.ofSeconds(60));
        try (EnginePeer peer = new EnginePeer(server.address())) {
            peer.sendThenCloseNotify(bytes("last<EOF>"));      // one write, no FIN: Python's unwrap()
            // 10 s, against the idle timeout's 60: the old server sent its close_notify only then.
            assertArrayEquals(bytes("Server return :last<EOF>"), peer.readUntilCloseNotify(10_000));
        }
    }

    /**
     * A ClientHello, one byte every 200 ms (the pace is a read waiting for the server's close),
     * never the whole of it: at that pace it would take minutes. True once the server closed.
     */
    private static boolean dribbleUntilClosed(Server server) throws Exception {
        byte[] hello = clientHello();
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int i = 0; i < hello.length - 1 && System.nanoTime() - deadline < 0; i++) {
                try {
                    out.write(hello[i]);
                    if (in.read() < 0) return true;       // the server's FIN
                } catch (SocketTimeoutException stillOpen) {
                    // no word from the server yet: the next byte
                } catch (IOException reset) {
                    return true;
                }
            }
            return false;
        }
    }

    private static byte[] clientHello() throws Exception {
        SSLEngine engine = TestPki.get().client().newEngine(new java.net.InetSocketAddress("127.0.0.1", 11000));
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
