package fourways.coursework.e6_fixedpool;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fourways.coursework.Trap;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.testsuite.Bytes;
import fourways.testsuite.ContractSuite;
import fourways.testsuite.RawClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Exercise 6's checker: the whole shared suite, every rule of PROTOCOL.md, and one test of what
 * makes the model a fixed pool: its threads do not grow with its connections. {@link Milestones}
 * cuts it into five runs ({@code -Dmilestone=1} to {@code 5}).
 */
@ExtendWith(Milestones.class)
@Trap("A fixed pool serves every connection with the same few threads: no worker may wait in a blocking read(), and every rule of PROTOCOL.md still holds.")
abstract class FixedPoolChecker extends ContractSuite {
    private static final int WORKERS = 2;
    private static final int CLIENTS = 50;
    /**
     * The thread budget, as the starter and chapter 9 state it: the workers, plus at most three
     * threads of the server's own (a selector, a timer, one to spare), however many clients.
     */
    private static final int OWN_THREADS = 3;
    /** Enough to start every worker of a pool sized by the processors, on any machine a student has. */
    private static final int WARM_UP_CLIENTS = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());

    FixedPoolChecker(Model model) {
        super(model);
    }

    Model model() {
        return model;
    }

    /**
     * Every echo server of the suite, its pool's workers started first: a burst of clients, each
     * its own task, starts every worker of a pool that starts them lazily (a ThreadPoolExecutor
     * starts a core thread per task until it has them all). Rule 15's soak takes its thread
     * baseline after one exchange; without this, a worker the soak happened to start would count
     * as a leak ({@code threads left after the soak: [pool-worker-1]}), where it is the fixed
     * cost the pool was always going to pay.
     */
    @Override
    protected Server startEcho() throws IOException {
        Server server = super.startEcho();
        List<RawClient> burst = new ArrayList<>();
        try {
            for (int i = 0; i < WARM_UP_CLIENTS; i++) {
                RawClient c = rawClient(server.address());
                burst.add(c);
                c.sendFrame("warm " + i);                       // all sent before any is read: tasks at once
            }
            for (int i = 0; i < burst.size(); i++) burst.get(i).expectEcho("warm " + i);
        } finally {
            for (RawClient c : burst) c.close();
        }
        return server;
    }

    @Test
    void fixedPool_theServerStarts() throws Exception {
        Milestones.chosen();                                    // a wrong -Dmilestone is said here, once
        try {
            startEcho();
        } catch (UnsupportedOperationException e) {
            fail("Exercise 6 is not started yet: PoolServer's constructor still throws \"" + e.getMessage()
                    + "\", so no other check ran. Begin with milestone 1 (" + Milestones.NAMES.get(0) + "):"
                    + " ./mvnw -q -pl coursework -am test -Dexercise=e6 -Dmilestone=1");
        }
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
                fail("A worker that waits in a blocking read() serves one connection until it closes: client " + i
                        + " got no reply within 5 s while " + i + " others were connected");
            }
            Bytes.assertBytes(Bytes.echoOf(Bytes.utf8("client " + i)), reply, "rule 5: the echo");
        }
        for (RawClient c : clients) {                           // and the first are still served
            c.sendFrame("again");
            c.expectEcho("again");
        }
        Set<Thread> added = liveThreads();
        added.removeAll(before);
        assertTrue(added.size() <= WORKERS + OWN_THREADS, "A fixed pool's threads must not grow with its clients."
                + " With " + CLIENTS + " clients connected the server runs " + added.size() + " threads; the budget"
                + " is its " + WORKERS + " workers (withThreads(" + WORKERS + ")) plus at most " + OWN_THREADS
                + " of its own, " + (WORKERS + OWN_THREADS) + " in all: "
                + added.stream().map(Thread::getName).sorted().limit(8).toList() + "...");
    }
}
