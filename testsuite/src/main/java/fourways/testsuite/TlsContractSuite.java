package fourways.testsuite;

import fourways.protocol.Model;

/**
 * The whole shared suite over TLS (rule 24), then TLS's own rules (21 to 26, {@link TlsRules}),
 * OpenSSL as the peer ({@link OpenSslRules}) and peers that play TLS against the server on
 * purpose ({@link FloodRules}, {@link HostileRules}). The server of every test shows
 * {@link TestPki}'s server certificate, and every client of the suite, the raw one and the
 * model's own, trusts its CA. A module runs it with one small class beside its plain one:
 *
 * <pre>{@code
 * class BlockingTlsContractTest extends TlsContractSuite {
 *     BlockingTlsContractTest() {
 *         super(new BlockingModel());
 *     }
 * }
 * }</pre>
 *
 * <p>What the suite's TLS peers do, which a model that drives an {@code SSLEngine} must meet:
 * {@link RawClient} completes its handshake before a test writes, writes each {@code sendRaw}
 * as its own record (a frame sent a byte at a time is a record per byte), reads at most one
 * record per read, half-closes with close_notify then FIN ({@code shutdownOutput}, TLS 1.3),
 * and closes with a bare FIN, no close_notify (the JDK's SSLSocket, like most clients, counts
 * that as a close, and so must the server), or a reset. The server's certificate is
 * {@link TestPki#server()}, for 127.0.0.1, ::1 and localhost; the model's own client is
 * given {@link TestPki#client()} and must check it (rule 23). Standard error is watched
 * during TLS's own rules: a stack trace there fails the test (rule 26).
 */
public abstract class TlsContractSuite extends HostileRules {

    protected TlsContractSuite(Model model) {
        super(model);
    }
}
