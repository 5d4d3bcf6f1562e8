/**
 * Exercise 5, "a limit on connections, in every model" (tutorials/09-coursework.md): one echo
 * server per model, blocking (with platform threads for blocking-io, virtual ones for
 * virtual-threads), selector and NIO2, none of which limits how many clients it serves at once.
 * Give each a {@code maxConnections}: the one too many is accepted and closed at once, and a
 * place is free again when a connection ends, however it ends.
 *
 * <p>The connections themselves ({@link fourways.coursework.e5_connectionlimit.BlockingEcho},
 * {@link fourways.coursework.e5_connectionlimit.SelectorEcho},
 * {@link fourways.coursework.e5_connectionlimit.AsyncEcho}) are done; the work is in each
 * server's accept path and in where it learns that a connection has closed. {@code starter} is
 * yours to edit; {@code solution} is one answer.
 */
package fourways.coursework.e5_connectionlimit;
