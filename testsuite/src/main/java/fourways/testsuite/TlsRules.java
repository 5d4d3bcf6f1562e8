package fourways.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Frames;
import fourways.protocol.Link;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.TlsClient;
import fourways.protocol.TlsServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rules 21 to 26, TLS's own, against a model whose whole suite already runs over TLS (rule 24):
 * the protocols it speaks, client certificates, the client's checks of the server's, the
 * handshake as idle time, and peers that do not speak TLS as they should. Each bad peer must
 * cost only its own connection, with no stack trace on standard error.
 */
public abstract class TlsRules extends ContractSuite {
    private static final TestPki PKI = TestPki.get();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream realStderr;

    protected TlsRules(Model model) {
        super(model, true);
    }

    /** Rule 26: whatever the model prints on standard error during a test, to check it holds no stack trace. */
    @BeforeEach
    void watchStandardError() {
        realStderr = System.err;
        System.setErr(new PrintStream(new Tee(realStderr, stderr), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStandardError() {
        System.setErr(realStderr);
    }

    /** Rule 26: no stack trace printed, and the server still answers a good client. */
    void assertStillServingQuietly(Server server) throws IOException {
        assertStillServingQuietly(server, tls);
    }

    private void assertStillServingQuietly(Server server, TlsClient client) throws IOException {
        try (RawClient good = RawClient.connect(server.address(), 0, client)) {
            good.sendFrame("still here");
            good.expectEcho("still here");
        }
        String printed = stderr.toString(StandardCharsets.UTF_8);
        assertFalse(printed.contains("\tat ") || printed.contains("Exception"), "no stack trace on standard error: " + printed);
    }

    @Test
    void rule21_tls12IsSpokenToo() throws Exception {
        Server server = startEcho();
        try (SSLSocket s = tls12(server.address())) {
            s.getOutputStream().write(Frames.frame(Bytes.utf8("over 1.2")));
            assertEquals("TLSv1.2", s.getSession().getProtocol());
            byte[] expected = Frames.frame(Bytes.echoOf(Bytes.utf8("over 1.2")));
            assertArrayEquals(expected, s.getInputStream().readNBytes(expected.length));
        }
    }

    /**
     * Rule 21: no renegotiation. A TLS 1.2 client that asks for one mid-connection (the JDK's
     * client does, at a second startHandshake) is refused with an alert, and loses only its
     * own connection.
     */
    @Test
    void rule21_clientInitiatedRenegotiationIsRefused() throws Exception {
        Server server = startEcho();
        try (SSLSocket s = tls12(server.address())) {
            s.getOutputStream().write(Frames.frame(Bytes.utf8("before")));
            byte[] expected = Frames.frame(Bytes.echoOf(Bytes.utf8("before")));
            assertArrayEquals(expected, s.getInputStream().readNBytes(expected.length));
            s.startHandshake();                               // asks to renegotiate
            s.getOutputStream().write(Frames.frame(Bytes.utf8("after")));
            assertThrows(IOException.class, () -> {
                int n = s.getInputStream().read();
                if (n < 0) throw new IOException("closed: refused");
            }, "the server refuses the renegotiation and ends the connection");
        }
        assertStillServingQuietly(server);
    }

    /** Rule 22: with --client-auth, a client with the CA's certificate gets in; one without, not. */
    @Test
    void rule22_clientAuthAdmitsOnlyClientsWithATrustedCertificate() throws Exception {
        Server server = start(ServerConfig.defaults().withTls(PKI.serverWithClientAuth()));
        try (Link link = model.connect(server.address(), PKI.clientWithIdentity())) {
            assertArrayEquals(Frames.frame(Bytes.echoOf(Bytes.utf8("mutual"))), exchange(link, "mutual"));
        }
        // TLS 1.3: the client's handshake ends before the server has checked its (missing)
        // certificate, so the refusal comes at the first read: a close or an alert, no reply.
        try (RawClient stranger = RawClient.connect(server.address(), 0, PKI.client())) {
            stranger.sendFrame("let me in");
            assertTrue(stranger.closedByServer(), "a client without a certificate is closed");
        } catch (IOException refusedAtHandshake) {
            // over TLS 1.2 the handshake itself fails: refused too
        }
        try (RawClient good = RawClient.connect(server.address(), 0, PKI.clientWithIdentity())) {
            good.sendFrame("still here");
            good.expectEcho("still here");
        }
        // Rule 26: the model's client without a certificate says why, in one line.
        Run r = cli("client", "--port", port(server), "hello");
        assertEquals(1, r.status(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        // The alert names the reason, unless it is lost: TLS 1.3 lets the client send its frame
        // before the server has refused it, and a frame that reaches a socket the server has just
        // closed is answered with a reset, which may overtake the alert. Then the one line says
        // the message got no reply: still one line and status 1, never a reply in the clear.
        assertTrue(r.err().contains("certificate_required") || r.err().contains("bad_certificate")
                || r.err().contains("got no reply"), r.err());
    }

    /** Rule 23: the model's client refuses an untrusted or expired certificate, in one line. */
    @Test
    void rule23_theClientRefusesAnUntrustedOrExpiredCertificate() throws Exception {
        for (String which : new String[] {"untrusted", "expired"}) {
            TlsServer bad = which.equals("expired") ? PKI.expiredServer() : PKI.untrustedServer();
            Server server = start(ServerConfig.defaults().withTls(bad));
            Run r = cli("client", "--port", port(server), "hello");
            assertEquals(1, r.status(), which + ": " + r.err());
            assertEquals("", r.out());
            assertEquals(1, r.errLines().size(), "one line: " + r.err());
            assertTrue(r.err().contains(which.equals("expired") ? "has expired" : "not signed by a CA"), r.err());
            assertStillServingQuietly(server, TlsClient.insecure());
        }
    }

    /** Rule 23: the server's certificate must name the address the client dialled. */
    @Test
    void rule23_aCertificateForAnotherNameIsRefused() throws Exception {
        Server server = start(ServerConfig.defaults().withTls(PKI.wrongNameServer()));
        IOException e = assertThrows(IOException.class, () -> model.connect(server.address(), PKI.client()).close(),
                "signed by the trusted CA, but for another name than 127.0.0.1");
        assertEquals("TLS handshake failed: the server's certificate is not for 127.0.0.1", e.getMessage());
        try (Link link = model.connect(server.address(), TlsClient.insecure())) {
            assertArrayEquals(Frames.frame(Bytes.echoOf(Bytes.utf8("anyone"))), exchange(link, "anyone"));
        }
    }

    /**
     * Rule 25: half a ClientHello, then nothing: meanwhile the server accepts and serves
     * others, and then drops it at the idle timeout like any idle client.
     */
    @Test
    void rule25_aHandshakeThatStallsIsDroppedAtTheIdleTimeout() throws Exception {
        Server server = start(ServerConfig.defaults().withIdleTimeout(Duration.ofSeconds(1)));
        try (RawClient stalled = RawClient.connect(server.address())) {
            stalled.sendRaw(halfAClientHello());
            assertStillServingQuietly(server);                 // while that handshake waits
            assertTrue(stalled.closedByServer(), "the half-done handshake is closed at the idle timeout");
        }
    }

    /** Rule 26: a plain-TCP client on a TLS port gets no reply, a close, and costs nothing else. */
    @Test
    void rule26_aPlaintextClientIsClosed() throws Exception {
        Server server = startEcho();
        try (RawClient plain = RawClient.connect(server.address())) {
            plain.sendFrame("hello in the clear");
            byte[] got = plain.readToEnd();
            assertFalse(new String(got, StandardCharsets.ISO_8859_1).contains("Server return"), "no reply in the clear");
        }
        assertStillServingQuietly(server);
    }

    /** Rule 26: a record header then garbage, where a ClientHello should be. */
    @Test
    void rule26_garbageAfterARecordHeaderIsClosed() throws Exception {
        Server server = startEcho();
        try (RawClient garbage = RawClient.connect(server.address())) {
            byte[] bytes = new byte[300];
            Arrays.fill(bytes, (byte) 0x5a);
            bytes[0] = 0x16;                                   // handshake record, TLS 1.0 header, 295 bytes
            bytes[1] = 0x03;
            bytes[2] = 0x01;
            bytes[3] = 0x01;
            bytes[4] = 0x27;
            garbage.sendRaw(bytes);
            assertTrue(garbage.closedByServer(), "garbage is closed");
        }
        assertStillServingQuietly(server);
    }

    /** Rule 26: a model's client that meets a plain-TCP server says so in one line. */
    @Test
    void rule26_aTlsClientAgainstAPlainServerFailsInOneLine() throws Exception {
        // Its idle timeout ends the client's wait for a ServerHello that never comes.
        Server plain = model.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withIdleTimeout(Duration.ofSeconds(1)));
        closeLater(plain);
        Run r = cli("client", "--port", port(plain), "hello");
        assertEquals(1, r.status(), r.err());
        assertEquals(1, r.errLines().size(), "one line: " + r.err());
    }

    private static SSLSocket tls12(InetSocketAddress server) throws IOException {
        Socket tcp = new Socket();
        tcp.connect(server, 10_000);
        SSLSocket s = PKI.client().wrap(tcp, server);
        s.setEnabledProtocols(new String[] {"TLSv1.2"});
        s.setSoTimeout(20_000);
        s.startHandshake();
        return s;
    }

    private static byte[] exchange(Link link, String text) throws IOException {
        link.send(ByteBuffer.wrap(Frames.frame(Bytes.utf8(text))));
        int length = Frames.frame(Bytes.echoOf(Bytes.utf8(text))).length;
        ByteBuffer reply = ByteBuffer.allocate(length);
        while (reply.hasRemaining()) {
            if (link.receive(reply) < 0) break;
        }
        return Arrays.copyOf(reply.array(), reply.position());
    }

    /** A TLS record header announcing a 512-byte ClientHello, and its first 64 bytes. */
    private static byte[] halfAClientHello() {
        byte[] bytes = new byte[5 + 64];
        bytes[0] = 0x16;                                       // handshake
        bytes[1] = 0x03;
        bytes[2] = 0x01;
        bytes[3] = 0x02;                                       // 512 bytes follow, says the header
        bytes[4] = 0x00;
        bytes[5] = 0x01;                                       // ClientHello, 508 bytes
        bytes[7] = 0x01;
        bytes[8] = (byte) 0xfc;
        bytes[9] = 0x03;                                       // client_version TLS 1.2
        bytes[10] = 0x03;
        return bytes;
    }

    /** Standard error still goes where it went, and into the test's buffer too. */
    private static final class Tee extends java.io.OutputStream {
        private final java.io.OutputStream a, b;

        Tee(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
