package fourways.blocking;

import fourways.testsuite.TlsContractSuite;

/** The shared suite over TLS, and TLS's own rules, against the blocking model. */
class BlockingTlsContractTest extends TlsContractSuite {
    BlockingTlsContractTest() {
        super(new BlockingModel());
    }
}
