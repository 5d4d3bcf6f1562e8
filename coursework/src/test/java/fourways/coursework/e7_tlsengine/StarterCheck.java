package fourways.coursework.e7_tlsengine;

import fourways.coursework.e7_tlsengine.starter.NaiveTlsEcho;

/** {@code ./mvnw -q -pl coursework -am test -Dexercise=e7}: exercise 7's checker on your starter. */
class StarterCheck extends TlsLoopChecker {
    StarterCheck() {
        super("e7 starter", NaiveTlsEcho::new);
    }
}
