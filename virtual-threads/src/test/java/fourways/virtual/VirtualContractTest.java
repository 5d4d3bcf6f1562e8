package fourways.virtual;

import fourways.testsuite.ContractSuite;

/** The shared suite, every rule of PROTOCOL.md, against the virtual-threads model. */
class VirtualContractTest extends ContractSuite {
    VirtualContractTest() {
        super(new VirtualModel());
    }
}
