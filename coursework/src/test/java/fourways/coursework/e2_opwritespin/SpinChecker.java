package fourways.coursework.e2_opwritespin;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.coursework.Traffic;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.testsuite.RawClient;
import fourways.testsuite.SuiteBase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Exercise 2's checker: the selector loop sleeps while nothing happens, and still delivers every
 * reply when the socket cannot take them all at once (rule 5). It counts the loop's wake-ups
 * over a bounded quiet moment; it never measures time.
 */
abstract class SpinChecker extends SuiteBase {
    /** Wake-ups allowed in the quiet half second: a loop that sleeps wakes about never. */
    private static final int QUIET_WAKEUPS = 10;

    SpinChecker(Model model) {
        super(model);
    }

    @Test
    void rule05_aFrameComesBack() throws Exception {
        RawClient c = connect(startEcho());
        c.sendFrame("This is a test");
        c.expectEcho("This is a test");
    }

    @Test
    void rule05_aThousandPipelinedFramesComeBackInOrder() throws Exception {
        RawClient c = connect(startEcho());
        c.sendRaw(Traffic.frames(1000, 20));
        Traffic.expectEchoes(c, 1000, 20);
    }

    @Test
    void rule05_aClientThatReadsLateStillGetsEveryReply() throws Exception {
        // 12 MiB of replies: far more than the client's receive buffer and the server's send
        // buffer hold. The server's writes take part of what it has, then nothing, until the
        // client reads; only a loop that waits for OP_WRITE then finishes the job. The backlog
        // limit is raised so that the server reads all of it before the client reads anything.
        Server server = start(ServerConfig.defaults().withMaxBacklog(64 << 20));
        RawClient c = connect(server, 16 * 1024);
        c.sendRaw(Traffic.frames(3000, 4096));
        Traffic.expectEchoes(c, 3000, 4096);
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
