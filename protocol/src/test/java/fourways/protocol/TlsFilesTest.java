package fourways.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Rules 21 to 23: what is wrong with a TLS file is said in one line, naming the file and the reason. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class TlsFilesTest {
    private static final Instant NOW = Instant.now();
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir Path dir;

    /** Rule 23: the JDK never date-checks a trust anchor; we do, when the file is read. */
    @Test
    void rule23_anExpiredTrustAnchorIsRefusedNamingTheFileAndTheDates() throws Exception {
        Instant from = NOW.minus(DAY.multipliedBy(30)), until = NOW.minus(DAY);
        TestCertificates.Made expired = TestCertificates.selfSigned(dir, "old-root", from, until);

        IOException e = assertThrows(IOException.class, () -> TlsClient.trusting(expired.pem()));

        String until0 = until.truncatedTo(ChronoUnit.SECONDS).toString();
        assertEquals(expired.pem() + ": the certificate CN=old-root expired on " + until0 + " (valid from "
                + from.truncatedTo(ChronoUnit.SECONDS) + " to " + until0 + "); it cannot be trusted", e.getMessage());
    }

    @Test
    void rule23_aNotYetValidTrustAnchorIsCalledNotYetValidNotExpired() throws Exception {
        TestCertificates.Made early = TestCertificates.selfSigned(dir, "early", NOW.plus(DAY), NOW.plus(DAY.multipliedBy(30)));

        IOException e = assertThrows(IOException.class, () -> TlsClient.trusting(early.pem()));

        assertTrue(e.getMessage().startsWith(early.pem() + ": the certificate CN=early is not yet valid (valid from "),
                e.getMessage());
        assertFalse(e.getMessage().contains("expired"), e.getMessage());
    }

    /** The same check on a truststore, and on the server's --client-auth --trust (rule 22). */
    @Test
    void rule22_anExpiredAnchorInATruststoreIsRefusedToo() throws Exception {
        TestCertificates.Made expired = TestCertificates.selfSigned(dir, "old-ca", NOW.minus(DAY.multipliedBy(9)), NOW.minus(DAY));
        TestCertificates.Made server = TestCertificates.selfSigned(dir, "server", NOW.minus(DAY), NOW.plus(DAY));
        KeyStore jks = KeyStore.getInstance("JKS");
        jks.load(null, null);
        jks.setCertificateEntry("ca", expired.certificate());
        Path truststore = dir.resolve("trust.jks");
        try (OutputStream out = Files.newOutputStream(truststore)) {
            jks.store(out, "ignored".toCharArray());
        }
        TlsServer valid = TlsServer.fromPem(server.pem(), server.key());

        IOException e = assertThrows(IOException.class, () -> valid.withClientAuth(truststore));

        assertTrue(e.getMessage().startsWith(truststore + ": the certificate CN=old-ca expired on "), e.getMessage());
    }

    /** Rule 21: a server on an expired certificate is told so; it starts all the same. */
    @Test
    void rule21_aServerCertificateOutOfDateIsAWarningNamingTheFileAndTheDates() throws Exception {
        TestCertificates.Made expired = TestCertificates.selfSigned(dir, "lapsed", NOW.minus(DAY.multipliedBy(9)), NOW.minus(DAY));
        TestCertificates.Made early = TestCertificates.selfSigned(dir, "early", NOW.plus(DAY), NOW.plus(DAY.multipliedBy(9)));
        TestCertificates.Made valid = TestCertificates.selfSigned(dir, "valid", NOW.minus(DAY), NOW.plus(DAY));

        String lapsed = TlsServer.fromPem(expired.pem(), expired.key()).certificateWarning();
        String notYet = TlsServer.fromPem(early.pem(), early.key()).certificateWarning();

        assertNotNull(lapsed);
        assertTrue(lapsed.startsWith(expired.pem() + ": the certificate CN=lapsed expired on "), lapsed);
        assertTrue(lapsed.contains(" (valid from "), lapsed);
        assertTrue(notYet.startsWith(early.pem() + ": the certificate CN=early is not yet valid (valid from "), notYet);
        assertNull(TlsServer.fromPem(valid.pem(), valid.key()).certificateWarning());
        // Kept through the server's other settings.
        assertNotNull(TlsServer.fromPem(expired.pem(), expired.key()).withHandshakeTimeout(Duration.ofSeconds(3))
                .withClientAuth(valid.pem()).certificateWarning());
    }

    /** Rule 21: "no such file", where it used to read as a wrong password. */
    @Test
    void rule21_aMissingKeystoreIsReportedMissing() throws Exception {
        Path password = Files.writeString(dir.resolve("ks.pass"), "secret\n");

        IOException e = assertThrows(IOException.class, () -> TlsServer.fromKeystore(dir.resolve("missing.p12"), password));

        assertEquals(dir.resolve("missing.p12") + ": no such readable file", e.getMessage());
    }

    /** Rule 21: a JKS whose key has a password of its own, where the JDK says only "Cannot recover key". */
    @Test
    void rule21_aJksKeyWithAnotherPasswordIsSaidSo() throws Exception {
        TestCertificates.Made made = TestCertificates.selfSigned(dir, "server", NOW.minus(DAY), NOW.plus(DAY));
        Path jks = TestCertificates.jksWithKeyPassword(made, dir.resolve("server.jks"), "store-secret", "key-secret");
        Path password = Files.writeString(dir.resolve("store.pass"), "store-secret\n");

        IOException e = assertThrows(IOException.class, () -> TlsServer.fromKeystore(jks, password));

        assertEquals(jks + ": the key's password is not the keystore's (the one in " + password
                + "); give the key the keystore's password (keytool -keypasswd)", e.getMessage());
    }

    /** Rule 21: the first line, decoded as UTF-8 (not the platform's charset), whatever ends it. */
    @Test
    void rule21_thePasswordIsTheFirstLineInUtf8() throws Exception {
        TestCertificates.Made made = TestCertificates.selfSigned(dir, "server", NOW.minus(DAY), NOW.plus(DAY));
        String secret = "pässwört-密码";
        // A JKS, not a PKCS12: JDK 21's PKCS12 refuses to protect a key with a password that is
        // not ASCII ("Password is not ASCII", its PBE key factory), and JKS takes any char.
        KeyStore jks = KeyStore.getInstance("JKS");
        jks.load(null, null);
        jks.setKeyEntry("key", made.keys().getPrivate(), secret.toCharArray(), new Certificate[] {made.certificate()});
        Path keystore = dir.resolve("server.jks");
        try (OutputStream out = Files.newOutputStream(keystore)) {
            jks.store(out, secret.toCharArray());
        }
        Path crlf = Files.write(dir.resolve("crlf.pass"), (secret + "\r\nsecond line\r\n").getBytes(StandardCharsets.UTF_8));
        Path bare = Files.write(dir.resolve("bare.pass"), secret.getBytes(StandardCharsets.UTF_8));

        assertNull(TlsServer.fromKeystore(keystore, crlf).certificateWarning());
        assertNull(TlsServer.fromKeystore(keystore, bare).certificateWarning());
    }

    @Test
    void rule21_aPasswordFileThatIsNotUtf8IsNamed() throws Exception {
        TestCertificates.Made made = TestCertificates.selfSigned(dir, "server", NOW.minus(DAY), NOW.plus(DAY));
        Path jks = TestCertificates.jksWithKeyPassword(made, dir.resolve("server.jks"), "secret", "secret");
        Path latin1 = Files.write(dir.resolve("latin1.pass"), "pässwört\n".getBytes(StandardCharsets.ISO_8859_1));

        IOException e = assertThrows(IOException.class, () -> TlsServer.fromKeystore(jks, latin1));

        assertEquals(latin1 + ": not UTF-8 text; the password is the file's first line, in UTF-8", e.getMessage());
    }
}
