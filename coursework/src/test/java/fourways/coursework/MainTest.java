package fourways.coursework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Cli;
import fourways.protocol.Frames;
import fourways.testsuite.Bytes;
import fourways.testsuite.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * coursework.jar's command line: {@code e1 server} starts the starter, {@code --solution} the
 * reference (told apart by 2,000 bytes without {@code <EOF>} under {@code --max-frame 1000}: only
 * the reference answers rule 4's error frame), and a wrong exercise is rule 20's bad option.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs the command line; while its server runs, sends a frame too long and returns all it got back. */
    private byte[] replyToAFrameTooLong(String... args) {
        AtomicReference<byte[]> reply = new AtomicReference<>();
        Cli.Waiter client = () -> {
            String printed = out.toString(StandardCharsets.UTF_8);
            int port = Integer.parseInt(printed.substring(printed.lastIndexOf(':') + 1).strip());
            try (RawClient c = RawClient.connect(new InetSocketAddress("127.0.0.1", port))) {
                c.sendRaw(Bytes.filler(2000, 3));
                c.shutdownOutput();
                reply.set(c.readToEnd());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), client);
        assertEquals(Cli.OK, status, err.toString(StandardCharsets.UTF_8));
        return reply.get();
    }

    @Test
    void solutionStartsTheReferenceThatAnswersTheWholeFrame() {
        Bytes.assertBytes(Frames.TOO_LONG, replyToAFrameTooLong("e1", "server", "--solution", "--port", "0",
                "--max-frame", "1000"), "rule 4: the reference's error frame");
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("listening on 127.0.0.1:"));
    }

    @Test
    void solutionMayAlsoComeBeforeTheSubcommand() {
        Bytes.assertBytes(Frames.TOO_LONG, replyToAFrameTooLong("e1", "--solution", "server", "--port", "0",
                "--max-frame", "1000"), "rule 4: the reference's error frame");
    }

    @Test
    void withoutSolutionItIsTheStarterThatTakesAReadForAMessage() {
        byte[] reply = replyToAFrameTooLong("e1", "server", "--port", "0", "--max-frame", "1000");
        byte[] prefix = Arrays.copyOf(reply, Frames.ECHO_PREFIX.length);
        Bytes.assertBytes(Frames.ECHO_PREFIX, prefix, "the starter echoes whatever one read brought");
    }

    @Test
    void anUnknownExerciseIsABadOptionInTwoLines() {
        int status = Main.run(new String[] {"e9", "server"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> { });
        assertEquals(Cli.BAD_OPTION, status);
        assertEquals(2, err.toString(StandardCharsets.UTF_8).lines().count(), err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).endsWith("Try 'coursework --help' for more.\n"));
    }
}
