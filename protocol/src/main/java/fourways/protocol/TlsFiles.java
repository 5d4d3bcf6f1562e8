package fourways.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The files of rules 21 to 23, read once for both ends: a certificate and its key (a PKCS#12 keystore, or
 * PEM as certificate authorities hand it out), and the certificates a peer must chain to. Every
 * failure is an IOException whose message names the file and says what is wrong with it, in one
 * line, because the command line prints exactly that (rule 20). A password lives only in a
 * {@code char[]}, zeroed once the keys are out: a String could be neither cleared nor freed.
 */
final class TlsFiles {
    /** Rule 21: TLS 1.3 and 1.2, nothing older, on both ends. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsFiles() {}

    /**
     * A certificate and its key, read: the key managers the JDK takes, and the certificate
     * (null if not X.509), read from {@code file}, for its dates.
     */
    record Identity(KeyManager[] keyManagers, X509Certificate certificate, Path file) {
        /** Rule 21: null when the certificate is valid now, otherwise one line naming the file and the dates. */
        String outOfDate() {
            String why = certificate == null ? null : TlsFiles.outOfDate(certificate, Instant.now());
            return why == null ? null : file + ": " + why;
        }
    }

    /** A PKCS#12 (or JKS) keystore and the file holding its password, as Java's tools make them. */
    static Identity keystore(Path keystore, Path passwordFile) throws IOException {
        readable(keystore);                           // "missing" must not read as "wrong password" below
        char[] password = password(passwordFile);
        try {
            KeyStore store;
            try {
                store = KeyStore.getInstance(keystore.toFile(), password);
            } catch (IOException | GeneralSecurityException e) {
                // The JDK says "keystore password was incorrect" or "Invalid keystore format",
                // wrapped in a cause or two: name the file and the two likely reasons instead.
                throw new IOException(keystore + ": not a PKCS#12 or JKS keystore, or the password in "
                        + passwordFile + " is wrong");
            }
            String alias = Collections.list(store.aliases()).stream().filter(a -> isKey(store, a)).findFirst()
                    .orElseThrow(() -> new IOException(keystore + ": holds no private key with its certificate"));
            try {
                X509Certificate certificate = store.getCertificate(alias) instanceof X509Certificate c ? c : null;
                return new Identity(keyManagers(store, password), certificate, keystore);
            } catch (UnrecoverableKeyException e) {
                // JKS lets a key have a password of its own; the JDK then says "Cannot recover key".
                throw new IOException(keystore + ": the key's password is not the keystore's (the one in " + passwordFile
                        + "); give the key the keystore's password (keytool -keypasswd)");
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(keystore + ": " + e.getMessage());
        } finally {
            Arrays.fill(password, '\0');             // the key managers hold the keys now, not the password
        }
    }

    /** A PEM certificate chain (leaf first) and its PEM private key: PKCS#8, PKCS#1 or SEC1. */
    static Identity pem(Path certFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        matches(key, chain.get(0), certFile, keyFile);
        try {
            // The JDK's key managers take a KeyStore, so the pair goes into one held in memory.
            char[] none = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, none, chain.toArray(new Certificate[0]));
            return new Identity(keyManagers(store, none), chain.get(0), certFile);
        } catch (GeneralSecurityException e) {
            throw new IOException(certFile + ", " + keyFile + ": " + e.getMessage());
        }
    }

