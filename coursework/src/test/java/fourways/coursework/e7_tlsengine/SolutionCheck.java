package fourways.coursework.e7_tlsengine;

import fourways.coursework.e7_tlsengine.solution.TlsEcho;

/** Exercise 7's checker on the reference solution; CourseworkSelfTest runs it in every build. */
class SolutionCheck extends TlsLoopChecker {
    SolutionCheck() {
        super("e7 solution", TlsEcho::new);
    }
}
