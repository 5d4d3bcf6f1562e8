package fourways.testsuite;

import static fourways.testsuite.Bytes.concat;
import static fourways.testsuite.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import fourways.protocol.Frames;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md rules 5 to 7: echo, half-close, and the seed's one-shot exchange. */
public abstract class EchoRules extends FramingRules {

    protected EchoRules(Model model) {
        this(model, false);
    }

    protected EchoRules(Model model, boolean overTls) {
        super(model, overTls);
    }

    @Test
    void rule05_singleEcho() throws Exception {
        RawClient c = connect(startEcho());
        c.sendFrame("This is a test");
        c.expectEcho("This is a test");
    }

    @Test
    void rule05_thousandPipelinedFramesInOneWriteComeBackInOrder() throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) all.writeBytes(Frames.frame(utf8("frame " + i)));
        RawClient c = connect(startEcho());
        c.sendRaw(all.toByteArray());
        for (int i = 0; i < 1000; i++) c.expectEcho("frame " + i);
    }

    @Test
    void rule05_twoHundredConcurrentClientsFiftyRoundTripsEach() throws Exception {
        Server server = startEcho();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int id = 0; id < 200; id++) {
                int client = id;
                done.add(clients.submit(() -> {
                    try (RawClient c = rawClient(server.address())) {
                        for (int i = 0; i < 50; i++) {
                            String text = "client " + client + " round " + i + " 往返";
                            c.sendFrame(text);
                            c.expectEcho(text);
                        }
                    }
                    return 50;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) total += f.get();
            assertEquals(200 * 50, total);
        }
    }

    @Test
    void rule06_halfCloseGetsEveryOwedReplyThenCloseAndDropsThePartialFrame() throws Exception {
        RawClient c = connect(startEcho());
        c.sendRaw(concat(Frames.frame(utf8("a")), Frames.frame(utf8("b")), Frames.frame(utf8("c")), utf8("partial<EO")));
        c.shutdownOutput();
        assertArrayEquals(concat(Frames.frame(Bytes.echoOf(utf8("a"))), Frames.frame(Bytes.echoOf(utf8("b"))),
                Frames.frame(Bytes.echoOf(utf8("c")))), c.readToEnd());
    }

    @Test
    void rule07_oneShotIsTheSeedsExchange() throws Exception {
        RawClient c = connect(start(ServerConfig.defaults().withOneShot(true)));
        c.sendFrame("This is a test");
        // The seed's client reads until the server closes: the reply, then a clean close.
        assertArrayEquals(Frames.frame(utf8("Server return :This is a test")), c.readToEnd());
    }

    @Test
    void rule07_oneShotDiscardsEverythingAfterTheFirstFrame() throws Exception {
        RawClient c = connect(start(ServerConfig.defaults().withOneShot(true)));
        c.sendRaw(concat(Frames.frame(utf8("first")), Frames.frame(utf8("second")), utf8("third")));
        assertArrayEquals(Frames.frame(Bytes.echoOf(utf8("first"))), c.readToEnd());
    }

    @Test
    void rule07_oneShotClientThatKeepsSendingStillSeesReplyAndClose() throws Exception {
        RawClient c = connect(start(ServerConfig.defaults().withOneShot(true)));
        c.sendFrame("first");
        c.expectEcho("first");
        c.sendRaw(Bytes.filler(100_000, 5));             // read and dropped by the lingering server
        c.shutdownOutput();                               // we close: the server need not wait 2 s
        assertEquals(0, c.readToEnd().length);
    }

    /**
     * Rules 7 and 13: a one-shot client that streams and never reads its (large) reply. The
     * server reads and drops what it sends, but that is no sign of life: once the reply stops
     * moving for the idle timeout, the connection is closed, and the client's writes fail.
     *
     * <p>On a busy machine the client itself may stall for longer than the idle timeout while
     * it still sends its 8 MiB frame; the server is then right to close it already, and the
     * test counts a write failing there as the same verdict. The wrong server is one that never
     * closes, which no stall of ours can hide. The writes run on a thread of their own, bounded
     * by the test's wait: a server that stops reading cannot block the test for ever.
     */
    @Test
    void rule07_aOneShotClientThatStreamsAndNeverReadsIsClosedWhenIdle() throws Exception {
        int size = 8 << 20;                               // a reply the kernel's buffers cannot hold
        RawClient c = connect(start(ServerConfig.defaults().withOneShot(true).withMaxFrame(size)
                .withIdleTimeout(Duration.ofSeconds(1))), 64 * 1024);
        AtomicLong sent = new AtomicLong();
        CompletableFuture<IOException> writer = CompletableFuture.supplyAsync(() -> {
            try {
                c.sendFrame(Bytes.filler(size, 7));
                sent.set(size);
                byte[] chunk = Bytes.filler(64 * 1024, 5);
                for (;;) {                                // until the server closes, or the test does
                    c.output().write(chunk);
                    sent.addAndGet(chunk.length);
                }
            } catch (IOException closedByTheServer) {
                return closedByTheServer;                 // the idle timeout closed it: rule 13
            }
        }, r -> Thread.ofVirtual().name("streaming-client").start(r));
        try {
            assertNotNull(writer.get(20, TimeUnit.SECONDS), "the writes end with the server's close");
        } catch (TimeoutException stillOpen) {
            fail("the server kept, for 20 s, a connection whose reply stopped moving; the client had written "
                    + sent.get() + " bytes" + (sent.get() < size ? ", not yet all of its " + size + "-byte frame" : ""));
        } finally {
            c.close();                                    // ends a write still blocked: the writer ends
        }
    }
}
