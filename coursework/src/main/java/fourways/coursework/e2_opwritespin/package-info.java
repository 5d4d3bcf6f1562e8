/**
 * Exercise 2, "OP_WRITE left registered" (tutorials/09-coursework.md): a selector echo server
 * that asks to hear whenever its sockets can be written to. An idle socket always can, so
 * {@code select()} never sleeps: the loop spins at 100% CPU doing nothing. Make it sleep.
 *
 * <p>{@code starter} is yours to edit; {@code solution} is one answer.
 */
package fourways.coursework.e2_opwritespin;
