package fourways.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Rule 23: a TLS client's handshake failures, each in one line that says what to look at. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TlsClientTest {
    private static final Instant NOW = Instant.now();
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir Path dir;
    private final ServerSocket listener;
    private final CompletableFuture<Void> served = new CompletableFuture<>();

    TlsClientTest() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void cleanUp() throws Exception {
        listener.close();
        served.get(10, TimeUnit.SECONDS);             // the serving thread has ended, whatever it saw
    }

    /**
     * A plain server takes the ClientHello for the start of a frame and waits for its
     * {@code <EOF>}: nothing comes back. The client's timeout ends the wait, and its line says
     * what the silence most likely means.
     */
    @Test
    void rule23_aPlainServerThatNeverAnswersMayNotSpeakTls() throws Exception {
        serve(s -> s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream()));  // answers nothing until the client goes

        SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> TlsClient.insecure().connect(address(), 500));

        assertEquals("no answer to the TLS handshake (Read timed out): the server may not speak TLS", e.getMessage());
    }

    /** Message mode, in every model: whatever words the model's connect timed out with, the same hint. */
    @Test
    void rule23_messageModeSaysTheServerMayNotSpeakTlsWhateverTheModel() {
        served.complete(null);
        Model timesOut = new SilentModel(new SocketTimeoutException("TLS handshake timed out"));
        PrintStream out = new PrintStream(new ByteArrayOutputStream());

        IOException e = assertThrows(IOException.class,
                () -> new MessageClient(timesOut, address(), TlsClient.insecure(), out).run(List.of("hello")));

        assertEquals("no answer to the TLS handshake (TLS handshake timed out): the server may not speak TLS", e.getMessage());
        // No handshake began when the TCP connect itself timed out: no hint then.
        SocketTimeoutException connect = new SocketTimeoutException("Connect timed out");
        assertSame(connect, TlsClient.unanswered(connect));
    }

    /** Rule 26, seen from the client: a server that closes at the ClientHello. */
    @Test
    void rule26_aServerThatClosesAtTheClientHelloIsAskedWhetherItSpeaksTls() throws Exception {
        serve(s -> {
            s.getInputStream().readNBytes(5);
            s.shutdownOutput();                       // a FIN, not a reset: the client reads an end
            s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());   // until the client closes
        });

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> TlsClient.insecure().connect(address(), 10_000));

        assertEquals("TLS handshake failed: the server closed the connection (does it speak TLS?)", e.getMessage());
    }

    /** Not yet valid is not expired: a clock, or a certificate dated ahead, not a lapsed renewal. */
    @Test
    void rule23_aServerCertificateNotYetValidIsCalledSo() throws Exception {
        TestCertificates.Made ca = TestCertificates.selfSigned(dir, "ca", NOW.minus(DAY), NOW.plus(DAY.multipliedBy(30)));
        TestCertificates.Made early = TestCertificates.signedBy(ca, dir, "early", NOW.plus(DAY), NOW.plus(DAY.multipliedBy(9)));
        TlsServer server = TlsServer.fromPem(early.pem(), early.key());
        serve(s -> {
            try (SSLSocket tls = server.wrap(s)) {
                tls.setSoTimeout(10_000);
                tls.startHandshake();                 // fails at the client's alert
            } catch (IOException expected) {
                // the client refused: what the test is about
            }
        });

        SSLHandshakeException e = assertThrows(SSLHandshakeException.class,
                () -> TlsClient.trusting(ca.pem()).connect(address(), 10_000));

        assertEquals("TLS handshake failed: the server's certificate is not yet valid", e.getMessage());
    }

    private InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private interface Serving {
        void serve(Socket accepted) throws IOException;
    }

    /** One connection, served on a thread of its own, bounded by the socket's timeout. */
    private void serve(Serving how) {
        Thread.ofPlatform().daemon().name("tls-client-test-server").start(() -> {
            try (Socket s = listener.accept()) {
                s.setSoTimeout(10_000);
                how.serve(s);
            } catch (IOException e) {
                // the client went, or the listener closed: either ends this thread
            } finally {
                served.complete(null);
            }
        });
    }

    /** A model whose every connect fails as given: what the message client does then is the test. */
    private record SilentModel(IOException failure) implements Model {
        @Override
        public String name() {
            return "silent";
        }

        @Override
        public Server start(ServerConfig config) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Link connect(InetSocketAddress server) throws IOException {
            throw failure;
        }

        @Override
        public Link connect(InetSocketAddress server, TlsClient tls) throws IOException {
            throw failure;
        }

        @Override
        public void load(InetSocketAddress server, LoadRun run) {
            throw new UnsupportedOperationException();
        }
    }
}
