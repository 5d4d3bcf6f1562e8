package fourways.testsuite;

import fourways.protocol.Model;

/**
 * The whole shared suite: every rule of PROTOCOL.md, against one model's server and client.
 * A module runs it with one small class:
 *
 * <pre>{@code
 * class BlockingContractTest extends ContractSuite {
 *     BlockingContractTest() {
 *         super(new BlockingModel());
 *     }
 * }
 * }</pre>
 *
 * <p>The rules live in a chain of classes, one file per part of PROTOCOL.md, read in order:
 * {@link FramingRules} (1-4), {@link EchoRules} (5-7), {@link LimitRules} (10, 11, 13),
 * {@link SinkRules} (8), {@link ChatRules} (9, 12), {@link LifecycleRules} (14, 15),
 * {@link ClientRules} (16-20).
 */
public abstract class ContractSuite extends ClientRules {

    protected ContractSuite(Model model) {
        super(model, false);
    }

    /** The same rules over TLS: see {@link TlsContractSuite}, which also adds TLS's own. */
    protected ContractSuite(Model model, boolean overTls) {
        super(model, overTls);
    }
}
