package fourways.testsuite;

import fourways.protocol.TlsClient;
import fourways.protocol.TlsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The tests' certificates, made at test time so that no private key is ever committed: a CA,
 * and signed by it a server certificate for 127.0.0.1, ::1 and localhost, a client certificate,
 * an expired server certificate and one for another name; besides, a server certificate from a
 * CA nobody trusts.
 * EC P-256 keys, which take microseconds to make where RSA's take a good part of a second.
 * Made once per JVM, into a temporary folder removed at exit; {@link #get()} hands it out.
 *
 * <p>Files, in {@link #dir()}: {@code ca.pem}; {@code server.pem} with {@code server.key}
 * (PKCS#8) and {@code server-sec1.key} (the same key as OpenSSL's "EC PRIVATE KEY"),
 * {@code server.p12} with {@code server.pass}; {@code client.pem}, {@code client.key},
 * {@code client.p12}; {@code expired.pem}, {@code expired.key}; {@code wrong-name.pem}, {@code wrong-name.key};
 * {@code untrusted.pem},
 * {@code untrusted.key}; {@code truststore.jks}, the CA in a truststore.
 */
public final class TestPki {
    public static final String PASSWORD = "fourways-test";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static TestPki instance;

    private final Path dir;
    private final TlsServer server;
    private final TlsClient client;

    private TestPki(Path dir) throws IOException, GeneralSecurityException, OperatorCreationException {
        this.dir = dir;
        Instant now = Instant.now();
        Instant from = now.minus(Duration.ofDays(1)), until = now.plus(Duration.ofDays(7));
        KeyPair caKeys = keys();
        X509Certificate ca = certificate("CN=Sockets Four Ways test CA", caKeys, "CN=Sockets Four Ways test CA", caKeys,
                from, until, Use.CA);
        pem("ca.pem", ca);

        KeyPair serverKeys = keys();
        X509Certificate serverCert = certificate("CN=localhost", serverKeys, "CN=Sockets Four Ways test CA", caKeys,
                from, until, Use.SERVER);
        identity("server", serverCert, serverKeys.getPrivate());
        // OpenSSL's traditional form, SEC1, with the curve inside as OpenSSL writes it (the JDK's
        // PKCS#8 encoding leaves it outside, so it is put back in).
        PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(serverKeys.getPrivate().getEncoded());
        ECPrivateKey sec1 = new ECPrivateKey(256, ECPrivateKey.getInstance(pkcs8.parsePrivateKey()).getKey(),
                SubjectPublicKeyInfo.getInstance(serverKeys.getPublic().getEncoded()).getPublicKeyData(),
                pkcs8.getPrivateKeyAlgorithm().getParameters());
        try (Writer w = Files.newBufferedWriter(dir.resolve("server-sec1.key"), StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }

        KeyPair clientKeys = keys();
        identity("client", certificate("CN=test client", clientKeys, "CN=Sockets Four Ways test CA", caKeys,
                from, until, Use.CLIENT), clientKeys.getPrivate());

        KeyPair expiredKeys = keys();
        identity("expired", certificate("CN=localhost", expiredKeys, "CN=Sockets Four Ways test CA", caKeys,
                now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), Use.SERVER), expiredKeys.getPrivate());

        KeyPair wrongNameKeys = keys();
        identity("wrong-name", certificate("CN=example.invalid", wrongNameKeys, "CN=Sockets Four Ways test CA", caKeys,
                from, until, Use.ELSEWHERE), wrongNameKeys.getPrivate());

        KeyPair rogueCa = keys(), untrustedKeys = keys();
        identity("untrusted", certificate("CN=localhost", untrustedKeys, "CN=Nobody's CA", rogueCa,
                from, until, Use.SERVER), untrustedKeys.getPrivate());

        KeyStore trust = KeyStore.getInstance("JKS");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        try (OutputStream out = Files.newOutputStream(dir.resolve("truststore.jks"))) {
            trust.store(out, PASSWORD.toCharArray());
        }

        server = TlsServer.fromPem(file("server.pem"), file("server.key"));
        client = TlsClient.trusting(file("ca.pem"));
    }

    /** The one set of this JVM, made at the first call. */
    public static synchronized TestPki get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("fourways-pki-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
                instance = new TestPki(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException | OperatorCreationException e) {
                throw new IllegalStateException("cannot make the test certificates", e);
            }
        }
        return instance;
    }

    public Path dir() {
        return dir;
    }

    /** A file of this set by name, as listed above. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** The server certificate for 127.0.0.1, ::1 and localhost, signed by the CA. */
    public TlsServer server() {
        return server;
    }

    /** The same, asking every client for a certificate signed by the CA (rule 22). */
    public TlsServer serverWithClientAuth() {
        return unchecked(() -> server.withClientAuth(file("ca.pem")));
    }

    /** A server whose certificate expired yesterday. */
    public TlsServer expiredServer() {
        return unchecked(() -> TlsServer.fromPem(file("expired.pem"), file("expired.key")));
    }

    /** A server whose certificate no test client trusts. */
    public TlsServer untrustedServer() {
        return unchecked(() -> TlsServer.fromPem(file("untrusted.pem"), file("untrusted.key")));
    }

    /** A server whose certificate the CA signed for example.invalid, not for the loopback. */
    public TlsServer wrongNameServer() {
        return unchecked(() -> TlsServer.fromPem(file("wrong-name.pem"), file("wrong-name.key")));
    }

    /** A client that trusts the CA, and shows no certificate. */
    public TlsClient client() {
        return client;
    }

    /** A client that trusts the CA and shows the client certificate (rule 22). */
    public TlsClient clientWithIdentity() {
        return unchecked(() -> client.withIdentity(file("client.pem"), file("client.key")));
    }

    /** ELSEWHERE: a server certificate for example.invalid only, not for the loopback. */
    private enum Use { CA, SERVER, ELSEWHERE, CLIENT }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
            Instant from, Instant until, Use use) throws IOException, GeneralSecurityException, OperatorCreationException {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(until),
                new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(use == Use.CA));
        switch (use) {
            case CA -> b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            case SERVER, ELSEWHERE -> {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
                // Rule 23's endpoint identification: an IP literal must be an IP address here.
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(use == Use.ELSEWHERE
                        ? new GeneralName[] {new GeneralName(GeneralName.dNSName, "example.invalid")}
                        : new GeneralName[] {
                            new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                            new GeneralName(GeneralName.iPAddress, "::1"),
                            new GeneralName(GeneralName.dNSName, "localhost")}));
            }
            case CLIENT -> {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
            }
        }
        ContentSigner signer = new JcaContentSignerBuilder(SIGNATURE).build(issuerKeys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(b.build(signer));
    }

    /** NAME.pem, NAME.key (PKCS#8), and NAME.p12 with its password in NAME.pass. */
    private void identity(String name, X509Certificate cert, PrivateKey key) throws IOException, GeneralSecurityException {
        pem(name + ".pem", cert);
        try (Writer w = Files.newBufferedWriter(dir.resolve(name + ".key"), StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(key, null));
        }
        KeyStore p12 = KeyStore.getInstance("PKCS12");
        p12.load(null, null);
        p12.setKeyEntry(name, key, PASSWORD.toCharArray(), new Certificate[] {cert});
        try (OutputStream out = Files.newOutputStream(dir.resolve(name + ".p12"))) {
            p12.store(out, PASSWORD.toCharArray());
        }
        Files.writeString(dir.resolve(name + ".pass"), PASSWORD + "\n");
    }

    private void pem(String name, X509Certificate cert) throws IOException {
        try (Writer w = Files.newBufferedWriter(dir.resolve(name), StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(cert);
        }
    }

    private interface Io<T> {
        T get() throws IOException;
    }

    private static <T> T unchecked(Io<T> make) {
        try {
            return make.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is the only cost
        }
    }
}
