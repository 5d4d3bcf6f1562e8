package fourways.coursework.e6_fixedpool;

import fourways.blocking.BlockingModel;

/**
 * A wrong answer to exercise 6, for CourseworkSelfTest: blocking-io passes the shared suite, but
 * with a thread per connection, so the checker's pool test must reject it.
 */
class ThreadPerConnectionCheck extends FixedPoolChecker {
    ThreadPerConnectionCheck() {
        super(new BlockingModel());
    }
}
