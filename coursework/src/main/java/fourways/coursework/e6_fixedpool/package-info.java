/**
 * Exercise 6, "a fifth model: a fixed pool of threads" (tutorials/09-coursework.md): write a
 * server whose thread count does not grow with its connections, and make it pass the whole
 * shared suite ({@code fourways.testsuite.ContractSuite}).
 *
 * <p>One design, the reference solution's: a selector thread that only waits for readiness, and
 * a fixed pool of workers that do the reading, decoding, replying and writing, each
 * connection's work one task at a time through a {@link
 * fourways.coursework.e6_fixedpool.SerialExecutor}. {@code starter} is yours to edit;
 * {@code solution} is one answer.
 */
package fourways.coursework.e6_fixedpool;
