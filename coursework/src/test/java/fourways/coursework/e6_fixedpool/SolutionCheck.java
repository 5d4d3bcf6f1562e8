package fourways.coursework.e6_fixedpool;

import fourways.coursework.e6_fixedpool.solution.PoolModel;

/** Exercise 6's checker on the reference solution; CourseworkSelfTest runs it in every build. */
class SolutionCheck extends FixedPoolChecker {
    SolutionCheck() {
        super(new PoolModel());
    }
}
