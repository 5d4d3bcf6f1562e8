package fourways.coursework.e6_fixedpool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.testsuite.Bytes;
import fourways.testsuite.ContractSuite;
import fourways.testsuite.RawClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Exercise 6's checker: the whole shared suite, every rule of PROTOCOL.md, and one test of what
 * makes the model a fixed pool: its threads do not grow with its connections.
 */
abstract class FixedPoolChecker extends ContractSuite {
    private static final int WORKERS = 2;
    private static final int CLIENTS = 50;
    /** Threads a server may have besides its workers: a selector, a timer, an acceptor... */
    private static final int OWN_THREADS = 3;

    FixedPoolChecker(Model model) {
        super(model);
    }

    @Test
    void fixedPool_fiftyClientsAtOnceAreAllServedByTheSameFewThreads() throws Exception {
        Set<Thread> before = liveThreads();
        Server server = start(ServerConfig.defaults().withThreads(WORKERS));
        List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            RawClient c = connect(server);                      // all fifty stay connected
            clients.add(c);
            c.sendFrame("client " + i);
            byte[] reply = c.pollFrame(Duration.ofSeconds(5));
            if (reply == null) {
                fail("client " + i + " got no reply while " + i + " others were connected: a worker that waits"
                        + " in a blocking read() serves one connection until it closes");
            }
            assertArrayEquals(Bytes.echoOf(Bytes.utf8("client " + i)), reply, "rule 5: the echo");
        }
        for (RawClient c : clients) {                           // and the first are still served
            c.sendFrame("again");
            c.expectEcho("again");
        }
        Set<Thread> added = liveThreads();
        added.removeAll(before);
        assertTrue(added.size() <= WORKERS + OWN_THREADS, "with " + CLIENTS + " clients connected the server"
                + " runs " + added.size() + " threads; a fixed pool of " + WORKERS + " workers (withThreads("
                + WORKERS + ")) should need at most " + (WORKERS + OWN_THREADS) + ": "
                + added.stream().map(Thread::getName).sorted().limit(8).toList() + "...");
    }
}
