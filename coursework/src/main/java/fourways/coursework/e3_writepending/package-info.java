/**
 * Exercise 3, "a second write while one is pending" (tutorials/09-coursework.md): an NIO2 echo
 * server that starts a write for each reply the moment it is made. While the client reads, each
 * write completes at once and all is well; when the socket is full, a write stays pending, and
 * the next one throws {@code WritePendingException}. Give each connection one write at a time.
 *
 * <p>{@code starter} is yours to edit; {@code solution} is one answer.
 */
package fourways.coursework.e3_writepending;
