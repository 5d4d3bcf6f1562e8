package fourways.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * C# under Mono, for the tests that run a program nobody on the Java side wrote: compiled with
 * {@code mcs}, then run with {@code mono}; one child process each, its cost. Where Mono is not
 * installed the calling test is skipped, saying why (a JUnit assumption), not failed: the build
 * must pass on a machine without it. Used by coursework's C# answer and by the tutorials'
 * pitfall 8, which runs Microsoft's own server sample.
 */
public final class Mono {
    private Mono() {}

    /** How long {@code mcs} may take: seconds on an idle machine, far more with every core busy. */
    private static final long COMPILE_SECONDS = 120;

    /**
     * Compiles {@code source} into {@code dir} and returns the program; skips the calling test
     * when {@code mcs} or {@code mono} is not on the PATH, and fails it with mcs's own words
     * when the source does not compile.
     */
    public static Path compile(Path source, Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("mcs") && onPath("mono"),
                "Mono is not installed (no mcs or mono on the PATH; Debian: apt-get install mono-mcs mono-runtime)");
        String name = source.getFileName().toString();
        Path exe = dir.resolve(name.substring(0, name.lastIndexOf('.')) + ".exe");
        Process mcs = new ProcessBuilder("mcs", "-out:" + exe, source.toString()).redirectErrorStream(true).start();
        // Read to the end before waiting: a compiler with much to say would block on a full pipe.
        String said = new String(mcs.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(mcs.waitFor(COMPILE_SECONDS, TimeUnit.SECONDS), "mcs did not finish in " + COMPILE_SECONDS + " s");
        assertEquals(0, mcs.exitValue(), "mcs: " + said);
        return exe;
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
