package fourways.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

/**
 * The black-box runner ({@code java -jar testsuite/target/testsuite.jar}) against each module's
 * own jar, as a user runs both: nio-selector on every rule but the timed ones, with its client;
 * the other three, for time, on the rules that touch each part of a server (framing, echo,
 * half-close): {@link #SUBSET}. Their in-process suites already run every rule. Skipped where a
 * jar is not built (as under {@code ./mvnw -pl X -am test}).
 */
class BlackBoxJarsTest {
    /**
     * The others' rules. Not rule 20, the command line, the costliest here (a JVM per bad
     * option: 9.0 to 9.4 s of CPU of the four rules' 15 s, measured with the runner by hand on a
     * quiet machine, 2026-12-05) and the one a jar adds least to: every module's command line is
     * protocol's Cli, which nio-selector's jar is held to here, and each model's in-process
     * suite runs rule 20's tests on its own model through that Cli.
     */
    static final String SUBSET = "rule01,rule05,rule06";
    /**
     * nio-selector, the model the issue names, runs every rule but these: the backlog, backpressure, idle and
     * shutdown, which wait on the server's timers for most of the runner's time (more than half
     * of a 52 s run), and which its in-process suite runs already.
     */
    static final String TIMED = "rule10,rule11,rule12,rule13,rule14";

    @ParameterizedTest
    @EnumSource(value = Contender.class, names = {"NIO_SELECTOR", "BLOCKING_IO", "NIO2_ASYNC", "VIRTUAL_THREADS"})
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void theModulesJarPassesTheBlackBoxRunner(Contender model) throws Exception {
        Path root = Root.find();
        Path runner = root.resolve("testsuite/target/testsuite.jar");
        Path jar = root.resolve(model.label()).resolve("target").resolve(model.label() + ".jar");
        Assumptions.assumeTrue(Files.isRegularFile(runner) && Files.isRegularFile(jar),
                "not built: " + runner + " or " + jar + " (./mvnw verify builds both before this test)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Every process here lives a few seconds: C1 alone and the serial collector start
        // cheaper than C2 and G1 (some fifty JVMs in nio-selector's run, whose 41 s of CPU became
        // 30 s, measured by hand). What the jar does on the wire is the same.
        String shortLived = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
        String program = "'" + java + "' " + shortLived + " -jar '" + jar + "' ";
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(shortLived.split(" ")));
        command.addAll(List.of("-jar", runner.toString(),
                "--server-cmd", program + "server --port {port} {args}", "--client-cmd", program + "client {args}"));
        boolean all = model == Contender.NIO_SELECTOR;
        command.addAll(all ? List.of("--skip", TIMED) : List.of("--only", SUBSET));
        Path errors = Files.createTempFile("black-box-", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(200, TimeUnit.SECONDS), "the runner did not end");
            String said = out + Files.readString(errors, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), said);
            List<String> lines = out.lines().toList();
            assertEquals(21, lines.size(), "a line per rule, then the count: " + said);
            for (int rule = 1; rule <= 20; rule++) {
                String r = String.format("rule%02d", rule);
                String expected = (all ? !TIMED.contains(r) : SUBSET.contains(r)) ? "PASS " + r + " " : "SKIP " + r + " ";
                assertTrue(lines.get(rule - 1).startsWith(expected), expected + "in: " + said);
            }
            int run = all ? 20 - TIMED.split(",").length : SUBSET.split(",").length;
            assertEquals(run + " passed, 0 failed, " + (20 - run) + " skipped", lines.get(20), said);
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
