package fourways.bench;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The benchmarks' certificate, made at run time into a folder of the run's (no private key is
 * ever committed): one self-signed EC P-256 certificate for 127.0.0.1, ::1 and localhost, which
 * the servers show and the clients trust. Costs a few milliseconds; P-256 is what a web server
 * is most often given today, and its handshake is the one measured.
 *
 * <p>Not the tests' {@code TestPki}: that one lives beside JUnit in the test suite, which the
 * benchmarks' jar does not carry, and it makes a whole CA's worth of certificates.
 */
public final class BenchPki {
    private final Path cert;
    private final Path key;

    private BenchPki(Path cert, Path key) {
        this.cert = cert;
        this.key = key;
    }

    /** Writes {@code server.pem} and {@code server.key} (PKCS#8, unencrypted) into {@code dir}. */
    public static BenchPki create(Path dir) throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = g.generateKeyPair();
            X500Name name = new X500Name("CN=Sockets Four Ways benchmark");
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name,
                    keys.getPublic());
            // The clients check the name (rule 23): the loopback as addresses, and by name.
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.iPAddress, "::1"),
                new GeneralName(GeneralName.dNSName, "localhost")}));
            var certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            BenchPki pki = new BenchPki(dir.resolve("server.pem"), dir.resolve("server.key"));
            write(pki.cert, certificate);
            write(pki.key, new JcaPKCS8Generator(keys.getPrivate(), null));   // unencrypted PKCS#8
            return pki;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make the benchmark certificate: " + e.getMessage(), e);
        }
    }

    private static void write(Path file, Object pemObject) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(pemObject);
        }
    }

    /** The certificate, PEM: what the servers show, and what the clients trust (it signed itself). */
    public Path cert() {
        return cert;
    }

    public Path key() {
        return key;
    }

    /** A server's options (rule 21): {@code --tls --cert FILE --key FILE}. */
    public List<String> serverArgs() {
        return List.of("--tls", "--cert", cert.toString(), "--key", key.toString());
    }

    /** A client's options (rule 23): {@code --tls --trust FILE}. */
    public List<String> clientArgs() {
        return List.of("--tls", "--trust", cert.toString());
    }
}
