package fourways.coursework.e1_onereadonemessage;

import fourways.coursework.ExerciseModel;
import fourways.coursework.e1_onereadonemessage.solution.FramedServer;

/** Exercise 1's checker on the reference solution; CourseworkSelfTest runs it in every build. */
class SolutionCheck extends FramingChecker {
    SolutionCheck() {
        super(new ExerciseModel("e1 solution", FramedServer::start));
    }
}
