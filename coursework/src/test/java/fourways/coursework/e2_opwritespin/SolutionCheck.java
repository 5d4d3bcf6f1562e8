package fourways.coursework.e2_opwritespin;

import fourways.coursework.ExerciseModel;
import fourways.coursework.e2_opwritespin.solution.QuietSelectorServer;

/** Exercise 2's checker on the reference solution; CourseworkSelfTest runs it in every build. */
class SolutionCheck extends SpinChecker {
    SolutionCheck() {
        super(new ExerciseModel("e2 solution", QuietSelectorServer::new));
    }
}
