package fourways.coursework.e6_fixedpool;

import fourways.coursework.e6_fixedpool.starter.PoolModel;

/** {@code ./mvnw -q -pl coursework -am test -Dexercise=e6}: exercise 6's checker on your starter. */
class StarterCheck extends FixedPoolChecker {
    StarterCheck() {
        super(new PoolModel());
    }
}
