/**
 * Exercise 1, "one read is not one message" (tutorials/09-coursework.md): a blocking echo server
 * that takes each {@code read()} for one whole frame, as the seed's C# sample nearly did. TCP
 * keeps no message boundaries (PROTOCOL.md rule 3): make it decode incrementally.
 *
 * <p>{@code starter} is yours to edit; {@code solution} is one answer.
 */
package fourways.coursework.e1_onereadonemessage;
