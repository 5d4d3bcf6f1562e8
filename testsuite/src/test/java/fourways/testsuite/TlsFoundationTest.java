package fourways.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.TlsClient;
import fourways.protocol.TlsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules 21 to 23 on the shared classes alone, over a plain ServerSocket whose accepted sockets
 * {@link TlsServer#wrap} layers: what each model builds on, checked once here.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsFoundationTest {
    private static final TestPki PKI = TestPki.get();
    private ServerSocket listener;
    private CompletableFuture<byte[]> served;

    @AfterEach
    void close() throws IOException {
        if (listener != null) listener.close();
    }

    /** Accepts one connection, reads 5 bytes over TLS and answers them back, reversed. */
    private InetSocketAddress serveOnce(TlsServer tls) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        served = CompletableFuture.supplyAsync(() -> {
            try (Socket plain = listener.accept(); SSLSocket s = tls.wrap(plain)) {
                s.setSoTimeout(10_000);
                byte[] got = s.getInputStream().readNBytes(5);
                s.getOutputStream().write(new StringBuilder(new String(got, StandardCharsets.US_ASCII)).reverse()
                        .toString().getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                return got;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private static byte[] exchange(TlsClient tls, InetSocketAddress server) throws IOException {
        try (SSLSocket s = tls.connect(server, 10_000)) {
            assertTrue(s.getSession().getProtocol().equals("TLSv1.3"), s.getSession().getProtocol());
            s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            return s.getInputStream().readAllBytes();             // until close_notify
        }
    }

    @Test
    void rule21_pemServerAndTrustingClientExchangeBytes() throws Exception {
        InetSocketAddress server = serveOnce(PKI.server());
        assertArrayEquals("olleh".getBytes(StandardCharsets.US_ASCII), exchange(PKI.client(), server));
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), served.get(10, TimeUnit.SECONDS));
    }

    @Test
    void rule21_keystoreAndSec1KeyServeAsThePemPairDoes() throws Exception {
        TlsServer fromP12 = TlsServer.fromKeystore(PKI.file("server.p12"), PKI.file("server.pass"));
        assertArrayEquals("olleh".getBytes(StandardCharsets.US_ASCII), exchange(PKI.client(), serveOnce(fromP12)));
        listener.close();
        TlsServer fromSec1 = TlsServer.fromPem(PKI.file("server.pem"), PKI.file("server-sec1.key"));
        assertArrayEquals("olleh".getBytes(StandardCharsets.US_ASCII), exchange(
                TlsClient.trusting(PKI.file("truststore.jks")), serveOnce(fromSec1)));
    }

    @Test
    void rule23_untrustedAndExpiredCertificatesAreRefusedAtConnect() throws Exception {
        SSLException untrusted = assertThrows(SSLException.class, () -> exchange(PKI.client(), serveOnce(PKI.untrustedServer())));
        assertEquals("TLS handshake failed: the server's certificate is not signed by a CA the client trusts (--trust)",
                untrusted.getMessage());
        listener.close();
        SSLException expired = assertThrows(SSLException.class, () -> exchange(PKI.client(), serveOnce(PKI.expiredServer())));
        assertEquals("TLS handshake failed: the server's certificate has expired", expired.getMessage(),
                String.valueOf(expired.getCause()) + " / " + String.valueOf(expired.getCause() == null ? null : expired.getCause().getCause()));
    }

    @Test
    void rule23_insecureClientTrustsAnyCertificate() throws Exception {
        assertArrayEquals("olleh".getBytes(StandardCharsets.US_ASCII),
                exchange(TlsClient.insecure(), serveOnce(PKI.untrustedServer())));
    }

    @Test
    void rule22_clientAuthLetsInOnlyAClientWithACertificate() throws Exception {
        assertArrayEquals("olleh".getBytes(StandardCharsets.US_ASCII),
                exchange(PKI.clientWithIdentity(), serveOnce(PKI.serverWithClientAuth())));
        listener.close();
        InetSocketAddress server = serveOnce(PKI.serverWithClientAuth());
        // TLS 1.3: the client finishes its side first, and learns of the refusal at its first read.
        assertThrows(IOException.class, () -> exchange(PKI.client(), server));
    }

    @Test
    void rule21_enginesSpeakOnlyTls13And12() {
        SSLEngine server = PKI.serverWithClientAuth().newEngine();
        assertFalse(server.getUseClientMode());
        assertTrue(server.getNeedClientAuth());
        assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, server.getEnabledProtocols());
        SSLEngine client = PKI.client().newEngine(new InetSocketAddress("localhost", 443));
        assertTrue(client.getUseClientMode());
        assertEquals("HTTPS", client.getSSLParameters().getEndpointIdentificationAlgorithm());
        assertEquals(1, client.getSSLParameters().getServerNames().size(), "SNI for a name");
        SSLEngine byAddress = TlsClient.insecure().newEngine(new InetSocketAddress("127.0.0.1", 443));
        assertTrue(byAddress.getSSLParameters().getServerNames().isEmpty(), "no SNI for an address");
        assertEquals(null, byAddress.getSSLParameters().getEndpointIdentificationAlgorithm());
    }

    @Test
    void rule21_badFilesFailWithOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        Path wrong = Files.writeString(dir.resolve("wrong.pass"), "not the password\n");
        IOException e = assertThrows(IOException.class, () -> TlsServer.fromKeystore(PKI.file("server.p12"), wrong));
        assertEquals(PKI.file("server.p12") + ": not a PKCS#12 or JKS keystore, or the password in " + wrong
                + " is wrong", e.getMessage());
        e = assertThrows(IOException.class, () -> TlsServer.fromPem(PKI.file("server.key"), PKI.file("server.key")));
        assertEquals(PKI.file("server.key") + ": not a PEM certificate", e.getMessage());
        e = assertThrows(IOException.class, () -> TlsServer.fromPem(PKI.file("server.pem"), PKI.file("client.key")));
        assertEquals(PKI.file("client.key") + ": not the private key of the certificate in " + PKI.file("server.pem"),
                e.getMessage());
        e = assertThrows(IOException.class, () -> TlsServer.fromPem(PKI.file("server.pem"), PKI.file("ca.pem")));
        assertTrue(e.getMessage().endsWith("not an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1)"), e.getMessage());
        e = assertThrows(IOException.class, () -> TlsClient.trusting(PKI.file("server.p12")));
        assertTrue(e.getMessage().contains("no certificate readable without a password"), e.getMessage());
        e = assertThrows(IOException.class, () -> TlsClient.trusting(dir.resolve("missing.pem")));
        assertEquals(dir.resolve("missing.pem") + ": no such readable file", e.getMessage());
    }
}