    /**
     * The certificates a peer must chain to: PEM CA certificate(s), or a PKCS#12 or JKS
     * truststore whose certificates can be read without a password. Each must be valid today:
     * the JDK never checks the dates of a certificate it trusts, so an expired self-signed
     * certificate given here would be accepted at every handshake (rule 23 says expired is an error).
     */
    static TrustManager[] trust(Path trustFile) throws IOException {
        try {
            KeyStore store;
            List<X509Certificate> anchors = new ArrayList<>();
            if (isPem(trustFile)) {
                store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                anchors.addAll(certificates(trustFile));
                for (int n = 0; n < anchors.size(); n++) store.setCertificateEntry("ca" + n, anchors.get(n));
            } else {
                try {
                    store = KeyStore.getInstance(trustFile.toFile(), (char[]) null);
                } catch (IOException | GeneralSecurityException e) {
                    throw new IOException(trustFile + ": neither PEM certificates nor a PKCS#12 or JKS truststore");
                }
                for (String alias : Collections.list(store.aliases())) {
                    if (isCertificate(store, alias) && store.getCertificate(alias) instanceof X509Certificate c) anchors.add(c);
                }
                if (anchors.isEmpty()) {
                    // keytool and openssl encrypt a PKCS#12's certificates under its password.
                    throw new IOException(trustFile + ": holds no certificate readable without a password;"
                            + " give the CA certificate as PEM, or a JKS truststore");
                }
            }
            Instant now = Instant.now();
            for (X509Certificate anchor : anchors) {
                String outOfDate = outOfDate(anchor, now);
                if (outOfDate != null) throw new IOException(trustFile + ": " + outOfDate + "; it cannot be trusted");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException(trustFile + ": " + e.getMessage());
        }
    }

    /**
     * Rules 21 and 23: null when {@code cert} is valid at {@code now}; otherwise, in words, which
     * way it is not ("expired" and "not yet valid" are different mistakes: a lapsed renewal, or a
     * clock or a certificate dated ahead), with its dates.
     */
    static String outOfDate(X509Certificate cert, Instant now) {
        Instant from = cert.getNotBefore().toInstant(), until = cert.getNotAfter().toInstant();
        String which = "the certificate " + cert.getSubjectX500Principal().getName();
        String dates = " (valid from " + from.truncatedTo(ChronoUnit.SECONDS) + " to " + until.truncatedTo(ChronoUnit.SECONDS) + ")";
        if (now.isAfter(until)) return which + " expired on " + until.truncatedTo(ChronoUnit.SECONDS) + dates;
        if (now.isBefore(from)) return which + " is not yet valid" + dates;
        return null;
    }

    /** Every certificate in a PEM (or DER) file; at least one, or an error naming the file. */
    static List<X509Certificate> certificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(readable(file))) {
            List<X509Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (!all.isEmpty()) return all;
        } catch (GeneralSecurityException | RuntimeException e) {
            // falls through: a key, a CSR or any other file is "not a certificate", whatever it is
        }
        throw new IOException(file + ": not a PEM certificate");
    }

    private static PrivateKey privateKey(Path file) throws IOException {
        Object pem;
        try (Reader in = Files.newBufferedReader(readable(file), StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(in)) {
            pem = parser.readObject();
        } catch (IOException | RuntimeException e) {
            pem = null;
        }
        PrivateKeyInfo info = pem instanceof PEMKeyPair pair ? pair.getPrivateKeyInfo()   // PKCS#1, SEC1
                : pem instanceof PrivateKeyInfo p ? p                                      // PKCS#8
                : null;
        if (info != null) {
            try {
                return new JcaPEMKeyConverter().getPrivateKey(info);
            } catch (IOException e) {
                // falls through: a key of a kind, or a curve, the JDK cannot use
            }
        }
        throw new IOException(file + ": not an unencrypted PEM private key (PKCS#8, PKCS#1 or SEC1)");
    }

    /** A key that does not belong to the certificate would fail only at each handshake: fail now. */
    private static void matches(PrivateKey key, X509Certificate cert, Path certFile, Path keyFile) throws IOException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) return;
        try {
            byte[] probe = "fourways".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(cert.getPublicKey());
            verify.update(probe);
            if (verify.verify(sign.sign())) return;
        } catch (GeneralSecurityException e) {
            // falls through: a key of another type than the certificate's is a mismatch too
        }
        throw new IOException(keyFile + ": not the private key of the certificate in " + certFile);
    }

    private static KeyManager[] keyManagers(KeyStore store, char[] password) throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        return kmf.getKeyManagers();
    }

    /**
     * The password file's first line, as keytool's {@code -storepass:file} reads it, decoded
     * straight into a char[]: never a String, and every other copy zeroed before returning.
     */
    private static char[] password(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(readable(file));
        CharBuffer chars = null;
        try {
            // A decoder that reports, where new String() would silently put U+FFFD for each bad byte.
            chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            int end = 0;
            while (end < chars.limit() && chars.get(end) != '\n' && chars.get(end) != '\r') end++;
            char[] password = new char[end];
            chars.get(0, password);
            return password;
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text; the password is the file's first line, in UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
            if (chars != null) Arrays.fill(chars.array(), '\0');
        }
    }

    private static boolean isPem(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(readable(file))) {
            byte[] head = in.readNBytes(64);
            return new String(head, StandardCharsets.ISO_8859_1).contains("-----BEGIN");
        }
    }

    /** One line for a missing or unreadable file, rather than the JDK's exception class names. */
    private static Path readable(Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException(file + ": no such readable file");
        }
        return file;
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean isCertificate(KeyStore store, String alias) {
        try {
            return store.isCertificateEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static String[] protocols() {
        return Arrays.copyOf(PROTOCOLS, PROTOCOLS.length);
    }
}
