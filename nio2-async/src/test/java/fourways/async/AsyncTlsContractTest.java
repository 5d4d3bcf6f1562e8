package fourways.async;

import fourways.testsuite.TlsContractSuite;

/** The shared suite over TLS, and TLS's own rules, against the NIO2 model's SSLEngine on completion handlers. */
class AsyncTlsContractTest extends TlsContractSuite {
    AsyncTlsContractTest() {
        super(new AsyncModel());
    }
}
