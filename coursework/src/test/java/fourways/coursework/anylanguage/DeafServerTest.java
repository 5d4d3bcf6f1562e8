package fourways.coursework.anylanguage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.testsuite.BlackBox;
import fourways.testsuite.BlackBoxRun;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The black-box runner against {@link DeafServer}, which accepts and never reads: a test
 * blocked writing to it used to hang the run for ever. Now every test has a deadline, and a
 * rule whose test failed after waiting runs no more of its tests. Here the rules whose tests
 * block on such a server (a one-shot stream, idle, and rule 20's start), for time: the whole
 * run, every rule named, took 111 s when measured by hand, within the 4 minutes the runner
 * promises. Chapter 9 sends readers to the runner with servers of their own; this is the wrong
 * answer it must still finish on.
 */
class DeafServerTest {
    static final String BLOCKING = "rule07,rule13,rule20";

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aRunAgainstAServerThatNeverReadsEndsWithEveryRuleNamed() {
        String java = ProcessHandle.current().info().command().orElse("java");
        BlackBoxRun r = BlackBoxRun.of("--server-cmd", "'" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' " + DeafServer.class.getName() + " {port}", "--only", BLOCKING);
        assertEquals(1, r.status(), r.toString());
        for (int rule = 1; rule <= 20; rule++) {
            String line = r.rule(rule);
            if (BLOCKING.contains("rule" + BlackBox.two(rule))) {
                assertTrue(line.startsWith("FAIL rule" + BlackBox.two(rule) + " "), rule + ": " + r);
            } else {
                assertTrue(line.startsWith("SKIP "), rule + ": " + r);
            }
        }
        assertEquals("0 passed, 3 failed, 17 skipped", r.last(), r.toString());
        // Rule 20: a server that starts on a bad option is told so at once, not after 45 s.
        assertTrue(r.rule(20).contains("ignores what it does not know"), r.rule(20));
    }
}
