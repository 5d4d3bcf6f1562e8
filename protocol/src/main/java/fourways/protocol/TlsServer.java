package fourways.protocol;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * A server's TLS (rules 21 and 22), the same for all four models: its certificate, the
 * protocols it speaks, and whether it asks clients for theirs. Immutable; the models take
 * from it an {@link SSLEngine} per connection (nio-selector, nio2-async) or wrap each accepted
 * {@link Socket} into an {@link SSLSocket} (blocking-io, virtual-threads).
 */
public final class TlsServer {
    static {
        // Rule 21: no renegotiation. TLS 1.3 has none; a TLS 1.2 client could still ask for one
        // at any time, and a renegotiation is a full handshake mid-stream: a cheap way for one
        // client to spend the server's CPU, and a state every model would have to handle between
        // two frames. The JDK reads this property once, when its server handshake code is first
        // loaded, so it is set here, before this class makes the first SSLContext.
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
    }

    /** Rule 25: how long a handshake may take from accept, unless {@code --handshake-timeout} says otherwise. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The longest handshake deadline: an hour is already no protection at all. */
    public static final Duration MAX_HANDSHAKE_TIMEOUT = Duration.ofHours(1);

    private final SSLContext context;
    private final KeyManager[] identity;
    private final TrustManager[] trust;
    private final boolean clientAuth;
    private final Duration handshakeTimeout;
    /** Rule 21: what is wrong with the certificate's dates, in one line; null when it is valid. */
    private final String outOfDate;

    private TlsServer(KeyManager[] identity, TrustManager[] trust, String outOfDate) throws IOException {
        this.identity = identity;
        this.trust = trust;
        this.clientAuth = trust != null;
        this.handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        this.outOfDate = outOfDate;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(identity, trust, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private TlsServer(TlsServer base, Duration handshakeTimeout) {
        this.identity = base.identity;
        this.trust = base.trust;
        this.clientAuth = base.clientAuth;
        this.context = base.context;
        this.handshakeTimeout = handshakeTimeout;
        this.outOfDate = base.outOfDate;
    }

    private TlsServer(TlsFiles.Identity identity) throws IOException {
        this(identity.keyManagers(), null, identity.outOfDate());
    }

    /** The certificate and key in a PKCS#12 (or JKS) keystore, its password in the first line of a file. */
    public static TlsServer fromKeystore(Path keystore, Path passwordFile) throws IOException {
        return new TlsServer(TlsFiles.keystore(keystore, passwordFile));
    }

    /** A PEM certificate chain (the server's first) and its unencrypted PEM private key. */
    public static TlsServer fromPem(Path certChain, Path key) throws IOException {
        return new TlsServer(TlsFiles.pem(certChain, key));
    }

    /**
     * Rule 22, mutual TLS: only a client whose certificate chains to one in {@code trustFile}
     * (PEM CA certificates, or a truststore) completes the handshake.
     */
    public TlsServer withClientAuth(Path trustFile) throws IOException {
        return new TlsServer(identity, TlsFiles.trust(trustFile), outOfDate);
    }

    /**
     * Rule 25: the same server with another handshake deadline, counted from accept; a
     * handshake not finished by then is closed however steadily its bytes dribble in.
     */
    public TlsServer withHandshakeTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_HANDSHAKE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("handshakeTimeout " + timeout);
        }
        return new TlsServer(this, timeout);
    }

    /** Rule 25: how long a connection may take to finish its handshake, from accept. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Rule 21: a certificate that has expired, or is not yet valid, in one line naming its file
     * and its dates; null when it is valid. A warning, not a refusal: the server that starts on it
     * still serves clients that do not check (--insecure), and its operator sees why the others fail.
     */
    public String certificateWarning() {
        return outOfDate;
    }

    /** Whether clients must show a certificate (rule 22). */
    public boolean clientAuth() {
        return clientAuth;
    }

    /** The context the engines and sockets come from; for a transport that builds its own (Netty). */
    public SSLContext context() {
        return context;
    }

    /**
     * The certificate and key, for a transport that builds its context from key material
     * rather than from a JDK context (Netty's OpenSSL provider cannot use {@link #context()}).
     */
    public KeyManager[] keyManagers() {
        return identity.clone();
    }

    /** Whom client certificates must chain to (rule 22), likewise; null without client auth. */
    public TrustManager[] trustManagers() {
        return trust == null ? null : trust.clone();
    }

    /** A server-mode engine for one connection, for the models that drive the bytes themselves. */
    // tag::new-engine[]
    public SSLEngine newEngine() {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(parameters());
        return engine;
    }
    // end::new-engine[]

    /**
     * Layers TLS over a connection the blocking models accepted as plain TCP. Their accept loop
     * stays a plain {@code ServerSocket}: the handshake then happens on the connection's own
     * thread, at its first read or write (or {@link SSLSocket#startHandshake()}), so a client
     * slow to finish its handshake never holds up the accepting of others. The returned socket
     * owns {@code accepted}: closing it sends close_notify and closes both.
     */
    // tag::wrap-socket[]
    public SSLSocket wrap(Socket accepted) throws IOException {
        // With no host and a "consumed" stream of null, the JDK makes a server-mode socket.
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(accepted, null, true);
        socket.setSSLParameters(parameters());
        return socket;
    }
    // end::wrap-socket[]

    private SSLParameters parameters() {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(TlsFiles.protocols());
        p.setNeedClientAuth(clientAuth);
        return p;
    }

    @Override
    public String toString() {
        return "TLS server" + (clientAuth ? " with client auth" : "");
    }
}
