package fourways.coursework.e8_lengthprefix;

import fourways.coursework.ExerciseModel;

/** Exercise 8's checker on a wrong answer ({@link OneReadLength}): CourseworkSelfTest requires the top-bit check to reject it. */
class OneReadLengthCheck extends PrefixChecker {
    OneReadLengthCheck() {
        super(new ExerciseModel("e8 wrong answer", OneReadLength::start));
    }
}
