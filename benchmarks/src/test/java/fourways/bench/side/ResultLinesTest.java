package fourways.bench.side;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.bench.ChildProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A load client's RESULT lines, read from a real process: a JVM running {@link Client}, which
 * prints what a ladder's client prints, lines and errors, and exits.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResultLinesTest {
    static final String FIRST = "RESULT connections=2 messages=10 seconds=0.010 msgs_per_sec=1000.000 p50_us=1"
            + " p90_us=1 p99_us=1 p999_us=1 max_us=1 errors=0 late_p50_us=0.1 late_p99_us=0.1";
    static final String SECOND = FIRST.replace("messages=10", "messages=16").replace("errors=0", "errors=1");

    /** Two rungs' lines, with an error said after the second, and an exit before the third rung. */
    public static final class Client {
        public static void main(String[] args) {
            System.out.println(FIRST);
            System.out.println(SECOND);
            System.out.println("fake: at 4000 frames/s: connection 1: no reply");
            System.out.flush();
            System.exit(3);
        }
    }

    @Test
    void eachRunIsHandedOnInOrderOnceTheNextLineHasComeOrTheClientHasEnded() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Client.class.getName());
        List<String> handed = new ArrayList<>();
        try (ChildProcess c = new ChildProcess("lines", command, l -> l.startsWith("RESULT "))) {
            ResultLines lines = new ResultLines(c, 3);

            Integer status = lines.read(30_000, 5_000, () -> {}, (i, line, seconds) -> {
                // Settled: the next line is in, or the output has ended, with the error said after this one.
                assertTrue(c.kept().size() > i + 1 || c.outputEnded(), "run " + i + " handed on too early");
                assertTrue(seconds >= 0, "seconds since the line before: " + seconds);
                handed.add(i + " " + line.line());
            });

            assertEquals(List.of("0 " + FIRST, "1 " + SECOND), handed, "in order, each once");
            assertEquals(2, lines.count(), "the third rung's line never came");
            assertEquals(3, status, "the client's exit status, for the note of the run that is missing");
            assertTrue(c.tail().contains("no reply"), c.tail());
        }
    }
}
