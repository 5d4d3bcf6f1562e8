package fourways.testsuite;

import fourways.protocol.Model;

/**
 * The whole shared suite over TLS (rule 24), then TLS's own rules (21 to 26, {@link TlsRules})
 * and OpenSSL as the peer ({@link OpenSslRules}). The server of every test shows
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
 */
public abstract class TlsContractSuite extends OpenSslRules {

    protected TlsContractSuite(Model model) {
        super(model);
    }
}
