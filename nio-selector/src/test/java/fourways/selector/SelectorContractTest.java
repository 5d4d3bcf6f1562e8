package fourways.selector;

import fourways.testsuite.ContractSuite;

/** The shared suite, every rule of PROTOCOL.md, against the selector model. */
class SelectorContractTest extends ContractSuite {
    SelectorContractTest() {
        super(new SelectorModel());
    }
}
