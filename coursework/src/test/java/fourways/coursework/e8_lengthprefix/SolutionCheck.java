package fourways.coursework.e8_lengthprefix;

import fourways.coursework.ExerciseModel;
import fourways.coursework.e8_lengthprefix.solution.PrefixedServer;

/** Exercise 8's checker on the reference solution: CourseworkSelfTest requires it to pass. */
class SolutionCheck extends PrefixChecker {
    SolutionCheck() {
        super(new ExerciseModel("e8 solution", PrefixedServer::start));
    }
}
