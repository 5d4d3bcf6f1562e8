package fourways.coursework.e5_connectionlimit;

import fourways.coursework.e5_connectionlimit.starter.BlockingLimitServer;
import fourways.coursework.e5_connectionlimit.starter.LimitedServers;

/** {@code ./mvnw -q -pl coursework -am test -Dexercise=e5}: exercise 5's checker on your starter. */
class StarterCheck extends ConnectionLimitChecker {
    StarterCheck() {
        super(LimitedServers.BLOCKING_IO, LimitedServers.NIO_SELECTOR, LimitedServers.NIO2_ASYNC,
                LimitedServers.VIRTUAL_THREADS, BlockingLimitServer::new);
    }
}
