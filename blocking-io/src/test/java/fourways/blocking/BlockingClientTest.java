package fourways.blocking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.LoadPlan;
import fourways.protocol.LoadRun;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What is particular to blocking-io's load client: a thread per connection, which may not be had. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingClientTest {

    /**
     * Rule 18, issue 13: the third thread cannot be created ("unable to create native thread").
     * The run still ends, with every connection counted, and the threads already started end too.
     */
    @Test
    void rule18_aThreadThatCannotBeCreatedEndsTheRunWithItsErrors() throws Exception {
        List<Thread> made = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        ThreadFactory failsOnce = task -> {
            if (calls.incrementAndGet() == 3) throw new OutOfMemoryError("unable to create native thread");
            Thread t = Thread.ofPlatform().name("load-under-test-", calls.get()).unstarted(task);
            made.add(t);
            return t;
        };
        try (Server server = new BlockingModel().start(ServerConfig.defaults().withPort(0))) {
            LoadRun run = new LoadRun(LoadPlan.of(4, 10).withTimeout(Duration.ofSeconds(30)));

            new BlockingClient(failsOnce).load(server.address(), run);

            String line = run.resultLine();
            assertTrue(line.contains(" messages=20 "), "connections 0 and 1 ran: " + line);
            assertTrue(line.endsWith(" errors=2"), "connections 2 and 3 failed, once each: " + line);
            for (Thread t : made) {
                t.join(Duration.ofSeconds(10));
                assertEquals(false, t.isAlive(), t.getName() + " ended");
            }
        }
    }
}
