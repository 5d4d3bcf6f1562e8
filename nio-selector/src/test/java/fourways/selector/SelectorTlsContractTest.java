package fourways.selector;

import fourways.testsuite.TlsContractSuite;

/** The shared suite over TLS, and TLS's own rules, against the selector model's SSLEngine. */
class SelectorTlsContractTest extends TlsContractSuite {
    SelectorTlsContractTest() {
        super(new SelectorModel());
    }
}
