package fourways.async;

import fourways.testsuite.ContractSuite;

/** The shared suite, every rule of PROTOCOL.md, against the NIO2 completion-handler model. */
class AsyncContractTest extends ContractSuite {
    AsyncContractTest() {
        super(new AsyncModel());
    }
}
