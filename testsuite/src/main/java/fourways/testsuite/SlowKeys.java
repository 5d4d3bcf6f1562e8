package fourways.testsuite;

import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A server key that answers slowly, as one in a hardware security module or behind a remote
 * signing service does: {@link TestPki}'s server certificate, whose key manager, once
 * {@link #arm armed}, makes the next handshake wait at a gate that the test opens. The JDK asks
 * the key manager from inside an {@link SSLEngine}'s delegated task, so the gate shows which
 * thread runs those tasks, and what else that thread could have done meanwhile.
 */
public final class SlowKeys extends X509ExtendedKeyManager {
    private final X509ExtendedKeyManager keys;
    private volatile CountDownLatch gate;
    private final CountDownLatch entered = new CountDownLatch(1);
    private volatile Thread waiter;

    public SlowKeys() throws GeneralSecurityException, java.io.IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(TestPki.get().file("server.p12"))) {
            store.load(in, TestPki.PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, TestPki.PASSWORD.toCharArray());
        this.keys = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
    }

    /** A server-mode engine with this key, as {@code TlsServer.newEngine} makes them (TLS 1.3 or 1.2). */
    public SSLEngine newEngine() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {this}, null, null);
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            engine.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            return engine;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context from the test key", e);
        }
    }

    /** From now on, the next handshake waits in the key manager until {@link #open}. */
    public void arm() {
        gate = new CountDownLatch(1);
    }

    /** Lets the waiting handshake (and every later one) through. */
    public void open() {
        CountDownLatch g = gate;
        if (g != null) g.countDown();
    }

    /** Waits, at most {@code seconds}, until a handshake is held at the gate; returns the thread that holds it, or null. */
    public Thread awaitWaiter(long seconds) throws InterruptedException {
        return entered.await(seconds, TimeUnit.SECONDS) ? waiter : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        CountDownLatch g = gate;
        if (g != null && g.getCount() > 0) {
            waiter = Thread.currentThread();
            entered.countDown();
            try {
                // Bounded: a test that forgets to open the gate costs 30 s, never a hung build.
                g.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return keys.chooseEngineServerAlias(keyType, issuers, engine);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return keys.chooseServerAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return keys.getServerAliases(keyType, issuers);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;                                   // a server key only
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return keys.getPrivateKey(alias);
    }
}
