package fourways.coursework.e8_lengthprefix;

import fourways.coursework.ExerciseModel;
import fourways.coursework.e8_lengthprefix.starter.PrefixedServer;

/** {@code ./mvnw -q -pl coursework -am test -Dexercise=e8}: exercise 8's checker on your server. */
class StarterCheck extends PrefixChecker {
    StarterCheck() {
        super(new ExerciseModel("e8 starter", PrefixedServer::start));
    }
}
