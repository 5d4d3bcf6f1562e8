package fourways.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The black-box runner's own command line: rule 20's manners, and the names of rules. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BlackBoxOptionsTest {

    @Test
    void helpShowsTheOptionsAndAnExampleOnStandardOutput() {
        BlackBoxRun r = BlackBoxRun.of("--help");
        assertEquals(0, r.status());
        String help = String.join("\n", r.lines());
        for (String s : List.of("--server-cmd", "--client-cmd", "--skip", "--only", "{port}", "{args}", "listening on")) {
            assertTrue(help.contains(s), s + " in: " + help);
        }
    }

    @Test
    void badOptionsGetOneLineNamingThemAndStatusTwoBeforeAnythingRuns() {
        List<String[]> bad = List.of(
                new String[] {},                                             // no --server-cmd
                new String[] {"--server-cmd", "srv --port 11000"},          // no {port}
                new String[] {"--server-cmd", "srv '{port}"},               // unclosed quote
                new String[] {"--server-cmd", "srv {port}", "--skip", "rule21"},
                new String[] {"--server-cmd", "srv {port}", "--only", "echo"});
        for (String[] args : bad) {
            BlackBoxRun r = BlackBoxRun.of(args);
            String what = String.join(" ", args);
            assertEquals(2, r.status(), what + ": " + r);
            assertEquals(List.of(), r.lines(), what + ": nothing on standard output");
            assertEquals(2, r.progress().lines().count(), what + ": " + r.progress());
            assertTrue(r.progress().lines().toList().get(1).contains("--help"), r.progress());
        }
    }

    @Test
    void aTestChecksTheRulesItsNameStartsWith() {
        assertEquals(List.of(4), BlackBox.rules("rule04_oneByteOverTheMaximum"));
        assertEquals(List.of(8, 20), BlackBox.rules("rule08_rule20_overIpv6"));
        assertEquals(List.of(11, 10), BlackBox.rules("rule11_clientThatNeverReads"), "rule 11's test checks rule 10");
        assertEquals(List.of(), BlackBox.rules("helperNamedAfter_rule05_"));
    }
}
