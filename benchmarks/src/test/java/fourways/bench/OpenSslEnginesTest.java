package fourways.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.bench.netty.NettyTls;
import fourways.protocol.Frames;
import fourways.protocol.Link;
import fourways.protocol.LoadPlan;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.TlsClient;
import fourways.protocol.TlsServer;
import fourways.testsuite.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TLS load client on OpenSSL's engine ({@link OpenSslEngines}): the selector model's client,
 * written for the JDK's SSLEngine, drives BoringSSL's as well: a load run whose frames span
 * several records, one exchange closed with close_notify, and rule 23's refusals. Skipped, with
 * the reason, where netty-tcnative does not load.
 */
class OpenSslEnginesTest {
    private final Model selector = Contender.NIO_SELECTOR.model();
    private final TestPki pki = TestPki.get();
    private TlsClient openSsl;
    private Server server;
    private SSLServerSocket jdkServer;

    @BeforeEach
    void engines() throws IOException {
        Assumptions.assumeTrue(NettyTls.Provider.OPENSSL.isAvailable(), NettyTls.Provider.OPENSSL::whyUnavailable);
        openSsl = OpenSslEngines.trusting(pki.file("ca.pem"));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aPipelinedLoadRunOfFramesLargerThanARecordChecksEveryReply() throws Exception {
        server = selector.start(ServerConfig.defaults().withPort(0).withTls(pki.server()));
        // 40,000-byte payloads: every frame and reply spans three records, each partial at times.
        LoadRun run = new LoadRun(new LoadPlan(20, 20, 40_000, 4, 0, Duration.ofSeconds(50)));
        selector.load(server.address(), run, openSsl);
        List<String> errors = new ArrayList<>();
        run.firstErrors().forEach(errors::add);
        assertTrue(run.succeeded(), run.resultLine() + " " + errors);
        assertTrue(run.resultLine().contains(" messages=400 "), run.resultLine());
    }

    /**
     * The handshakes row counts full handshakes: with OpenSSL's session cache on, the second
     * connection would resume the first one's session from the ticket the server sent.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void noConnectionResumesTheSessionOfAnEarlierOne() throws Exception {
        server = selector.start(ServerConfig.defaults().withPort(0).withTls(pki.server()));
        List<SSLEngine> engines = new ArrayList<>();
        TlsClient recording = TlsClient.withEngines(a -> {
            SSLEngine e = openSsl.newEngine(a);
            engines.add(e);
            return e;
        }, "recording");
        // Netty says whether OpenSSL resumed only to its own package: asked the way a debugger would.
        Method reused = Class.forName("io.netty.handler.ssl.ReferenceCountedOpenSslEngine")
                .getDeclaredMethod("isSessionReused");
        reused.setAccessible(true);
        byte[] frame = Frames.frame("again".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 3; i++) {
            try (Link link = selector.connect(server.address(), recording)) {
                link.send(ByteBuffer.wrap(frame));
                ByteBuffer got = ByteBuffer.allocate(Frames.echoReply(ByteBuffer.wrap("again".getBytes(
                        StandardCharsets.US_ASCII))).remaining());
                while (got.hasRemaining()) {
                    if (link.receive(got) < 0) break;     // the session ticket came before the reply
                }
                assertEquals(false, reused.invoke(engines.get(i)), "connection " + i + " resumed a session");
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anExchangeEndsWithCloseNotifyThatAJdkServerReadsAsTheEnd() throws Exception {
        TlsServer tls = pki.server();
        jdkServer = (SSLServerSocket) tls.context().getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        byte[] frame = Frames.frame("over OpenSSL".getBytes(StandardCharsets.US_ASCII));
        byte[] reply = Frames.echoReply(ByteBuffer.wrap("over OpenSSL".getBytes(StandardCharsets.US_ASCII))).array();
        // The server's side, on a thread of its own: the frame, the reply, then what follows it.
        CompletableFuture<Integer> afterReply = CompletableFuture.supplyAsync(() -> {
            try (SSLSocket s = (SSLSocket) jdkServer.accept()) {
                s.setSoTimeout(20_000);                   // a close that never comes fails here
                InputStream in = s.getInputStream();
                assertArrayEquals(frame, in.readNBytes(frame.length));
                s.getOutputStream().write(reply);
                return in.read();
            } catch (IOException e) {
                throw new IllegalStateException(e);       // a FIN with no close_notify is an SSLException here
            }
        });
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", jdkServer.getLocalPort());
        try (Link link = selector.connect(address, openSsl)) {
            link.send(ByteBuffer.wrap(frame));
            ByteBuffer got = ByteBuffer.allocate(reply.length);
            while (got.hasRemaining()) {
                if (link.receive(got) < 0) break;
            }
            assertArrayEquals(reply, got.array());
        }
        assertEquals(-1, afterReply.get(20, TimeUnit.SECONDS), "close_notify, then the end");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void rule23HoldsOnOpenSsl() throws Exception {
        server = selector.start(ServerConfig.defaults().withPort(0).withTls(pki.wrongNameServer()));
        IOException wrongName = assertThrows(IOException.class, () -> selector.connect(server.address(), openSsl).close());
        server.close();
        server = selector.start(ServerConfig.defaults().withPort(0).withTls(pki.untrustedServer()));
        IOException untrusted = assertThrows(IOException.class, () -> selector.connect(server.address(), openSsl).close());
        // The same words as on the JDK's engine: OpenSSL checks through the JDK's trust manager.
        assertEquals("TLS handshake failed: the server's certificate is not for 127.0.0.1", wrongName.getMessage());
        assertTrue(untrusted.getMessage().contains("not signed by a CA the client trusts"), untrusted.getMessage());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aClientOfEnginesOnlyRefusesASocketAtOnce() {
        assertThrows(IllegalStateException.class, () -> openSsl.wrap(new Socket(), new InetSocketAddress("127.0.0.1", 9)));
        assertThrows(IllegalStateException.class, openSsl::withNewSessionCache);
        assertThrows(IllegalStateException.class, openSsl::context);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void theEngineOptionIsTakenOutAndTheRestKept() {
        List<String> options = new ArrayList<>(List.of("--connections", "4", "--engine", "openssl", "--tls"));
        assertEquals("openssl", TlsLoadClient.take(options, "--engine", "jdk"));
        assertEquals(List.of("--connections", "4", "--tls"), options);
        assertEquals("jdk", TlsLoadClient.take(options, "--engine", "jdk"));
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) server.close();
        if (jdkServer != null) jdkServer.close();
    }
}
