package fourways.coursework.e5_connectionlimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.coursework.e5_connectionlimit.solution.BlockingLimitServer;
import fourways.protocol.ServerConfig;
import fourways.testsuite.RawClient;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exercise 5's reference blocking server when {@code Thread.start()} fails, chapter 4's trap:
 * that connection is closed, its place in the limit comes back, and the accept thread lives on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingLimitServerTest {

    @Test
    void aConnectionWhoseThreadFailsToStartIsClosedAndGivesBackItsPlace() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory failsOnce = r -> {
            // The first thread is the accept thread; the second, the first connection's, fails
            // to start as a thread does when the process has no more.
            boolean fail = made.incrementAndGet() == 2;
            Thread t = new Thread(r, "e5-test-" + made.get()) {
                @Override
                public synchronized void start() {
                    if (fail) throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
                    super.start();
                }
            };
            t.setDaemon(true);
            return t;
        };
        try (BlockingLimitServer server = new BlockingLimitServer(
                ServerConfig.defaults().withHost("127.0.0.1").withPort(0), 1, failsOnce)) {
            try (RawClient first = RawClient.connect(server.address())) {
                assertTrue(first.closedByServer(), "no thread for it: the server closes it at once");
            }
            // The limit is one: only a place given back lets the second in, and only a living
            // accept thread takes it.
            try (RawClient second = RawClient.connect(server.address())) {
                second.sendFrame("still here");
                second.expectEcho("still here");
            }
            assertEquals(3, made.get(), "one thread per connection that got a place");
        }
    }
}
