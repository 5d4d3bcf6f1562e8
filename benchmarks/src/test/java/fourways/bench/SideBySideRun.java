package fourways.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The side-by-side run in this JVM, as the tests run it whole: its exit status, and what it
 * printed on standard output (the table). Its progress goes to standard error, as ever.
 */
record SideBySideRun(int status, String printed) {

    static SideBySideRun of(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(table, true, StandardCharsets.UTF_8));
            int status = new CommandLine(new SideBySide()).execute(args);
            return new SideBySideRun(status, table.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);                    // the next test's output is its own again
        }
    }
}
