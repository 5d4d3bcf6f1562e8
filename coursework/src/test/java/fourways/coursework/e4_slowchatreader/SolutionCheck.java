package fourways.coursework.e4_slowchatreader;

import fourways.coursework.ExerciseModel;
import fourways.coursework.e4_slowchatreader.solution.QueuedChatServer;

/** Exercise 4's checker on the reference solution; CourseworkSelfTest runs it in every build. */
class SolutionCheck extends SlowReaderChecker {
    SolutionCheck() {
        super(new ExerciseModel("e4 solution", QueuedChatServer::start));
    }
}
