/**
 * Exercise 8, "a length prefix instead of a delimiter" (tutorials/09-coursework.md): the echo
 * protocol with each frame a 4-byte length and then that many bytes, served in a model of your
 * choice. A design exercise: the starter is a plan, not code to mend. Its checker is small and
 * its own ({@code PrefixChecker}): the shared suite speaks {@code <EOF>}.
 *
 * <p>{@code starter} is yours to write; {@code solution} is one answer.
 */
package fourways.coursework.e8_lengthprefix;
