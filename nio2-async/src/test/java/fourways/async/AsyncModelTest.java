package fourways.async;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Frames;
import fourways.protocol.Link;
import fourways.protocol.LoadPlan;
import fourways.protocol.LoadRun;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The module's own checks, beside the shared suite: what only this model can get wrong. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncModelTest {
    private final AsyncModel model = new AsyncModel();
    private Server server;

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
    }

    private Server start(ServerConfig config) throws IOException {
        server = model.start(config.withPort(0));
        return server;
    }

    @Test
    void rule14_closeEndsEveryThreadOfTheGroupAndTheTimer_andFreesThePort() throws Exception {
        start(ServerConfig.defaults().withThreads(3).withIdleTimeout(Duration.ofSeconds(5)));
        try (Link link = model.connect(server.address())) {
            link.send(ByteBuffer.wrap(Frames.frame("x".getBytes(StandardCharsets.UTF_8))));
            link.receive(ByteBuffer.allocate(64));
        }
        assertTrue(threadsNamed("nio2-async-").size() >= 3, "the group's threads run while the server does");
        int port = server.address().getPort();
        server.close();
        assertEquals(List.of(), threadsNamed("nio2-async"), "close() returned: every thread has ended");
        try (ServerSocket again = new ServerSocket(port, 50, server.address().getAddress())) {
            assertEquals(port, again.getLocalPort());
        }
    }

    @Test
    void rule16_theLinkSendsAndReceives_asAsynchronousClientDoes() throws Exception {
        start(ServerConfig.defaults());
        try (Link link = model.connect(server.address())) {
            byte[] frame = Frames.frame("héllo".getBytes(StandardCharsets.UTF_8));
            link.send(ByteBuffer.wrap(frame));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            ByteBuffer in = ByteBuffer.allocate(7);           // small: the reply takes several receives
            while (!got.toString(StandardCharsets.UTF_8).endsWith("<EOF>")) {
                in.clear();
                int n = link.receive(in);
                assertTrue(n >= 0, "the server closed before the whole reply");
                got.write(in.array(), 0, n);
            }
            assertEquals("Server return :héllo<EOF>", got.toString(StandardCharsets.UTF_8));
        }
        assertEquals(List.of(), threadsNamed("nio2-async-client"), "the link's group ends with it");
    }

    @Test
    void rule17_loadRunOverManyConnectionsAndAPipeline_succeeds() throws Exception {
        start(ServerConfig.defaults().withThreads(2));
        LoadRun run = new LoadRun(LoadPlan.of(300, 20).withPipeline(4).withTimeout(Duration.ofSeconds(50)));
        model.load(server.address(), run);
        assertTrue(run.succeeded(), run.resultLine());
        assertEquals(List.of(), threadsNamed("nio2-async-load"), "the load client ends its threads");
    }

    @Test
    void rule19_openLoopRunUsesTheTimer_andSucceeds() throws Exception {
        start(ServerConfig.defaults());
        LoadRun run = new LoadRun(LoadPlan.of(20, 10).withRate(100).withPipeline(2).withTimeout(Duration.ofSeconds(50)));
        model.load(server.address(), run);
        assertTrue(run.succeeded(), run.resultLine());
    }

    @Test
    void rule11_aLargeReplyWrittenInPartsArrivesWhole() throws Exception {
        // A 1 MiB payload's reply cannot go in one write: the partial writes must be continued.
        start(ServerConfig.defaults().withMaxFrame(1 << 20));
        byte[] payload = new byte[1 << 20];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) ('a' + i % 26);
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.getOutputStream().write(Frames.frame(payload));
            s.shutdownOutput();                               // rule 6: the reply, then the close
            byte[] reply = readAll(s.getInputStream());
            ByteArrayOutputStream want = new ByteArrayOutputStream();
            want.write(Frames.ECHO_PREFIX);
            want.write(Frames.frame(payload));
            assertArrayEquals(want.toByteArray(), reply);
        }
    }

    @Test
    void rule07_oneShotRepliesOnceThenClosesCleanly() throws Exception {
        start(ServerConfig.defaults().withOneShot(true));
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.getOutputStream().write("one<EOF>two<EOF>".getBytes(StandardCharsets.US_ASCII));
            // The server shuts down its output after the first reply: the stream ends, no reset.
            assertEquals("Server return :one<EOF>", new String(readAll(s.getInputStream()), StandardCharsets.US_ASCII));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static List<String> threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName).filter(n -> n.startsWith(prefix)).sorted().toList();
    }
}
