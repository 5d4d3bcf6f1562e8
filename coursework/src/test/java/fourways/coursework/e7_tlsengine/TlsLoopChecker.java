package fourways.coursework.e7_tlsengine;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fourways.coursework.ExerciseModel;
import fourways.coursework.EchoUnderLoadChecks;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.testsuite.RawClient;
import fourways.testsuite.SlowKeys;
import fourways.testsuite.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Exercise 7's checker: the TLS echo answers (rule 5, as exercises 2 and 3 check it), and no client, slow in its handshake or in its
 * server key, holds up any other; a ClientHello that comes in two reads is waited for. Every
 * wait is bounded; the slow key is a gate the test opens, not a clock.
 */
@fourways.coursework.Trap("An engine loop on the selector thread must never wait there: not for bytes (return to select()),"
        + " not for a delegated task (run it on server.offLoop()); and BUFFER_UNDERFLOW means 'wait for the rest of the record'.")
abstract class TlsLoopChecker extends EchoUnderLoadChecks {
    private static final int SECONDS = 3;
    private final TlsSelectorServer.Connections connections;

    TlsLoopChecker(String name, TlsSelectorServer.Connections connections) {
        super(new ExerciseModel(name, c -> TlsSelectorServer.start(c, connections), true), true);
        this.connections = connections;
    }

    @Test
    void aClientThatStopsHalfwayThroughItsHandshakeHoldsUpNoOtherClient() throws Exception {
        Server server = startEcho();
        Socket stalled = closeLater(new Socket());
        stalled.connect(server.address());
        stalled.getOutputStream().write(clientHello(server.address()));
        stalled.setSoTimeout(SECONDS * 1000);
        // The server's answer has begun: it now waits for this client's Finished, which never comes.
        assertTrue(stalled.getInputStream().read() >= 0, "the server should answer a whole ClientHello");

        Socket other = closeLater(new Socket());
        other.connect(server.address());
        SSLSocket secure = TestPki.get().client().wrap(other, server.address());
        secure.setSoTimeout(SECONDS * 1000);
        try {
            secure.startHandshake();
        } catch (SocketTimeoutException e) {
            fail("a second client's handshake got no answer in " + SECONDS + " s while the first waited, silent, in"
                    + " the middle of its own: the selector thread is going round the first one's NEED_UNWRAP.");
        }
    }

    @Test
    void aClientHelloThatArrivesInTwoReadsIsWaitedFor() throws Exception {
        Server server = startEcho();
        byte[] hello = clientHello(server.address());
        Socket c = closeLater(new Socket());
        c.connect(server.address());
        c.setTcpNoDelay(true);
        c.getOutputStream().write(Arrays.copyOf(hello, hello.length / 2));
        c.setSoTimeout(1000);
        InputStream in = c.getInputStream();
        try {
            int b = in.read();
            fail(b < 0 ? "the server closed the connection after half a ClientHello: a partial record is"
                    + " BUFFER_UNDERFLOW, which means 'read more', not an error"
                    : "the server answered half a ClientHello");
        } catch (SocketTimeoutException expected) {
            // Right: it waits for the rest.
        }
        c.getOutputStream().write(Arrays.copyOfRange(hello, hello.length / 2, hello.length));
        c.setSoTimeout(SECONDS * 1000);
        assertTrue(in.read() >= 0, "with the rest of the ClientHello, the server should answer");
    }

    @Test
    void aSlowDelegatedTaskHoldsUpNoOtherClient() throws Exception {
        SlowKeys slow = new SlowKeys();
        ServerConfig config = secured(ServerConfig.defaults()).withHost("127.0.0.1").withPort(0);
        Server server = closeLater(new TlsSelectorServer(config, slow::newEngine, connections));
        closeLater(slow::open);                                  // never leave the server's thread at the gate
        RawClient other = closeLater(RawClient.connect(server.address(), 0, tls));
        other.sendFrame("before");
        other.expectEcho("before");

        slow.arm();                                              // the next handshake's key answers slowly
        Thread.ofVirtual().start(() -> {
            try (RawClient slowOne = RawClient.connect(server.address(), 0, tls)) {
                slowOne.sendFrame("late");
            } catch (IOException e) {
                // The server closed it when the test ended: nothing to check here.
            }
        });
        Thread held = slow.awaitWaiter(SECONDS);
        assertNotNull(held, "the second client's handshake should be waiting for the server's key");
        other.sendFrame("during");
        if (other.pollFrame(Duration.ofSeconds(SECONDS)) == null) {
            fail("a connected client got no answer in " + SECONDS + " s while another client's handshake waited"
                    + " for the server's key, in a delegated task on thread '" + held.getName() + "': that task holds"
                    + " the selector thread.");
        }
        assertNotEquals("e7-selector", held.getName(), "the delegated task ran on the selector thread");
    }

    /** A real ClientHello, from a client engine that trusts the tests' CA. */
    private static byte[] clientHello(InetSocketAddress server) throws IOException {
        SSLEngine engine = TestPki.get().client().newEngine(server);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        return Arrays.copyOf(out.array(), out.position());
    }
}
