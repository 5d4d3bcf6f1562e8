package fourways.coursework.e3_writepending;

import fourways.coursework.ExerciseModel;
import fourways.coursework.e3_writepending.solution.OneWriteAtATimeServer;

/** Exercise 3's checker on the reference solution; CourseworkSelfTest runs it in every build. */
class SolutionCheck extends WritePendingChecker {
    SolutionCheck() {
        super(new ExerciseModel("e3 solution", OneWriteAtATimeServer::new));
    }
}
