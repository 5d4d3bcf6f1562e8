package fourways.protocol;

import java.io.Closeable;
import java.io.IOException;

/** The two things every model's close path does (rule 14), written once. */
public final class Closing {
    private Closing() {}

    /**
     * Closes and forgets: on a failure path the socket is finished with, and an exception from
     * its close has nobody left to tell.
     */
    public static void quietly(Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // Closing was the last thing to do with it.
        }
    }

    /**
     * Waits for a thread to end even if interrupted meanwhile, then restores the interrupt:
     * a close() that gave up half-way would leak the very threads it exists to end.
     */
    public static void join(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
