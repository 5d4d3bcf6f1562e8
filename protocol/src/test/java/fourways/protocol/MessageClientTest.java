package fourways.protocol;

import static fourways.protocol.TestBytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Message mode (rule 16) against scripted servers in memory: one that keeps the connection,
 * one that answers once and closes (the seed's), one that closes at once, one that closes
 * in the middle of a reply.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MessageClientTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 11000);
    private static final String NL = System.lineSeparator();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void rule16_echoServerKeepsOneConnection() throws Exception {
        Scripted model = new Scripted(Script.ECHO);

        int unanswered = client(model).run(List.of("one", "two", "three"));

        assertEquals(0, unanswered);
        assertEquals("Server return :one" + NL + "Server return :two" + NL + "Server return :three" + NL, printed());
        assertEquals(1, model.connections);
    }

    @Test
    void rule16_afterTheServerClosedTheNextMessageGoesOverANewConnection() throws Exception {
        Scripted model = new Scripted(Script.ONE_SHOT);

        int unanswered = client(model).run(List.of("one", "two", "three"));

        assertEquals(0, unanswered);
        assertEquals("Server return :one" + NL + "Server return :two" + NL + "Server return :three" + NL, printed());
        assertEquals(3, model.connections);
    }

    /**
     * Rule 16, issue 13: on a fresh connection the server took the frame before it closed (a
     * sink prints it, a chat room delivers it): sent again, it would be printed twice.
     */
    @Test
    void rule16_aMessageWithNoReplyOnAFreshConnectionIsNotSentAgain() throws Exception {
        Scripted model = new Scripted(Script.CLOSES_AT_ONCE);

        int unanswered = client(model).run(List.of("hello"));

        assertEquals(1, unanswered);
        assertEquals("", printed());
        assertEquals(1, model.connections, "not sent again");
        assertEquals(1, model.framesTaken, "the server took it once");
    }

    /** Rule 16: a frame that could not be written at all is sent once more, anew. */
    @Test
    void rule16_aMessageThatCouldNotBeWrittenIsSentOnceMore() throws Exception {
        Scripted model = new Scripted(Script.RESETS_FIRST_CONNECTION);

        int unanswered = client(model).run(List.of("hello"));

        assertEquals(0, unanswered);
        assertEquals("Server return :hello" + NL, printed());
        assertEquals(2, model.connections);
    }

    /** Rule 16, issue 13: a server that never answers (sink with --idle-timeout 0) does not hold the client forever. */
    @Test
    void rule16_aReplyThatNeverComesEndsAtTheDeadline() throws Exception {
        Scripted model = new Scripted(Script.SILENT);

        int unanswered = new MessageClient(model, SERVER, new PrintStream(out, true, StandardCharsets.UTF_8),
                Duration.ofMillis(200)).run(List.of("one", "two"));

        assertEquals(2, unanswered);
        assertEquals("", printed());
        assertEquals(2, model.connections, "each over its own connection; neither sent twice");
        assertEquals(2, model.framesTaken);
    }

    @Test
    void rule16_aReplyCutShortByTheCloseIsPrinted() throws Exception {
        Scripted model = new Scripted(Script.CLOSES_MID_REPLY);

        int unanswered = client(model).run(List.of("hello"));

        assertEquals(0, unanswered);
        assertEquals("Server return :hel" + NL, printed());
    }

    @Test
    void rule26_aPlainClientAnsweredWithATlsAlertSaysTheServerSpeaksTls() throws Exception {
        Scripted model = new Scripted(Script.TLS_ALERT);

        IOException e = assertThrows(IOException.class, () -> client(model).run(List.of("hello")));

        assertTrue(e.getMessage().contains("--tls"), e.getMessage());
        assertEquals("", printed(), "the alert's bytes are not printed as a reply");
    }

    private MessageClient client(Model model) {
        return new MessageClient(model, SERVER, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private enum Script { ECHO, ONE_SHOT, CLOSES_AT_ONCE, CLOSES_MID_REPLY, RESETS_FIRST_CONNECTION, SILENT, TLS_ALERT }

    /** A model whose every connection is a server following the script, in memory. */
    private static final class Scripted implements Model {
        private final Script script;
        int connections;
        int framesTaken;

        Scripted(Script script) {
            this.script = script;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public Server start(ServerConfig config) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Link connect(InetSocketAddress server) {
            connections++;
            boolean resets = script == Script.RESETS_FIRST_CONNECTION && connections == 1;
            return new Link() {
                final FrameDecoder decoder = new FrameDecoder(1000);
                final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
                final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
                ByteBuffer pending = ByteBuffer.allocate(0);
                int frames;

                @Override
                public void send(ByteBuffer bytes) throws IOException {
                    if (resets) throw new IOException("Connection reset");
                    try {
                        decoder.decode(bytes, p -> {
                            framesTaken++;
                            if (script == Script.ONE_SHOT && frames++ > 0) return;   // rule 7: dropped
                            byte[] reply = TestBytes.remaining(Frames.echoReply(p));
                            if (script == Script.CLOSES_MID_REPLY) reply = utf8("Server return :hel");
                            // What a TLS server sends a plain client before it closes: a fatal decode_error alert.
                            if (script == Script.TLS_ALERT) reply = new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32};
                            if (script != Script.CLOSES_AT_ONCE) toClient.writeBytes(reply);
                        });
                    } catch (FrameDecoder.FrameTooLongException e) {
                        throw new IOException(e);
                    }
                    pending = ByteBuffer.wrap(toClient.toByteArray());
                    toClient.reset();
                }

                @Override
                public int receive(ByteBuffer into) throws IOException {
                    if (script == Script.SILENT) {
                        try {
                            closed.await();           // a server that never answers: until we close
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                        throw new IOException("Socket closed");
                    }
                    if (!pending.hasRemaining()) {
                        return -1;        // all this server will send: it has closed (never reached by ECHO)
                    }
                    // Two bytes per read: the reply arrives split, as TCP may split it.
                    int n = Math.min(2, Math.min(into.remaining(), pending.remaining()));
                    into.put(pending.slice(pending.position(), n));
                    pending.position(pending.position() + n);
                    return n;
                }

                @Override
                public void close() {
                    closed.countDown();
                }
            };
        }

        @Override
        public void load(InetSocketAddress server, LoadRun run) {
            throw new UnsupportedOperationException();
        }
    }
}
