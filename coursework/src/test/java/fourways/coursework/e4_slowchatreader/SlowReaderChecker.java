package fourways.coursework.e4_slowchatreader;

import static fourways.testsuite.ChatMembers.joined;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import fourways.coursework.Trap;
import fourways.protocol.Frames;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.testsuite.Bytes;
import fourways.testsuite.ChatMembers;
import fourways.testsuite.RawClient;
import fourways.testsuite.SuiteBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Exercise 4's checker: chat reaches every other member in order (rule 9), and a member who
 * stops reading is dropped while the others carry on (rules 10 and 12); one who half-closes and
 * never reads, or leaves, holds up no one and leaves nothing waiting. A room that waits for
 * the laggard is caught by a frame that does not reach a good reader within a few seconds,
 * where a working room takes milliseconds.
 */
@Trap("A chat that writes to each member in turn waits for its slowest reader: each member needs its own queue, and one that falls too far behind is dropped.")
abstract class SlowReaderChecker extends SuiteBase {
    /** How long a good reader waits for one frame before the room counts as stalled. */
    private static final Duration STALLED = Duration.ofSeconds(5);

    /** This checker's servers, closed by {@link #closeServersWithinBounds}, not by SuiteBase. */
    private final List<Server> servers = new ArrayList<>();

    SlowReaderChecker(Model model) {
        super(model);
    }

    /**
     * A server closed here, within a bound: a room whose departed members' writers never end
     * makes {@code close()} wait for ever, and SuiteBase's unbounded close would hang the whole
     * run instead of failing this one check.
     */
    @Override
    protected Server start(ServerConfig config) throws IOException {
        Server server = model.start(secured(config).withHost("127.0.0.1").withPort(0));
        servers.add(server);
        return server;
    }

    /** Runs before SuiteBase's own clean-up (a subclass's @AfterEach comes first). */
    @AfterEach
    void closeServersWithinBounds() throws Exception {
        List<Server> all = new ArrayList<>(servers);
        servers.clear();
        for (Server server : all) {
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close, r -> Thread.ofVirtual().start(r));
            try {
                closing.get(STALLED.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException stuck) {
                // Left behind on its virtual thread: the test JVM's exit ends it.
                fail("rule 14: close() did not return within " + STALLED.toSeconds() + " s: does each member's"
                        + " writer end when its member leaves, and is it waited for?");
            }
        }
    }

    private Server startChat(int maxBacklog) throws IOException {
        return start(ServerConfig.defaults().withService(ServerConfig.Service.CHAT).withMaxBacklog(maxBacklog));
    }

    @Test
    void rule09_everyOtherMemberGetsEachFrameInSenderOrderButNotTheSender() throws Exception {
        Server server = startChat(1 << 20);
        RawClient a = connect(server), b = connect(server), c = connect(server);
        ChatMembers.assertEveryOtherMemberInSenderOrder(a, b, c);   // rule 9
    }

