package fourways.coursework.e3_writepending;

import fourways.coursework.ExerciseModel;
import fourways.coursework.e3_writepending.starter.PendingWriteServer;

/** {@code ./mvnw -q -pl coursework -am test -Dexercise=e3}: exercise 3's checker on your starter. */
class StarterCheck extends WritePendingChecker {
    StarterCheck() {
        super(new ExerciseModel("e3 starter", PendingWriteServer::new));
    }
}
