package fourways.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
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
 * line, because the command line prints exactly that (rule 20).
 */
final class TlsFiles {
    /** Rule 21: TLS 1.3 and 1.2, nothing older, on both ends. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsFiles() {}

    /** A PKCS#12 (or JKS) keystore and the file holding its password, as Java's tools make them. */
    static KeyManager[] keystore(Path keystore, Path passwordFile) throws IOException {
        char[] password = password(passwordFile);
        KeyStore store;
        try {
            store = KeyStore.getInstance(readable(keystore).toFile(), password);
        } catch (IOException | GeneralSecurityException e) {
            // The JDK says "keystore password was incorrect" or "Invalid keystore format",
            // wrapped in a cause or two: name the file and the two likely reasons instead.
            throw new IOException(keystore + ": not a PKCS#12 or JKS keystore, or the password in "
                    + passwordFile + " is wrong");
        }
        try {
            if (Collections.list(store.aliases()).stream().noneMatch(a -> isKey(store, a))) {
                throw new IOException(keystore + ": holds no private key with its certificate");
            }
            return keyManagers(store, password);
        } catch (GeneralSecurityException e) {
            throw new IOException(keystore + ": " + e.getMessage());
        }
    }

    /** A PEM certificate chain (leaf first) and its PEM private key: PKCS#8, PKCS#1 or SEC1. */
    static KeyManager[] pem(Path certFile, Path keyFile) throws IOException {
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        matches(key, chain.get(0), certFile, keyFile);
        try {
            // The JDK's key managers take a KeyStore, so the pair goes into one held in memory.
            char[] none = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, none, chain.toArray(new Certificate[0]));
            return keyManagers(store, none);
        } catch (GeneralSecurityException e) {
            throw new IOException(certFile + ", " + keyFile + ": " + e.getMessage());
        }
    }

    /**
     * The certificates a peer must chain to: PEM CA certificate(s), or a PKCS#12 or JKS
     * truststore whose certificates can be read without a password.
     */
    static TrustManager[] trust(Path trustFile) throws IOException {
        try {
            KeyStore store;
            if (isPem(trustFile)) {
                store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int n = 0;
                for (X509Certificate c : certificates(trustFile)) store.setCertificateEntry("ca" + n++, c);
            } else {
                try {
                    store = KeyStore.getInstance(trustFile.toFile(), (char[]) null);
                } catch (IOException | GeneralSecurityException e) {
                    throw new IOException(trustFile + ": neither PEM certificates nor a PKCS#12 or JKS truststore");
                }
                if (Collections.list(store.aliases()).stream().noneMatch(a -> isCertificate(store, a))) {
                    // keytool and openssl encrypt a PKCS#12's certificates under its password.
                    throw new IOException(trustFile + ": holds no certificate readable without a password;"
                            + " give the CA certificate as PEM, or a JKS truststore");
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException(trustFile + ": " + e.getMessage());
        }
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

    /** The password file's first line, as keytool's {@code -storepass:file} reads it. */
    private static char[] password(Path file) throws IOException {
        List<String> lines = Files.readAllLines(readable(file), StandardCharsets.UTF_8);
        return lines.isEmpty() ? new char[0] : lines.get(0).toCharArray();
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
