package fourways.bench.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.testsuite.TestPki;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Netty baseline over TLS (rule 21), with each engine under its SslHandler that loads here:
 * a frame goes out through the JDK's SSLSocket, the echo comes back, to the byte, over TLS 1.3.
 * OpenSSL, where netty-tcnative does not load, is skipped with the reason.
 */
class NettyTlsTest {
    private Server server;

    @ParameterizedTest
    @EnumSource(NettyTls.Provider.class)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anEchoComesBackOverTls(NettyTls.Provider provider) throws Exception {
        Assumptions.assumeTrue(provider.isAvailable(), provider::whyUnavailable);
        TestPki pki = TestPki.get();
        server = new NettyModel(NettyModel.Transport.NIO, provider).start(ServerConfig.defaults().withPort(0)
                .withIdleTimeout(Duration.ofSeconds(20)).withTls(pki.server()));
        try (SSLSocket socket = pki.client().connect(server.address(), 10_000)) {
            socket.setSoTimeout(10_000);                   // a reply that never comes fails here, not at @Timeout
            socket.getOutputStream().write("over TLS<EOF>".getBytes(StandardCharsets.US_ASCII));
            byte[] expected = "Server return :over TLS<EOF>".getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(expected, socket.getInputStream().readNBytes(expected.length));
            assertEquals("TLSv1.3", socket.getSession().getProtocol());
            socket.shutdownOutput();                       // rule 6 over TLS: close_notify, then the server closes
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read(), "nothing after the reply, then the end of the stream");
        }
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }
}
