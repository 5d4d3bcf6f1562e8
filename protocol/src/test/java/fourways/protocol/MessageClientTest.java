package fourways.protocol;

import static fourways.protocol.TestBytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

    @Test
    void rule16_aMessageWithNoReplyIsSentOnceMoreThenCountedUnanswered() throws Exception {
        Scripted model = new Scripted(Script.CLOSES_AT_ONCE);

        int unanswered = client(model).run(List.of("hello"));

        assertEquals(1, unanswered);
        assertEquals("", printed());
        assertEquals(2, model.connections, "tried twice, each over a new connection");
    }

    @Test
    void rule16_aReplyCutShortByTheCloseIsPrinted() throws Exception {
        Scripted model = new Scripted(Script.CLOSES_MID_REPLY);

        int unanswered = client(model).run(List.of("hello"));

        assertEquals(0, unanswered);
        assertEquals("Server return :hel" + NL, printed());
    }

    private MessageClient client(Model model) {
        return new MessageClient(model, SERVER, new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private enum Script { ECHO, ONE_SHOT, CLOSES_AT_ONCE, CLOSES_MID_REPLY }

    /** A model whose every connection is a server following the script, in memory. */
    private static final class Scripted implements Model {
        private final Script script;
        int connections;

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
            return new Link() {
                final FrameDecoder decoder = new FrameDecoder(1000);
                final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
                ByteBuffer pending = ByteBuffer.allocate(0);
                int frames;

                @Override
                public void send(ByteBuffer bytes) throws IOException {
                    try {
                        decoder.decode(bytes, p -> {
                            if (script == Script.ONE_SHOT && frames++ > 0) return;   // rule 7: dropped
                            byte[] reply = TestBytes.remaining(Frames.echoReply(p));
                            if (script == Script.CLOSES_MID_REPLY) reply = utf8("Server return :hel");
                            if (script != Script.CLOSES_AT_ONCE) toClient.writeBytes(reply);
                        });
                    } catch (FrameDecoder.FrameTooLongException e) {
                        throw new IOException(e);
                    }
                    pending = ByteBuffer.wrap(toClient.toByteArray());
                    toClient.reset();
                }

                @Override
                public int receive(ByteBuffer into) {
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
                public void close() {}
            };
        }

        @Override
        public void load(InetSocketAddress server, LoadRun run) {
            throw new UnsupportedOperationException();
        }
    }
}
