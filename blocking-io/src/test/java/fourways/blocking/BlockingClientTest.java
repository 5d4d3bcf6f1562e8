package fourways.blocking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.LoadPlan;
import fourways.protocol.LoadRun;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.TlsClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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

    /**
     * Rule 23, issue 22: a TLS load run against a plain server, which takes the ClientHello for
     * the start of a frame and answers nothing: at the run's timeout each connection fails with
     * a line that says the server may not speak TLS.
     */
    @Test
    void rule23_aTlsLoadRunAgainstASilentPlainServerSaysItMayNotSpeakTls() throws Exception {
        // Never accepted: the kernel completes the TCP handshake and keeps the ClientHello.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            LoadRun run = new LoadRun(LoadPlan.of(1, 1).withTimeout(Duration.ofSeconds(2)));
            List<Thread> made = new CopyOnWriteArrayList<>();
            ThreadFactory recorded = task -> {
                Thread t = Thread.ofPlatform().unstarted(task);
                made.add(t);
                return t;
            };

            new BlockingClient(recorded).load((InetSocketAddress) silent.getLocalSocketAddress(), run, TlsClient.insecure());

            assertTrue(run.resultLine().endsWith(" errors=1"), run.resultLine());
            // load() waits a second past the deadline for the connection to say why; on a busy
            // machine its thread can be descheduled longer than that (seen with 8 busy loops
            // beside the build), and the run then counts it as cut. Its line still comes: wait
            // for the thread itself, bounded.
            for (Thread t : made) t.join(Duration.ofSeconds(20));
            assertEquals("connection 0: connect: no answer to the TLS handshake (Read timed out):"
                    + " the server may not speak TLS", String.join(" / ", run.firstErrors()));
        }
    }
}
