package fourways.coursework.e2_opwritespin;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.coursework.EchoUnderLoadChecks;
import fourways.coursework.Trap;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.testsuite.RawClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Exercise 2's checker: the selector loop sleeps while nothing happens, and still delivers every
 * reply when the socket cannot take them all at once (rule 5). It counts the loop's wake-ups
 * over a bounded quiet moment; it never measures time.
 */
@Trap("An idle socket is always writable: a key left interested in OP_WRITE with nothing to write makes select() return at once, forever, and the loop spins.")
abstract class SpinChecker extends EchoUnderLoadChecks {
    /** Wake-ups allowed in the quiet half second: a loop that sleeps wakes about never. */
    private static final int QUIET_WAKEUPS = 10;

    SpinChecker(Model model) {
        super(model);
    }

    @Test
    void anIdleConnectionLetsTheSelectorSleep() throws Exception {
        Server server = startEcho();
        RawClient c = connect(server);
        c.sendFrame("hello");
        c.expectEcho("hello");                                // served: registered, replies written
        Wakeups loop = (Wakeups) server;
        long before = loop.wakeups();
        // Half a second in which nobody sends anything, bounded by the socket's read timeout.
        assertNull(c.pollFrame(Duration.ofMillis(500)), "nothing was sent, so nothing comes back");
        long woke = loop.wakeups() - before;
        assertTrue(woke <= QUIET_WAKEUPS, "select() returned " + woke + " times while one idle client was"
                + " connected: the loop spins, because a key asks for something that is always ready."
                + " An idle socket is always writable.");
    }
}
