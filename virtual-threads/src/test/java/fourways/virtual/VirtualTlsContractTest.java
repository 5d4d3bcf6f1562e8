package fourways.virtual;

import fourways.testsuite.TlsContractSuite;

/** The shared suite over TLS, and TLS's own rules, against the virtual-threads model. */
class VirtualTlsContractTest extends TlsContractSuite {
    VirtualTlsContractTest() {
        super(new VirtualModel());
    }
}
