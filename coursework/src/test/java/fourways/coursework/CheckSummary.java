package fourways.coursework;

import fourways.coursework.e6_fixedpool.Milestones;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * One line per exercise checked, even under {@code ./mvnw -q}, where a green run would otherwise
 * print nothing at all: {@code e1: 8 of 8 checks pass}, or which ones fail. Registered for the
 * whole module (META-INF/services), so it speaks for every {@code -Dexercise} run. In such a run
 * it also tells each failed check once, as it ends: its name, the trap, what the check saw
 * ({@link Trap.Sprung}). Called on the launcher's one thread, in order: the maps need no lock.
 */
public final class CheckSummary implements TestExecutionListener {
    private static final Pattern EXERCISE = Pattern.compile("fourways\\.coursework\\.(e\\d)_[a-z]+\\.(\\w+)");

    /** Per "e1" or "e1 solution": the checks that passed, and the names of those that failed. */
    private final Map<String, int[]> passed = new TreeMap<>();
    private final Map<String, List<String>> failed = new TreeMap<>();

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (!test.isTest() || !(test.getSource().orElse(null) instanceof MethodSource m)) return;
        Matcher e = EXERCISE.matcher(m.getClassName());
        if (!e.matches()) return;
        String key = e.group(1) + switch (e.group(2)) {
            case "StarterCheck" -> "";
            case "SolutionCheck" -> " solution";
            default -> " (" + e.group(2) + ")";
        };
        passed.computeIfAbsent(key, k -> new int[1]);
        failed.computeIfAbsent(key, k -> new ArrayList<>());
        switch (result.getStatus()) {
            case SUCCESSFUL -> passed.get(key)[0]++;
            case FAILED -> failed.get(key).add(m.getMethodName());
            case ABORTED -> {
                // Trap.Sprung: a check that failed, in a student's run; anything else is an
                // assumption (no IPv6 here, say), not a check.
                if (result.getThrowable().orElse(null) instanceof Trap.Sprung sprung) {
                    failed.get(key).add(m.getMethodName());
                    System.out.println("FAIL " + m.getMethodName() + ": " + sprung.getMessage() + "\n");
                }
            }
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        PrintStream out = System.out;
        passed.forEach((key, ok) -> {
            List<String> bad = failed.get(key);
            String which = key.startsWith("e6") ? key + Milestones.label() : key;
            out.println(which + ": " + ok[0] + " of " + (ok[0] + bad.size()) + " checks pass"
                    + (bad.isEmpty() ? "" : "; failing: " + String.join(", ", bad)));
        });
    }
}
