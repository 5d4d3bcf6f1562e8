package fourways.testsuite;

import static fourways.testsuite.ChatMembers.joined;
import static fourways.testsuite.ChatMembers.next;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Frames;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md rules 9 and 12: chat reaches everyone else, in order, and a laggard is dropped. */
public abstract class ChatRules extends SinkRules {

    protected ChatRules(Model model, boolean overTls) {
        super(model, overTls);
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
    void rule12_stalledReaderIsDroppedWhileEveryoneElseCarriesOn() throws Exception {
        Server server = startChat(256 * 1024);
        RawClient sender = connect(server), reader = connect(server), stalled = connect(server, 4096);
        joined(sender, reader, stalled);
        int batch = 32, batches = 1024;                       // 32 MiB: more than any socket buffer holds
        byte[] filler = Bytes.filler(1000, 7);
        // The sender goes as fast as the good reader reads (a batch ahead at most), so only the
        // stalled one can fall behind; the limit is then what decides who is dropped.
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
                    if (!read.tryAcquire(20, TimeUnit.SECONDS)) throw new IllegalStateException("reader stuck");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, r -> Thread.ofVirtual().start(r));
        for (int i = 0; i < batch * batches; i++) {           // never held up by the laggard
            assertEquals(String.format("%08d", i), next(reader).substring(0, 8));
            if ((i + 1) % batch == 0) read.release();
        }
        sending.get(30, TimeUnit.SECONDS);
        long got = 0;
        try {
            for (int n; (n = stalled.input().read(new byte[64 * 1024])) >= 0; ) got += n;
        } catch (SocketException reset) {
            // Dropped: a reset is as good as a close here.
        }
        assertTrue(got < (long) batch * batches * 1013, "the stalled reader was dropped, after " + got + " bytes");
    }

    @Test
    void rule04_rule09_aClientStillSendingGetsTheErrorFrameThenACleanClose() throws Exception {
        stillSendingGetsTheErrorFrameThenACleanClose(ServerConfig.Service.CHAT);
    }
}
