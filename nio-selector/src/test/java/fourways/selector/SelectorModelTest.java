package fourways.selector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.LoadPlan;
import fourways.protocol.LoadRun;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.Services;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What is particular to the selector model: N reactors, threads ended by close(), and the
 * one-thread load client. The protocol itself is the shared suite's job (SelectorContractTest).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SelectorModelTest {
    private final SelectorModel model = new SelectorModel();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    private Server start(ServerConfig config) throws IOException {
        Server server = model.start(config.withPort(0));
        open.add(server);
        return server;
    }

    private Socket connect(Server server) throws IOException {
        Socket s = new Socket(server.address().getAddress(), server.address().getPort());
        open.add(s);
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void rule05_everyReactorServesItsShareOfConnections() throws IOException {
        Server server = start(ServerConfig.defaults().withThreads(4));
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 12; i++) sockets.add(connect(server));   // three per reactor, round-robin
        for (int i = 0; i < sockets.size(); i++) {
            byte[] expected = ("Server return :m" + i + "<EOF>").getBytes(StandardCharsets.US_ASCII);
            sockets.get(i).getOutputStream().write(("m" + i + "<EOF>").getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals(expected, readN(sockets.get(i).getInputStream(), expected.length));
        }
    }

    @Test
    void rule09_chatCrossesReactorsThroughTheMailbox() throws IOException {
        Server server = start(ServerConfig.defaults().withService(ServerConfig.Service.CHAT).withThreads(3));
        Socket a = connect(server), b = connect(server), c = connect(server);   // one per reactor
        byte[] hello = "hello<EOF>".getBytes(StandardCharsets.US_ASCII);
        // Chat counts members once accepted; a's first frame may pass b or c by, so a resends
        // until both heard it (bounded), then every later frame must arrive in order.
        boolean heardB = false, heardC = false;
        for (int i = 0; i < 100 && !(heardB && heardC); i++) {
            a.getOutputStream().write(("join" + i + "<EOF>").getBytes(StandardCharsets.US_ASCII));
            heardB |= poll(b);
            heardC |= poll(c);
        }
        assertTrue(heardB && heardC, "b and c joined the room");
        drain(b);
        drain(c);
        a.getOutputStream().write(hello);
        assertArrayEquals(hello, readN(b.getInputStream(), hello.length));
        assertArrayEquals(hello, readN(c.getInputStream(), hello.length));
    }

    /** True once some bytes arrived within 100 ms. */
    private static boolean poll(Socket s) throws IOException {
        s.setSoTimeout(100);
        try {
            return s.getInputStream().read(new byte[4096]) > 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } finally {
            s.setSoTimeout(10_000);
        }
    }

    /** Reads and drops the late "join" frames still on their way. */
    private static void drain(Socket s) throws IOException {
        for (int i = 0; i < 100 && poll(s); i++) {
            // bounded: at most 100 reads of whatever came late
        }
    }

    @Test
    void rule14_closeEndsEveryReactorThread() throws IOException {
        Server server = start(ServerConfig.defaults().withThreads(3));
        connect(server).getOutputStream().write("x<EOF>".getBytes(StandardCharsets.US_ASCII));
        assertTrue(reactorThreads() >= 3);
        server.close();
        assertEquals(0, reactorThreads(), "close() joins every loop it started");
    }

    /** Issue 13: a task or a timer that throws is one bug reported, not a loop (and its connections) lost. */
    @Test
    void aTaskOrATimerThatThrowsDoesNotEndTheLoop() throws Exception {
        ServerConfig config = ServerConfig.defaults().withIdleTimeout(Duration.ZERO);
        Reactor reactor = new Reactor("selector-reactor-under-test", config, new Services(config));
        reactor.start();
        try {
            CountDownLatch carriedOn = new CountDownLatch(2);
            reactor.execute(() -> {
                throw new IllegalStateException("a bug in a task");
            });
            reactor.execute(() -> reactor.after(0, () -> {
                throw new OutOfMemoryError("a timer out of memory");
            }));
            reactor.execute(() -> reactor.after(0, carriedOn::countDown));
            reactor.execute(carriedOn::countDown);

            assertTrue(carriedOn.await(10, TimeUnit.SECONDS), "the loop still runs tasks and timers");
        } finally {
            reactor.shutdown();
            reactor.join(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
        }
    }

    @Test
    void rule17_oneThreadDrivesEveryLoadConnection() throws Exception {
        Server server = start(ServerConfig.defaults().withThreads(2));
        LoadRun run = new LoadRun(LoadPlan.of(300, 20).withPipeline(4).withTimeout(Duration.ofSeconds(30)));
        model.load(server.address(), run);
        assertTrue(run.succeeded(), run.resultLine());
    }

    @Test
    void rule19_openLoopRunsOnTheSchedule() throws Exception {
        Server server = start(ServerConfig.defaults());
        LoadRun run = new LoadRun(LoadPlan.of(50, 10).withRate(200).withTimeout(Duration.ofSeconds(30)));
        model.load(server.address(), run);
        assertTrue(run.succeeded(), run.resultLine());
    }

    private static long reactorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("selector-reactor-") && t.isAlive()).count();
    }

    private static byte[] readN(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        assertEquals(n, b.length, "server closed early");
        return b;
    }
}
