package fourways.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Frames;
import fourways.protocol.Link;
import fourways.protocol.LoadPlan;
import fourways.protocol.LoadRun;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What this module adds to blocking-io, checked: every thread is virtual, a connection costs no
 * platform thread, closing joins them all, and the load client opens a thousand at once.
 * The contract itself is checked by the shared suite.
 */
@Timeout(60)
class VirtualModelTest {
    private static final int CONNECTIONS = 300;

    /** Hands out virtual threads and remembers each, so a test can ask what became of them. */
    static final class Recording implements ThreadFactory {
        final ThreadFactory virtual = Thread.ofVirtual().factory();
        final Queue<Thread> made = new ConcurrentLinkedQueue<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread t = virtual.newThread(task);
            made.add(t);
            return t;
        }
    }

    private final Recording serverThreads = new Recording();
    private final Recording clientThreads = new Recording();
    private final VirtualModel model = new VirtualModel(serverThreads, clientThreads);
    private final List<Link> links = new ArrayList<>();
    private Server server;

    @AfterEach
    void cleanUp() throws IOException {
        if (server != null) server.close();
        for (Link l : links) l.close();
    }

    @Test
    void eachConnectionIsAVirtualThreadAndNoPlatformThread() throws IOException {
        server = model.start(ServerConfig.defaults().withPort(0));
        int platformBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        openAndEcho(CONNECTIONS);
        int platformAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        // Accept loop, idle sweeper, one per connection: all virtual.
        assertTrue(serverThreads.made.size() >= CONNECTIONS + 2, "threads made: " + serverThreads.made.size());
        assertTrue(serverThreads.made.stream().allMatch(Thread::isVirtual));
        // Carriers come and go with the cores, not with the connections; platform threads would add 300.
        assertTrue(platformAfter - platformBefore < CONNECTIONS / 6,
                "platform threads went from " + platformBefore + " to " + platformAfter);
    }

    @Test
    void rule14_closeEndsEveryVirtualThreadTheServerStarted() throws IOException {
        server = model.start(ServerConfig.defaults().withPort(0).withService(ServerConfig.Service.CHAT));
        for (int i = 0; i < 20; i++) {
            links.add(model.connect(server.address()));
        }
        // The last one speaks; the server accepts in order, so once everyone else has heard it,
        // every connection (and its chat writer thread) is running.
        Link last = links.get(links.size() - 1);
        last.send(ByteBuffer.wrap(Frames.frame("x".getBytes(StandardCharsets.US_ASCII))));
        for (Link l : links.subList(0, links.size() - 1)) {
            readExactly(l, "x<EOF>");
        }
        // The last connection's reader may deliver before its own chat writer is made (start()
        // starts the reader first): wait for that thread too, with a deadline.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (serverThreads.made.size() < 2 + 2 * 20 && System.nanoTime() - deadline < 0) Thread.onSpinWait();
        assertEquals(2 + 2 * 20, serverThreads.made.size());
        server.close();
        for (Thread t : serverThreads.made) {
            assertFalse(t.isAlive(), t + " still alive after close()");
        }
    }

    @Test
    void rule17_loadOpensAThousandConnectionsAtOnceOnVirtualThreads() throws Exception {
        server = model.start(ServerConfig.defaults().withPort(0));
        LoadRun run = new LoadRun(new LoadPlan(1_000, 5, 64, 1, 0, Duration.ofSeconds(50)));
        model.load(server.address(), run);
        assertTrue(run.succeeded(), run.resultLine() + " " + run.firstErrors());
        // Two per connection, one sending and one receiving, as in blocking-io's client.
        assertEquals(2_000, clientThreads.made.size());
        assertTrue(clientThreads.made.stream().allMatch(Thread::isVirtual));
    }

    /** Opens {@code n} connections and has each echo one frame, so each has surely been accepted. */
    private void openAndEcho(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            Link link = model.connect(server.address());
            links.add(link);
            link.send(ByteBuffer.wrap(Frames.frame("hi".getBytes(StandardCharsets.US_ASCII))));
            readExactly(link, "Server return :hi<EOF>");
        }
    }

    private static void readExactly(Link link, String expected) throws IOException {
        byte[] bytes = expected.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer got = ByteBuffer.allocate(bytes.length);
        while (got.hasRemaining()) {
            if (link.receive(got) < 0) throw new IOException("closed after " + got.position() + " bytes");
        }
        assertEquals(ByteBuffer.wrap(bytes), got.flip());
    }
}