    @Test
    void rule12_aMemberWhoStopsReadingIsDroppedAndCostsTheOthersNothing() throws Exception {
        Server server = startChat(64 * 1024);
        RawClient sender = connect(server), reader = connect(server), stalled = connect(server, 4096);
        joined(sender, reader, stalled);
        int batch = 32, batches = 512;                        // 16 MiB: more than every buffer on the way holds
        byte[] filler = Bytes.filler(1000, 7);
        // The sender keeps at most one batch ahead of the good reader, so only the stalled
        // member can fall behind, and the backlog limit decides what becomes of it.
        Semaphore read = new Semaphore(0);
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                for (int b = 0; b < batches; b++) {
                    ByteArrayOutputStream frames = new ByteArrayOutputStream();
                    for (int k = b * batch; k < (b + 1) * batch; k++) {
                        frames.writeBytes(String.format("%08d", k).getBytes(StandardCharsets.US_ASCII));
                        frames.writeBytes(filler);
                        frames.writeBytes(Frames.DELIMITER);
                    }
                    sender.output().write(frames.toByteArray());
                    if (!read.tryAcquire(STALLED.toSeconds() * 2, TimeUnit.SECONDS)) return;   // the test has failed
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, r -> Thread.ofVirtual().start(r));
        for (int i = 0; i < batch * batches; i++) {
            String f = poll(reader);
            if (f == null) {
                fail("frame " + i + " did not reach a member who reads: the room is waiting for the member who"
                        + " stopped reading. deliver() must never block the sender (rules 10 and 12)");
            }
            assertEquals(String.format("%08d", i), f.substring(0, 8), "rule 9: in the order sent");
            if ((i + 1) % batch == 0) read.release();
        }
        sending.get(30, TimeUnit.SECONDS);
        long got = 0;
        try {
            for (int n; (n = stalled.input().read(new byte[64 * 1024])) >= 0; ) got += n;
        } catch (SocketException reset) {
            // Dropped: a reset is as good as a close here.
        }
        assertTrue(got < (long) batch * batches * 1013,
                "rule 12: the stalled member is dropped, after " + got + " bytes");
    }

    /**
     * Rules 6 and 10: a member half-closes with frames still owed to it and never reads them.
     * It has left; the room must go on without a stall, and the server must close it once what
     * was owed is out (here, as soon as it reads at last).
     */
    @Test
    void rule06_aMemberWhoHalfClosesAndNeverReadsHoldsUpNoOne() throws Exception {
        Server server = startChat(64 * 1024);
        RawClient sender = connect(server), reader = connect(server), quiet = connect(server, 4096);
        joined(sender, reader, quiet);
        sendAndExpect(sender, reader, 0, 100);                // owed to the quiet member too, unread
        quiet.shutdownOutput();                               // it leaves, half: reads nothing yet
        sendAndExpect(sender, reader, 100, 2000);             // 2 MB more: the room must not wait for it
        assertTrue(quiet.closedByServer(), "rule 6: after a half-close the server sends what it owes, then closes");
    }

    /**
     * A member who leaves, with a close or a reset, takes its writer with it: the room goes on,
     * a newcomer is served, and the server's close() still returns promptly (rule 14, checked
     * after each test), which it would not while a writer of a member long gone still waited.
     */
    @Test
    void rule14_membersWhoLeaveByACloseOrAResetLeaveNothingWaiting() throws Exception {
        Server server = startChat(64 * 1024);
        RawClient sender = connect(server), reader = connect(server), closes = connect(server), resets = connect(server);
        joined(sender, reader, closes, resets);
        sendAndExpect(sender, reader, 0, 10);
        closes.close();
        resets.reset();
        sendAndExpect(sender, reader, 10, 500);
        RawClient newcomer = connect(server);
        joined(sender, newcomer);
        sendAndExpect(sender, newcomer, 500, 510);
        // closeServersWithinBounds closes it, within a bound, and says so if it cannot.
    }

    /** Frames {@code from} to {@code to} (exclusive), 1 KB each, from one member, each at the other in order. */
    private static void sendAndExpect(RawClient sender, RawClient reader, int from, int to) throws IOException {
        byte[] filler = Bytes.filler(1000, 3);
        for (int k = from; k < to; k++) {
            sender.sendRaw(Bytes.concat(String.format("%08d", k).getBytes(StandardCharsets.US_ASCII), filler,
                    Frames.DELIMITER));
            String f = poll(reader);
            if (f == null) {
                fail("frame " + k + " did not reach a member who reads within " + STALLED.toSeconds()
                        + " s: the room is waiting for a member who left or does not read (rules 6 and 10)");
            }
            assertEquals(String.format("%08d", k), f.substring(0, 8), "rule 9: in the order sent");
        }
    }

    private static String poll(RawClient c) throws IOException {
        return ChatMembers.poll(c, STALLED);
    }
}
