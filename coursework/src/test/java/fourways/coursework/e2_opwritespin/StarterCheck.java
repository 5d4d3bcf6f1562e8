package fourways.coursework.e2_opwritespin;

import fourways.coursework.ExerciseModel;
import fourways.coursework.e2_opwritespin.starter.SpinningSelectorServer;

/** {@code ./mvnw -q -pl coursework -am test -Dexercise=e2}: exercise 2's checker on your starter. */
class StarterCheck extends SpinChecker {
    StarterCheck() {
        super(new ExerciseModel("e2 starter", SpinningSelectorServer::new));
    }
}
