package fourways.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The black-box runner on a program nobody on the Java side wrote: src/test/csharp/EchoServer.cs,
 * an echo server in the .NET Begin/End style, compiled with Mono's {@code mcs} and run with
 * {@code mono}. Skipped where Mono is not installed (Debian: mono-mcs and mono-runtime).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CSharpEchoServerTest {
    /** What the server does not implement: one-shot, sink, chat, the idle timeout, SIGTERM's exit 0. */
    static final String UNSUPPORTED = "rule07,rule08,rule09,rule12,rule13,rule14";

    @TempDir
    Path dir;
    private Path exe;

    @BeforeEach
    void compile() throws Exception {
        Assumptions.assumeTrue(onPath("mcs") && onPath("mono"),
                "Mono is not installed (no mcs or mono on the PATH; Debian: apt-get install mono-mcs mono-runtime)");
        exe = dir.resolve("EchoServer.exe");
        Process mcs = new ProcessBuilder("mcs", "-out:" + exe, Path.of("src/test/csharp/EchoServer.cs").toString())
                .redirectErrorStream(true).start();
        String said = new String(mcs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(mcs.waitFor(120, TimeUnit.SECONDS), "mcs did not finish in 120 s");
        assertEquals(0, mcs.exitValue(), "mcs: " + said);
    }

    @Test
    void itPassesEveryRuleItImplementsAndTheRestAreSkippedByName() {
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
    void aRuleItDoesNotImplementFailsWithWhatCameAndStatusOne() {
        BlackBoxRun r = BlackBoxRun.of("--server-cmd", "mono '" + exe + "' --port {port} {args}", "--only", "rule07");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.rule(7).startsWith("FAIL rule07 one-shot: rule07_"), r.toString());
        assertTrue(r.rule(7).contains("exited with status 2 before printing 'listening on HOST:PORT'")
                && r.rule(7).contains("bad option or value: --one-shot"), r.rule(7));
        assertEquals("0 passed, 1 failed, 19 skipped", r.last(), r.toString());
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) return true;
        }
        return false;
    }
}
