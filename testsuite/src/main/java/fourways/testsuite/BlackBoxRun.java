package fourways.testsuite;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One run of the black-box runner in this JVM, for the tests that check the runner itself
 * (its options here; a C# server and a deaf one in coursework): its exit status, its lines on
 * standard output, and its progress on standard error.
 */
public record BlackBoxRun(int status, List<String> lines, String progress) {

    /** Runs {@link BlackBox} with these arguments to its end; its deadlines bound the wait. */
    public static BlackBoxRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = BlackBox.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new BlackBoxRun(status, out.toString(StandardCharsets.UTF_8).lines().toList(),
                err.toString(StandardCharsets.UTF_8));
    }

    /** The count line, the last one. */
    public String last() {
        return lines.isEmpty() ? "" : lines.getLast();
    }

    /** The line for rule {@code n}, or empty. */
    public String rule(int n) {
        return lines.stream().filter(l -> l.matches("(PASS|FAIL|SKIP) rule" + BlackBox.two(n) + " .*")).findFirst()
                .orElse("");
    }

    @Override
    public String toString() {
        return "status " + status + "\n" + String.join("\n", lines) + "\n" + progress;
    }
}
