package fourways.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates with the dates a test asks for, written into the test's own folder: protocol
 * cannot use testsuite's TestPki (testsuite depends on protocol), and needs dates TestPki has
 * not got (a trust anchor expired, a certificate not yet valid). EC P-256: microseconds each.
 * Every certificate names 127.0.0.1 and localhost, so that a server may show it on the loopback.
 */
final class TestCertificates {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** One certificate made: its PEM file, its key's PEM file (PKCS#8), and both in memory. */
    record Made(Path pem, Path key, X509Certificate certificate, KeyPair keys) {}

    private TestCertificates() {}

    /** NAME.pem and NAME.key in {@code dir}: a CA certificate signed by its own key, valid from {@code from} to {@code until}. */
    static Made selfSigned(Path dir, String name, Instant from, Instant until) throws Exception {
        KeyPair keys = keys();
        return write(dir, name, certificate("CN=" + name, keys, "CN=" + name, keys, from, until), keys);
    }

    /** NAME.pem and NAME.key: a certificate for the loopback signed by {@code ca}. */
    static Made signedBy(Made ca, Path dir, String name, Instant from, Instant until) throws Exception {
        KeyPair keys = keys();
        return write(dir, name, certificate("CN=" + name, keys, ca.certificate().getSubjectX500Principal().getName(),
                ca.keys(), from, until), keys);
    }

    /** A JKS keystore whose store password and key password differ, as {@code keytool -keypass} makes one. */
    static Path jksWithKeyPassword(Made made, Path file, String storePassword, String keyPassword) throws Exception {
        KeyStore jks = KeyStore.getInstance("JKS");
        jks.load(null, null);
        jks.setKeyEntry("key", made.keys().getPrivate(), keyPassword.toCharArray(), new Certificate[] {made.certificate()});
        try (OutputStream out = Files.newOutputStream(file)) {
            jks.store(out, storePassword.toCharArray());
        }
        return file;
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                               Instant from, Instant until) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(from), Date.from(until),
                new X500Name(subject), subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(subject.equals(issuer)));
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
    }

    private static Made write(Path dir, String name, X509Certificate cert, KeyPair keys) throws IOException {
        Path pem = dir.resolve(name + ".pem"), key = dir.resolve(name + ".key");
        try (Writer w = Files.newBufferedWriter(pem, StandardCharsets.US_ASCII); JcaPEMWriter out = new JcaPEMWriter(w)) {
            out.writeObject(cert);
        }
        try (Writer w = Files.newBufferedWriter(key, StandardCharsets.US_ASCII); JcaPEMWriter out = new JcaPEMWriter(w)) {
            out.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
        }
        return new Made(pem, key, cert, keys);
    }
}
