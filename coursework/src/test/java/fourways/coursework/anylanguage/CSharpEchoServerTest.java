package fourways.coursework.anylanguage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.testsuite.BlackBox;
import fourways.testsuite.BlackBoxRun;
import fourways.testsuite.Mono;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The black-box runner on a program nobody on the Java side wrote: src/test/csharp/EchoServer.cs,
 * an echo server in the .NET Begin/End style, compiled with Mono's {@code mcs} and run with
 * {@code mono}: chapter 9's answer to "any language", checked as the chapter runs it. Skipped
 * where Mono is not installed (Debian: mono-mcs and mono-runtime).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CSharpEchoServerTest {
    /** What the server does not implement: one-shot, sink, chat, the idle timeout, SIGTERM's exit 0. */
    static final String UNSUPPORTED = "rule07,rule08,rule09,rule12,rule13,rule14";

    @TempDir
    Path dir;

    /** The server, compiled into the test's folder; the test is skipped, saying why, without Mono. */
    private Path compile() throws Exception {
        return Mono.compile(Path.of("src/test/csharp/EchoServer.cs"), dir);
    }

    @Test
    void itPassesEveryRuleItImplementsAndTheRestAreSkippedByName() throws Exception {
        Path exe = compile();
        BlackBoxRun r = BlackBoxRun.of("--server-cmd", "mono '" + exe + "' --port {port} {args}", "--skip", UNSUPPORTED);
        assertEquals(0, r.status(), r.toString());
        for (int rule : List.of(1, 2, 3, 4, 5, 6, 10, 11, 15, 20)) {
            assertTrue(r.rule(rule).startsWith("PASS "), rule + ": " + r);
        }
        for (int rule : List.of(7, 8, 9, 12, 13, 14)) {
            assertEquals("SKIP rule" + BlackBox.two(rule) + " " + BlackBox.TITLES.get(rule) + ": skipped by --skip",
                    r.rule(rule), r.toString());
        }
        assertTrue(r.rule(16).endsWith(": a client's rule, and no --client-cmd"), r.toString());
        assertEquals("10 passed, 0 failed, 10 skipped", r.last(), r.toString());
    }

    @Test
    void aRuleItDoesNotImplementFailsWithWhatCameAndStatusOne() throws Exception {
        Path exe = compile();
        BlackBoxRun r = BlackBoxRun.of("--server-cmd", "mono '" + exe + "' --port {port} {args}", "--only", "rule07");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.rule(7).startsWith("FAIL rule07 one-shot: rule07_"), r.toString());
        assertTrue(r.rule(7).contains("exited with status 2 before printing 'listening on HOST:PORT'")
                && r.rule(7).contains("bad option or value: --one-shot"), r.rule(7));
        assertEquals("0 passed, 1 failed, 19 skipped", r.last(), r.toString());
    }

    /**
     * The help's example is README's, and its skip list is what the C# server is run with.
     * Needs no Mono: it reads the runner's help and README only.
     */
    @Test
    void helpsExampleIsReadmesAndSkipsWhatTheCSharpServerLacks() throws IOException {
        String help = String.join("\n", BlackBoxRun.of("--help").lines());
        String readme = Files.readString(Path.of("../README.md"));
        String example = "--server-cmd 'mono EchoServer.exe --port {port} {args}'";
        String skip = "--skip " + UNSUPPORTED;
        for (String s : List.of(example, skip)) {
            assertTrue(help.contains(s), s + " in --help: " + help);
            assertTrue(readme.contains(s), s + " in README.md");
        }
    }
}
