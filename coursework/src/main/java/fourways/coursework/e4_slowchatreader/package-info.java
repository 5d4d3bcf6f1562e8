/**
 * Exercise 4, "a chat that waits for its slowest reader" (tutorials/09-coursework.md): a
 * blocking chat server in which each sender's thread writes every frame into every other
 * member's socket. When one member stops reading, its socket fills, that write blocks, and the
 * sender and the whole room wait with it. PROTOCOL.md rules 10 and 12: queue, bound the queue,
 * drop the laggard.
 *
 * <p>{@code starter} is yours to edit; {@code solution} is one answer.
 */
package fourways.coursework.e4_slowchatreader;
