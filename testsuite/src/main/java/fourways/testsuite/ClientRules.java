package fourways.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Cli;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md rules 16 to 20: this model's own client, and the command line. */
public abstract class ClientRules extends LifecycleRules {
    /** Rule 18's line, exactly. */
    static final Pattern RESULT = Pattern.compile("^RESULT connections=(\\d+) messages=(\\d+) seconds=\\d+\\.\\d+"
            + " msgs_per_sec=\\d+\\.\\d+ p50_us=\\d+ p90_us=\\d+ p99_us=\\d+ p999_us=\\d+ max_us=\\d+ errors=(\\d+)"
            + "( late_p50_us=\\d+\\.\\d late_p99_us=\\d+\\.\\d( busy=[01]\\.\\d\\d)?)?$");  // rule 19: lateness, busy share

    protected ClientRules(Model model, boolean overTls) {
        super(model, overTls);
    }

    /** What one command line printed, and its exit status. */
    record Run(int status, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    /** The command line in this JVM; a server subcommand would return at once. */
    Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Cli.run(model, withTls(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> {});
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String port(Server s) {
        return String.valueOf(s.address().getPort());
    }

    @Test
    void rule16_messageModePrintsEachReplyWithoutItsDelimiter() {
        Run r = cli("client", "--port", port(startEchoUnchecked()), "This is a test", "二", "🌍 <EO");
        assertEquals(0, r.status(), r.err());
        assertEquals("Server return :This is a test\nServer return :二\nServer return :🌍 <EO\n", r.out());
    }

    @Test
    void rule16_messageModeAgainstAOneShotServerReconnectsForEachMessage() throws Exception {
        Server oneShot = start(ServerConfig.defaults().withOneShot(true));
        Run r = cli("client", "--port", port(oneShot), "first", "second");
        assertEquals(0, r.status(), r.err());
        assertEquals("Server return :first\nServer return :second\n", r.out());
    }

    /**
     * Rule 16, issue 13: a sink takes the message and never answers; when its idle timeout
     * closes the connection, the message is unanswered, not sent again to be printed twice.
     */
    @Test
    void rule16_aMessageTheServerTookWithoutAnsweringIsNotSentTwice() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Server sink = start(ServerConfig.defaults().withService(ServerConfig.Service.SINK).withSinkOutput(printed)
                .withIdleTimeout(java.time.Duration.ofMillis(300)));

        Run r = cli("client", "--port", port(sink), "only once");

        assertEquals(1, r.status(), "no reply: an error (rule 16)");
        assertEquals("", r.out());
        String line = printed.toString(StandardCharsets.UTF_8);
        assertEquals(1, line.lines().count(), "printed once: " + line);
        assertTrue(line.endsWith(" only once\n"), line);
    }

    @Test
    void rule16_noServerIsAnErrorOnStandardError() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = s.getLocalPort();                           // closed again: nobody listens there now
        }
        Run r = cli("client", "--port", String.valueOf(free), "hello");
        assertEquals(1, r.status());
        assertEquals("", r.out());
        assertTrue(!r.err().isBlank());
    }

    @Test
    void rule17_loadModeVerifiesEveryReplyAndPrintsTheResultLine() {
        Run r = cli("client", "--port", port(startEchoUnchecked()), "--connections", "20", "--messages", "50",
                "--pipeline", "4", "--size", "100");
        assertEquals(0, r.status(), r.err());
        Matcher m = RESULT.matcher(r.out().strip());
        assertTrue(m.matches(), r.out());
        assertEquals("20", m.group(1));
        assertEquals("1000", m.group(2));
        assertEquals("0", m.group(3));
    }

    @Test
    void rule18_aWrongReplyFailsTheRunWithNonZeroExitAndStillPrintsTheLine() throws Exception {
        WrongServer wrong = closeLater(new WrongServer(overTls() ? TestPki.get().server() : null));
        Run r = cli("client", "--port", String.valueOf(wrong.address().getPort()), "--connections", "3",
                "--messages", "10", "--timeout", "20");
        assertEquals(1, r.status());
        Matcher m = RESULT.matcher(r.out().strip());
        assertTrue(m.matches(), r.out());
        assertTrue(Long.parseLong(m.group(3)) > 0, "errors counted: " + r.out());
    }

    @Test
    void rule19_openLoopSendsOnAFixedSchedule() {
        Run r = cli("client", "--port", port(startEchoUnchecked()), "--connections", "4", "--messages", "20",
                "--rate", "200", "--pipeline", "2");
        assertEquals(0, r.status(), r.err());
        Matcher m = RESULT.matcher(r.out().strip());
        assertTrue(m.matches(), r.out());
        assertEquals("80", m.group(2));
        assertNotNull(m.group(4), "an open loop's line ends with the client's lateness: " + r.out());
    }

    @Test
    void rule20_aBadOptionGetsOneLineOnStandardErrorAndStatusTwo() {
        List<String[]> bad = new ArrayList<>(List.of(
                new String[] {"server", "--bogus"},
                new String[] {"server", "--port", "70000"},
                new String[] {"server", "--service", "fax"},
                new String[] {"server", "--max-frame", "-1"},
                new String[] {"server", "--one-shot", "--service", "chat"},
                new String[] {"server", "--idle-timeout"},
                new String[] {"client", "--connections", "2", "hello"},
                new String[] {"client", "--connections", "2"},
                new String[] {"client", "--port", "x", "hello"},
                new String[] {"client"}));
        for (String[] args : bad) {
            Run r = cli(args);
            String what = String.join(" ", args);
            // Its standard error says why a status is -1: killed at the limit, or stopped once it
            // printed 'listening on' for an option it should have refused.
            assertEquals(2, r.status(), what + ": " + r.err().strip());
            assertEquals("", r.out(), what);
            assertTrue(r.errLines().size() >= 1 && r.errLines().size() <= 2, what + ": " + r.err());
        }
    }

    @Test
    void rule20_helpIsUsageOnStandardOutput() {
        Run r = cli("server", "--help");
        assertEquals(0, r.status(), r.err().strip());
        assertTrue(r.out().contains("--max-backlog"), r.out());
    }

    private Server startEchoUnchecked() {
        try {
            return startEcho();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
