package fourways.coursework.e6_fixedpool;

import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Exercise 6 in five steps, each its own run: {@code -Dmilestone=N} runs the checks of milestones
 * 1 to N and leaves the rest out. And while the server does not start at all (the starter as
 * given), only {@code fixedPool_theServerStarts} runs, so the first run says one thing once
 * instead of failing 35 tests with the same stack trace.
 */
public final class Milestones implements ExecutionCondition {
    /** Milestone {@code n} is {@code NAMES.get(n - 1)}. */
    public static final List<String> NAMES = List.of("echo and framing", "half-close and backpressure", "idle",
            "chat", "lifecycle and thread budget");
    static final String STARTS = "fixedPool_theServerStarts";

    /** The milestone a check belongs to, by the PROTOCOL.md rule its name starts with. */
    static int of(String test) {
        if (test.equals(STARTS)) return 1;
        if (test.startsWith("fixedPool_") || test.contains("Sigterm")) return 5;   // SIGTERM is rule 14's
        return switch (Integer.parseInt(test.substring("rule".length(), "rule".length() + 2))) {
            case 6, 10, 11 -> 2;
            case 13 -> 3;
            case 9, 12 -> 4;
            case 14, 15 -> 5;
            default -> 1;                      // framing, echo, one-shot, sink, and the client's rules
        };
    }

    /** {@code -Dmilestone}: 1 to 5, or empty for all of them. */
    static Optional<Integer> chosen() {
        String m = System.getProperty("milestone", "").strip();
        if (m.isEmpty()) return Optional.empty();
        try {
            int n = Integer.parseInt(m);
            if (n >= 1 && n <= NAMES.size()) return Optional.of(n);
        } catch (NumberFormatException notANumber) {
            // said below, in one place
        }
        throw new IllegalArgumentException("-Dmilestone=" + m + ": the milestones are 1 to " + NAMES.size() + " "
                + NAMES + "; leave it out to run them all");
    }

    /** What the summary line calls this run: "" or ", milestone 2 of 5 (half-close and backpressure)", after "e6". */
    public static String label() {
        try {
            return chosen().map(n -> ", milestone " + n + " of " + NAMES.size() + " (" + NAMES.get(n - 1) + ")")
                    .orElse("");
        } catch (IllegalArgumentException e) {
            return " (" + e.getMessage() + ")";
        }
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) return ConditionEvaluationResult.enabled("a class");
        String test = context.getRequiredTestMethod().getName();
        if (test.equals(STARTS)) return ConditionEvaluationResult.enabled("always: it says what is wrong");
        Optional<Integer> milestone;
        try {
            milestone = chosen();
        } catch (IllegalArgumentException e) {
            return ConditionEvaluationResult.disabled(e.getMessage());
        }
        if (milestone.isPresent() && of(test) > milestone.get()) {
            return ConditionEvaluationResult.disabled("milestone " + of(test) + ", not asked for");
        }
        FixedPoolChecker checker = (FixedPoolChecker) context.getRequiredTestInstance();
        boolean starts = context.getParent().orElseThrow()
                .getStore(ExtensionContext.Namespace.create(Milestones.class))
                .getOrComputeIfAbsent("starts", k -> starts(checker), Boolean.class);
        return starts ? ConditionEvaluationResult.enabled("the server starts")
                : ConditionEvaluationResult.disabled("not started yet: see " + STARTS);
    }

    /** False only while the server's constructor is the starter's "not written yet". */
    private static boolean starts(FixedPoolChecker checker) {
        try (Server s = checker.model().start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0))) {
            return true;
        } catch (UnsupportedOperationException notWritten) {
            return false;
        } catch (Exception other) {
            return true;                       // it starts, in a way: the checks will say what fails
        }
    }
}
