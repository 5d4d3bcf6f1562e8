package fourways.coursework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The coursework's proof, run by every {@code ./mvnw verify}: each exercise's checker passes on
 * the reference solution, and fails on the starter on the very tests that catch its trap.
 *
 * <p>The checkers run here through the JUnit Platform Launcher, inside this test, so their
 * failures on a starter are results this test reads, not failures of the build. The build fails
 * only when a checker rejects its solution, runs nothing, or lets its starter (or a known wrong
 * answer) through.
 *
 * <p>Solved an exercise in your own copy? Its starter then passes, as it should:
 * {@code -Dcoursework.solved=e1,e2} tells this test so.
 */
class CourseworkSelfTest {

    /**
     * One exercise: the package that holds its {@code StarterCheck} and {@code SolutionCheck},
     * and the checker tests that must fail on the starter (each fails on the trap itself, every
     * time, not by luck of timing). {@code wrongAnswers}: more check classes of that package, each
     * on a plausible wrong answer, with the tests that must each catch it.
     */
    record Exercise(String id, String pkg, List<String> traps, Map<String, List<String>> wrongAnswers) {
        String check(String simpleName) {
            return "fourways.coursework." + pkg + "." + simpleName;
        }
    }

    static final List<Exercise> EXERCISES = List.of(
            new Exercise("e1", "e1_onereadonemessage", List.of(
                    "rule04_aFrameOverTheMaximumGetsTheErrorFrameAndAClose",
                    "rule06_halfCloseGetsTheOwedRepliesThenAClose"), Map.of()),
            new Exercise("e2", "e2_opwritespin", List.of(
                    "anIdleConnectionLetsTheSelectorSleep"), Map.of()),
            new Exercise("e3", "e3_writepending", List.of(
                    "rule05_aClientThatReadsLateStillGetsEveryReplyInOrder"), Map.of()),
            new Exercise("e4", "e4_slowchatreader", List.of(
                    "rule12_aMemberWhoStopsReadingIsDroppedAndCostsTheOthersNothing"), Map.of()),
            new Exercise("e5", "e5_connectionlimit", List.of(
                    "blockingIo_servesThreeAtOnceAndClosesTheFourth",
                    "nioSelector_servesThreeAtOnceAndClosesTheFourth",
                    "nio2Async_servesThreeAtOnceAndClosesTheFourth",
                    "virtualThreads_servesThreeAtOnceAndClosesTheFourth"), Map.of()),
            // e6's starter is a constructor that throws: its checker runs one check, which says so
            // (Milestones). What the pool test catches, it shows on a wrong answer that does run.
            new Exercise("e6", "e6_fixedpool", List.of(
                    "fixedPool_theServerStarts"), Map.of(
                    "ThreadPerConnectionCheck", List.of("fixedPool_fiftyClientsAtOnceAreAllServedByTheSameFewThreads"))),
            new Exercise("e7", "e7_tlsengine", List.of(
                    "aClientThatStopsHalfwayThroughItsHandshakeHoldsUpNoOtherClient",
                    "aClientHelloThatArrivesInTwoReadsIsWaitedFor",
                    "aSlowDelegatedTaskHoldsUpNoOtherClient"), Map.of()),
            // e8's starter is a plan, not a server: its checker runs one check, which says so.
            // What the others catch, they show on a wrong answer that does run (its one-read
            // length only when the server's read comes between the cut's two halves: luck of
            // timing, so not listed here; its signed length every time).
            new Exercise("e8", "e8_lengthprefix", List.of("prefix_theServerStarts"), Map.of(
                    "OneReadLengthCheck", List.of("rule04_aLengthWithItsTopBitSetIsTooLongNotNegative"))));

