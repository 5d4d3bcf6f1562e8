package fourways.coursework.e4_slowchatreader;

import fourways.coursework.ExerciseModel;
import fourways.coursework.e4_slowchatreader.starter.DirectChatServer;

/** {@code ./mvnw -q -pl coursework -am test -Dexercise=e4}: exercise 4's checker on your starter. */
class StarterCheck extends SlowReaderChecker {
    StarterCheck() {
        super(new ExerciseModel("e4 starter", DirectChatServer::start));
    }
}
