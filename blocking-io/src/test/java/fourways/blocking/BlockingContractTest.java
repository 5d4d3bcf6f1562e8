package fourways.blocking;

import fourways.testsuite.ContractSuite;

/** The shared suite, every rule of PROTOCOL.md, against the blocking model. */
class BlockingContractTest extends ContractSuite {
    BlockingContractTest() {
        super(new BlockingModel());
    }
}
