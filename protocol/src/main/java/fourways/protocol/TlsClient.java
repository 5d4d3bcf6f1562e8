package fourways.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * A client's TLS (rule 23), the same for all four models: whom it trusts, and the certificate it
 * shows when a server asks for one (rule 22). Immutable; the non-blocking models take an
 * {@link SSLEngine} per connection, the blocking ones an {@link SSLSocket}. A client may also
 * take its engines from elsewhere ({@link #withEngines}): the benchmarks' load client runs on
 * OpenSSL's that way, while every model stays on the JDK alone.
 */
public final class TlsClient {
    /** The end of every "no answer" line (rule 23), so that it is said once however often it is passed on. */
    private static final String MAY_NOT_SPEAK_TLS = "the server may not speak TLS";

    /** Null for a client of {@link #withEngines}: it has engines only, no context, no sockets. */
    private final SSLContext context;
    private final TrustManager[] trust;
    private final KeyManager[] identity;
    private final boolean insecure;
    /** Where {@link #newEngine} gets an engine; null: from {@link #context}. */
    private final Function<InetSocketAddress, SSLEngine> engines;
    private final String name;

    private TlsClient(TrustManager[] trust, KeyManager[] identity, boolean insecure) throws IOException {
        this.trust = trust;
        this.identity = identity;
        this.insecure = insecure;
        this.engines = null;
        this.name = insecure ? "TLS client (insecure)" : "TLS client";
        try {
            context = SSLContext.getInstance("TLS");
            context.init(identity, trust, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private TlsClient(Function<InetSocketAddress, SSLEngine> engines, String name) {
        this.context = null;
        this.trust = null;
        this.identity = null;
        this.insecure = false;
        this.engines = engines;
        this.name = name;
    }

    /** Trusts the servers whose certificate chains to one in {@code caOrTruststore} (PEM, or a truststore). */
    public static TlsClient trusting(Path caOrTruststore) throws IOException {
        return new TlsClient(TlsFiles.trust(caOrTruststore), null, false);
    }

    /**
     * For demos only: trusts any certificate for any name, so anyone between client and server
     * can read and change the traffic. Whoever builds one for a user says so on standard error.
     */
    public static TlsClient insecure() {
        try {
            return new TlsClient(new TrustManager[] {new TrustingAll()}, null, true);
        } catch (IOException e) {
            throw new IllegalStateException("the JDK has no TLS", e);
        }
    }

    /** Rule 22: the PEM certificate (chain) and key this client shows a server that asks for one. */
    public TlsClient withIdentity(Path cert, Path key) throws IOException {
        requireContext("a certificate");
        return new TlsClient(trust, TlsFiles.pem(cert, key).keyManagers(), insecure);
    }

    /** The same, from a PKCS#12 (or JKS) keystore and the file holding its password. */
    public TlsClient withKeystoreIdentity(Path keystore, Path passwordFile) throws IOException {
        requireContext("a certificate");
        return new TlsClient(trust, TlsFiles.keystore(keystore, passwordFile).keyManagers(), insecure);
    }

    /**
     * The same trust and certificate in a new context, about ten microseconds' work: it has no
     * session of an earlier connection to resume, so its first handshake is a full one. For
     * benchmarks of the handshake; a client that wants resumption keeps one TlsClient.
     */
    public TlsClient withNewSessionCache() throws IOException {
        requireContext("a new session cache");
        return new TlsClient(trust, identity, insecure);
    }

    /**
     * A client whose engines {@code engines} makes, one per connection to the address it is
     * given, in client mode and with rule 23's checks already set: what trust, which name,
     * whether a session is resumed, are its maker's, not this class's. Only for the models
     * that drive an engine (the selector and NIO.2 clients); {@link #connect}, {@link #wrap}
     * and {@link #context} refuse, as there is no JDK context behind it.
     *
     * @param name what {@link #toString} says, e.g. "TLS client (OpenSSL)"
     */
    public static TlsClient withEngines(Function<InetSocketAddress, SSLEngine> engines, String name) {
        return new TlsClient(engines, name);
    }

    /** Whether it trusts any certificate ({@link #insecure()}). */
    public boolean trustsAnyone() {
        return insecure;
    }

    /** The context engines and sockets come from; for a transport that builds its own (Netty). */
    public SSLContext context() {
        requireContext("a JDK context");
        return context;
    }

    /** A client-mode engine for one connection to {@code server}. */
    public SSLEngine newEngine(InetSocketAddress server) {
        if (engines != null) return engines.apply(server);
        SSLEngine engine = context.createSSLEngine(server.getHostString(), server.getPort());
        engine.setUseClientMode(true);
        engine.setSSLParameters(parameters(server));
        return engine;
    }

    /**
     * Connects, within {@code timeoutMillis}, and completes the handshake within the same time,
     * so that an untrusted certificate or a server that does not speak TLS is an error here, at
     * connect, and not at the first frame. The socket's read timeout is 0 again on return.
     */
    // tag::connect[]
    public SSLSocket connect(InetSocketAddress server, int timeoutMillis) throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(server, timeoutMillis);
            SSLSocket socket = wrap(plain, server);
            // The handshake's reads obey SO_TIMEOUT like any other read.
            socket.setSoTimeout(timeoutMillis);
            try {
                socket.startHandshake();
            } catch (SSLHandshakeException e) {
                throw explained(e, server);
            } catch (SocketTimeoutException e) {
                throw unanswered(e);
            }
            socket.setSoTimeout(0);
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();   // closes the SSLSocket's socket too: nothing is left open
            throw e;
        }
    }
    // end::connect[]

    /**
     * Rule 23: a failed handshake in words a user acts on, naming what was wrong with the
     * server's certificate where the JDK's message names only its own classes ("PKIX path
     * building failed: sun.security..."). The JDK's exception stays as the cause. For the
     * engines too: whoever drives an SSLEngine passes its handshake failure through this.
     */
    public static SSLHandshakeException explained(SSLHandshakeException e, InetSocketAddress server) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable t = e; t != null && causes.size() < 10; t = t.getCause()) causes.add(t);
        String reason = null;
        if (causes.stream().anyMatch(t -> t instanceof CertificateNotYetValidException
                || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
            reason = "the server's certificate is not yet valid";   // before "expired": the JDK's message is the same for both
        } else if (causes.stream().anyMatch(t -> t instanceof CertificateExpiredException
                || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                || String.valueOf(t.getMessage()).contains("validity check failed"))) {
            reason = "the server's certificate has expired";       // nested in the path's failure: first
        } else if (causes.stream().anyMatch(t -> t instanceof CertPathBuilderException || t instanceof CertPathValidatorException)) {
            reason = "the server's certificate is not signed by a CA the client trusts (--trust)";
        } else if (causes.stream().anyMatch(t -> t instanceof CertificateException && String.valueOf(t.getMessage()).startsWith("No "))) {
            reason = "the server's certificate is not for " + server.getHostString();
        } else if (causes.stream().anyMatch(t -> t instanceof EOFException)) {
            reason = "the server closed the connection (does it speak TLS?)";
        }
        if (reason == null) return e;
        SSLHandshakeException clear = new SSLHandshakeException("TLS handshake failed: " + reason);
        clear.initCause(e);
        return clear;
    }

    /**
     * Rule 23: a handshake that got no answer within the client's timeout, said in words that
     * point at the likely mistake. A plain server takes the ClientHello for the start of a frame
     * and waits for its {@code <EOF>}, answering nothing, so the client's timeout is all it sees.
     * For every model's client: the message keeps the model's own words, in brackets. A TCP
     * connect that timed out is returned as it is: no handshake began.
     */
    public static SocketTimeoutException unanswered(SocketTimeoutException e) {
        String said = String.valueOf(e.getMessage());
        if (said.contains(MAY_NOT_SPEAK_TLS) || said.startsWith("Connect timed out")) return e;
        SocketTimeoutException clear = new SocketTimeoutException(
                "no answer to the TLS handshake (" + e.getMessage() + "): " + MAY_NOT_SPEAK_TLS);
        clear.initCause(e);
        return clear;
    }

    /** Layers TLS over a connected plain socket; the handshake comes at the first read or write. */
    public SSLSocket wrap(Socket plain, InetSocketAddress server) throws IOException {
        requireContext("a TLS socket");               // connect() comes here too, and closes its socket
        SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(plain, server.getHostString(), server.getPort(), true);
        socket.setUseClientMode(true);
        socket.setSSLParameters(parameters(server));
        return socket;
    }

    /**
     * A client of {@link #withEngines} has none of a context's parts: asked for one, it says so
     * at once, rather than hand a model a JDK default in place of the engines it was given.
     */
    private void requireContext(String what) {
        if (context == null) throw new IllegalStateException(name + " makes engines only, it has no " + what);
    }

    private SSLParameters parameters(InetSocketAddress server) {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(TlsFiles.protocols());
        // Rule 23: the certificate must name the host the user typed (an IP literal must be an
        // IP address in the certificate), as a browser checks it; without this the JDK checks
        // only that some trusted CA signed it, for any name.
        if (!insecure) p.setEndpointIdentificationAlgorithm("HTTPS");
        String host = server.getHostString();
        // SNI carries a host name, never an address (RFC 6066, section 3).
        p.setServerNames(isAddress(host) ? List.of() : List.of(new SNIHostName(host)));
        return p;
    }

    private static boolean isAddress(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    @Override
    public String toString() {
        return name;
    }
}
