package fourways.coursework.e5_connectionlimit;

import fourways.coursework.e5_connectionlimit.solution.BlockingLimitServer;
import fourways.coursework.e5_connectionlimit.solution.LimitedServers;

/** Exercise 5's checker on the reference solution; CourseworkSelfTest runs it in every build. */
class SolutionCheck extends ConnectionLimitChecker {
    SolutionCheck() {
        super(LimitedServers.BLOCKING_IO, LimitedServers.NIO_SELECTOR, LimitedServers.NIO2_ASYNC,
                LimitedServers.VIRTUAL_THREADS, BlockingLimitServer::new);
    }
}
