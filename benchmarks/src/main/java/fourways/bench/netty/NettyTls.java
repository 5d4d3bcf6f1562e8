package fourways.bench.netty;

import fourways.protocol.TlsServer;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * The TLS of the Netty baseline: one {@link SslContext} per server, built the way a Netty user
 * builds it, from the same certificate and key the four models use ({@link TlsServer}), with
 * one of two engines behind Netty's {@code SslHandler}. Its cost is the engine's: the JDK's
 * SSLEngine, or BoringSSL through JNI (netty-tcnative), whose handshakes and records run in C.
 */
public final class NettyTls {
    private NettyTls() {}

    /** Who does the cryptography under the {@code SslHandler}. */
    public enum Provider {
        /** The JDK's own SSLEngine: the same code the four models run, behind Netty's handler. */
        JDK,
        /** BoringSSL, statically linked in netty-tcnative-boringssl-static, where its JNI library loads. */
        OPENSSL;

        /** The JDK's always; OpenSSL where netty-tcnative has a library for this OS and CPU. */
        public boolean isAvailable() {
            return this == JDK || OpenSsl.isAvailable();
        }

        /** Why {@link #isAvailable()} is false, for a human; null when it is available. */
        public String whyUnavailable() {
            if (isAvailable()) return null;
            Throwable cause = OpenSsl.unavailabilityCause();
            return "netty-tcnative's OpenSSL does not load here: " + (cause == null ? "unknown reason" : cause.getMessage());
        }

        /** {@code jdk} or {@code openssl}, as {@code --ssl-provider} and the row labels spell it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Provider byLabel(String label) {
            return valueOf(label.toUpperCase(Locale.ROOT));
        }

        SslProvider netty() {
            return this == JDK ? SslProvider.JDK : SslProvider.OPENSSL;
        }
    }

    /**
     * A server context: TLS 1.3 and 1.2 only, as rule 21 asks of every model; client
     * certificates required when the server asks for them (rule 22). Key material, not the
     * JDK context {@link TlsServer#context()}: the OpenSSL engine cannot run inside a JDK context,
     * and building both providers the same way keeps the comparison about the engine alone.
     */
    public static SslContext serverContext(TlsServer tls, Provider provider) throws IOException {
        if (!provider.isAvailable()) throw new IOException(provider.whyUnavailable());
        KeyManager[] keys = tls.keyManagers();
        SslContextBuilder builder = SslContextBuilder.forServer(keys[0])
                .sslProvider(provider.netty())
                .protocols("TLSv1.3", "TLSv1.2");
        TrustManager[] trust = tls.trustManagers();
        if (trust != null) builder.trustManager(trust[0]).clientAuth(ClientAuth.REQUIRE);
        try {
            return builder.build();
        } catch (SSLException e) {
            throw new IOException("cannot set up Netty's TLS (" + provider.label() + "): " + e.getMessage(), e);
        }
    }

    /**
     * A client context with the same engine, trusting {@code ca} (PEM): for an in-memory pair of
     * engines (lesson B08), where the Netty baseline, a server only, has no client of its own.
     */
    public static SslContext clientContext(Path ca, Provider provider) throws IOException {
        if (!provider.isAvailable()) throw new IOException(provider.whyUnavailable());
        try {
            return SslContextBuilder.forClient().sslProvider(provider.netty()).protocols("TLSv1.3", "TLSv1.2")
                    .trustManager(ca.toFile()).build();
        } catch (SSLException e) {
            throw new IOException("cannot set up Netty's TLS client (" + provider.label() + "): " + e.getMessage(), e);
        }
    }
}
