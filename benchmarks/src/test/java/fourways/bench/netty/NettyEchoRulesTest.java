package fourways.bench.netty;

import fourways.testsuite.EchoRules;

/**
 * The shared suite's rules 1 to 7 (framing, echo, half-close, one-shot) against the Netty
 * baseline on its NIO transport: the baseline is compared fairly only if it does the same work.
 * (One gap these tests do not catch is described in {@link NettyServer}: a payload of exactly
 * the maximum whose delimiter is split between two reads.)
 */
class NettyEchoRulesTest extends EchoRules {
    NettyEchoRulesTest() {
        super(new NettyModel(NettyModel.Transport.NIO));
    }
}
