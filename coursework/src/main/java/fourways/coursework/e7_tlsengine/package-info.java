/**
 * Exercise 7, "a naive SSLEngine loop on the selector" (tutorials/09-coursework.md, after
 * chapter 10): a TLS echo server with one selector thread, whose engine loop has the three
 * bugs most public examples have. It spins on the selector thread while a handshake waits for
 * bytes, it takes a record cut across two reads for an error, and it runs the engine's
 * delegated tasks on the selector thread. Each one costs other clients their service, or a
 * client its connection. Fix the loop.
 *
 * <p>The server ({@link fourways.coursework.e7_tlsengine.TlsSelectorServer}) and the
 * connection's buffers, echo and writes ({@link fourways.coursework.e7_tlsengine.EngineConnection})
 * are done; the work is in {@code starter/NaiveTlsEcho}'s {@code onReady}. {@code starter} is
 * yours to edit; {@code solution} is one answer.
 */
package fourways.coursework.e7_tlsengine;
