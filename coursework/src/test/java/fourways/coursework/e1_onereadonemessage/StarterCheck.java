package fourways.coursework.e1_onereadonemessage;

import fourways.coursework.ExerciseModel;
import fourways.coursework.e1_onereadonemessage.starter.OneReadServer;

/** {@code ./mvnw -q -pl coursework -am test -Dexercise=e1}: exercise 1's checker on your starter. */
class StarterCheck extends FramingChecker {
    StarterCheck() {
        super(new ExerciseModel("e1 starter", OneReadServer::start));
    }
}