    @TestFactory
    Stream<DynamicNode> everyCheckerPassesOnItsSolutionAndFailsOnItsStarter() {
        Set<String> solved = Arrays.stream(System.getProperty("coursework.solved", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        return EXERCISES.stream().map(e -> {
            List<DynamicTest> tests = new ArrayList<>();
            tests.add(dynamicTest("the checker passes on the solution", () -> solutionPasses(e)));
            tests.add(dynamicTest("the checker fails on the starter, on its trap", () -> {
                Assumptions.assumeFalse(solved.contains(e.id()), e.id() + " is solved here (-Dcoursework.solved)");
                starterFails(e);
            }));
            e.wrongAnswers().forEach((check, catching) -> catching.forEach(test -> tests.add(dynamicTest(
                    "the checker's " + test + " rejects " + check, () -> wrongAnswerFails(e, check, test)))));
            return dynamicContainer(e.id(), tests);
        });
    }

    private static void solutionPasses(Exercise e) {
        Outcome o = run(DiscoverySelectors.selectClass(e.check("SolutionCheck")), "");
        assertTrue(o.succeeded > 0, e.id() + ": the checker ran no test at all");
        assertEquals(List.of(), o.failures, e.id() + ": the checker rejects the reference solution");
    }

    private static void starterFails(Exercise e) {
        Outcome o = run(DiscoverySelectors.selectClass(e.check("StarterCheck")),
                " (expected: the unfinished starter must fail, on " + String.join(", ", e.traps()) + ")");
        Set<String> failed = o.failures.stream().map(f -> f.substring(0, f.indexOf(':'))).collect(Collectors.toSet());
        List<String> missed = e.traps().stream().filter(t -> !failed.contains(t)).toList();
        assertEquals(List.of(), missed, e.id() + ": these checker tests pass on the unfinished starter, so they do"
                + " not catch its trap (solved it here? say so: -Dcoursework.solved=" + e.id() + ")");
    }

    private static void wrongAnswerFails(Exercise e, String check, String test) {
        Outcome o = run(DiscoverySelectors.selectMethod(e.check(check), test),
                " (expected: a wrong answer, which this check must reject)");
        assertEquals(1, o.failures.size(), e.id() + ": " + test + " lets the wrong answer " + check + " through");
    }

    /** What one run came to: tests that passed, and one line per failure, {@code method: why}. */
    private record Outcome(int succeeded, List<String> failures) {}

    /**
     * Runs the selected checks and prints one line on them; {@code expected} says, on that line,
     * when failures are what this test wants, so that a reader of the build's output does not
     * take {@code 0 passed, 1 failed} for a broken build.
     */
    private static Outcome run(DiscoverySelector selector, String expected) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selector).build();
        int[] succeeded = {0};
        List<String> failures = new ArrayList<>();
        // Without the listeners of META-INF/services (CheckSummary): this test prints its own line.
        LauncherConfig config = LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build();
        LauncherFactory.create(config).execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                boolean counts = test.isTest() || result.getStatus() == TestExecutionResult.Status.FAILED;
                if (!counts) return;                          // a class that ran: its tests speak for it
                String name = test.getSource().filter(MethodSource.class::isInstance)
                        .map(s -> ((MethodSource) s).getMethodName()).orElse(test.getDisplayName());
                switch (result.getStatus()) {
                    case SUCCESSFUL -> succeeded[0]++;
                    case FAILED -> failures.add(name + ": "
                            + result.getThrowable().map(Throwable::toString).orElse("failed"));
                    case ABORTED -> { }                       // an assumption (no IPv6 here, say): neither
                }
            }
        });
        String what = switch (selector) {
            case ClassSelector c -> c.getClassName();
            case MethodSelector m -> m.getClassName() + "#" + m.getMethodName();
            default -> selector.toString();
        };
        System.out.printf("%s: %d passed, %d failed%s%s%n", what, succeeded[0], failures.size(), expected,
                // A failure's first two lines: the checker's trap, then what it saw.
                failures.stream().map(f -> "\n  " + f.lines().limit(2).collect(Collectors.joining(" ")))
                        .collect(Collectors.joining()));
        return new Outcome(succeeded[0], failures);
    }
}
