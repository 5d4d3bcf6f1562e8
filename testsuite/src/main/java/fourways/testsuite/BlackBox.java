package fourways.testsuite;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import fourways.protocol.Cli;
import fourways.protocol.CommandTemplate;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The black-box runner, {@code java -jar testsuite.jar --server-cmd '...'}: the shared suite
 * against a server (and a client) written in any language, judged only by what goes over the
 * wire and what the program prints. It runs {@link BlackBoxSuite} on the JUnit Platform and
 * prints one line per rule of PROTOCOL.md; it costs a process start per test.
 */
@Command(name = "testsuite.jar", sortOptions = false, usageHelpWidth = 100,
        description = {"Runs the rules of PROTOCOL.md against a server written in any language, judged from",
            "outside: over the wire, by its output and its exit status. Each test starts the program anew",
            "with the options its rule needs (rule 20's names) in place of {args}, and stops it with SIGTERM.",
            "Prints one line per rule (PASS, FAIL with what was expected and what came, or SKIP), then",
            "'N passed, M failed'. Exit status: 0 when no rule failed, 1 when one did, 2 for a bad option.",
            "",
            "  java -jar testsuite/target/testsuite.jar \\",
            "    --server-cmd 'java -jar nio-selector/target/nio-selector.jar server --port {port} {args}'",
            "  java -jar testsuite/target/testsuite.jar --server-cmd 'mono EchoServer.exe --port {port} {args}' \\",
            "    --skip rule07,rule08,rule09,rule12,rule13,rule14",
            "",
            "The server prints 'listening on HOST:PORT' once it accepts connections; {port} is 0, 'let the",
            "system pick'. Leak checks (threads, sockets) see only this runner's side of the connections.",
            "Every test has a deadline of 60 s: past it the runner closes the test's sockets, stops the server",
            "and says what the test was waiting for. A rule whose test failed after waiting (a server that",
            "answers nothing) does not run its other tests. An echo-only server skips rule08,rule09: rule 14",
            "is then checked on echo alone.",
            ""},
        footer = {"", "Rules 16 to 19, and rule 20's client half, need --client-cmd; it talks to --server-cmd's server."})
public final class BlackBox implements Callable<Integer> {
    /** PROTOCOL.md's rules by number, as its headings name them. */
    public static final Map<Integer, String> TITLES = titles("frame and delimiter", "bytes, not text", "any split",
            "maximum payload", "echo", "half-close", "one-shot", "sink", "chat", "outbound backlog",
            "echo backpressure", "chat backpressure", "idle timeout", "shutdown", "abrupt disconnects",
            "message mode", "load mode", "the report", "open loop", "command line");
    /** Rule 10 has no test of its own: rule 11's test checks it (another client is served meanwhile). */
    private static final Map<Integer, List<Integer>> ALSO = Map.of(11, List.of(10));
    private static final Pattern RULE = Pattern.compile("rule(\\d{2})_");

    @Option(names = "--server-cmd", required = true, paramLabel = "COMMAND",
            description = {"The server. {port} becomes its port, {args} the rule's options (at the end",
                "where there is no {args}). Split into words as a shell would, then run directly."})
    String serverCmd;

    @Option(names = "--client-cmd", paramLabel = "COMMAND",
            description = {"A client (rules 16-20). {args} becomes the rule's client options; {port},",
                "where present, the port it is given."})
    String clientCmd;

    @Option(names = "--skip", paramLabel = "RULE", split = ",",
            description = "Rules not to run (repeatable, or a list): rule13, or 13. Reported as SKIP.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--only", paramLabel = "RULE", split = ",",
            description = "Only these rules; the others are reported as SKIP.")
    List<String> only = new ArrayList<>();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    private final PrintStream out;
    private final PrintStream progress;

    BlackBox(PrintStream out, PrintStream progress) {
        this.out = out;
        this.progress = progress;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, out, err));
    }

    /** Parses {@code args} and runs; the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        // Rule 20's manners, from the modules' own command line: a bad option gets one line naming it.
        return Cli.configure(new CommandLine(new BlackBox(out, err)), out, err).execute(args);
    }

    @Override
    public Integer call() {
        CommandTemplate server = template("--server-cmd", serverCmd);
        if (!server.hasPort()) throw bad("--server-cmd needs {port}, where the server's port goes: " + serverCmd);
        CommandTemplate client = clientCmd == null ? null : template("--client-cmd", clientCmd);
        Map<Integer, String> skipped = new TreeMap<>();
        for (String r : only) rule(r);                         // every name checked before anything runs
        List<Integer> wanted = only.stream().map(BlackBox::rule).toList();
        if (!wanted.isEmpty()) {
            for (int r : TITLES.keySet()) if (!wanted.contains(r)) skipped.put(r, "not in --only");
        }
        for (String r : skip) skipped.put(rule(r), "skipped by --skip");
        Map<Integer, String> failedAfterWaiting = new ConcurrentHashMap<>();
        BlackBoxSuite.use(new BlackBoxSuite.Setup(server, client, skipped, failedAfterWaiting));

        Tally tally = new Tally(failedAfterWaiting);
        // A wait per read a server that answers nothing makes each test sit out: 5 s, not 20.
        int readTimeout = RawClient.readTimeoutMillis(5_000);
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(BlackBoxSuite.class))
                    // JUnit's @Timeout only interrupts, which a blocked socket write ignores; the
                    // suite's HardDeadline closes the sockets instead, and is the only deadline.
                    .configurationParameter("junit.jupiter.execution.timeout.mode", "disabled")
                    .build(), tally);
        } finally {
            RawClient.readTimeoutMillis(readTimeout);
        }
        return tally.report();
    }

    private CommandTemplate template(String option, String line) {
        try {
            return CommandTemplate.parse(line);
        } catch (IllegalArgumentException e) {
            throw bad(option + ": " + e.getMessage());
        }
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(new CommandLine(this), message);
    }

    /** {@code rule13}, {@code rule3} or {@code 13}: 13; anything else is a bad option. */
    private static int rule(String name) {
        Matcher m = Pattern.compile("(?:rule)?0*(\\d{1,2})").matcher(name.strip().toLowerCase(java.util.Locale.ROOT));
        int n = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        if (!TITLES.containsKey(n)) {
            throw new CommandLine.ParameterException(new CommandLine(new BlackBox(null, null)),
                    "no rule '" + name + "': rules are rule01 to rule20 (PROTOCOL.md)");
        }
        return n;
    }

    /** The rules a test checks, from its name: {@code rule08_rule20_...} checks 8 and 20. */
    static List<Integer> rules(String testName) {
        List<Integer> rules = new ArrayList<>();
        Matcher m = RULE.matcher(testName);
        for (int at = 0; m.find(at) && m.start() == at; at = m.end()) {
            int r = Integer.parseInt(m.group(1));
            rules.add(r);
            rules.addAll(ALSO.getOrDefault(r, List.of()));
        }
        return rules;
    }

    /** A rule's number as its tests' names and the runner's lines spell it: {@code 7} is {@code "07"}. */
    public static String two(int rule) {
        return String.format("%02d", rule);
    }

    private static Map<Integer, String> titles(String... t) {
        Map<Integer, String> m = new LinkedHashMap<>();
        for (int i = 0; i < t.length; i++) m.put(i + 1, t[i]);
        return m;
    }

    /** One test's outcome, under each rule it checks. */
    private record Outcome(String test, TestExecutionResult.Status status, String message) {}

    /** Collects every test's outcome by rule, and prints the rules' lines at the end. */
    private final class Tally implements TestExecutionListener {
        private final Map<Integer, List<Outcome>> byRule = new TreeMap<>();
        private final Map<String, Long> started = new LinkedHashMap<>();
        private final Map<Integer, String> failedAfterWaiting;

        Tally(Map<Integer, String> failedAfterWaiting) {
            this.failedAfterWaiting = failedAfterWaiting;
        }

        @Override
        public void executionStarted(TestIdentifier id) {
            if (id.isTest()) started.put(id.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) record(id, new Outcome(method(id), TestExecutionResult.Status.ABORTED, reason), 0);
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest()) return;
            String message = result.getThrowable().map(t -> oneLine(t.getMessage() == null ? t.toString()
                    : t.getMessage().replaceFirst("^Assumption failed: ", ""))).orElse("");
            long t0 = started.getOrDefault(id.getUniqueId(), System.nanoTime());
            record(id, new Outcome(method(id), result.getStatus(), message), (System.nanoTime() - t0) / 1e9);
        }

        private void record(TestIdentifier id, Outcome o, double seconds) {
            for (int rule : rules(o.test())) byRule.computeIfAbsent(rule, r -> new ArrayList<>()).add(o);
            if (o.status() == TestExecutionResult.Status.FAILED && seconds >= BlackBoxSuite.WAITED.toSeconds()) {
                for (int rule : rules(o.test())) failedAfterWaiting.putIfAbsent(rule, o.test());
            }
            progress.printf(java.util.Locale.ROOT, "  %-8s %s (%.1f s)%s%n", word(o.status()), o.test(), seconds,
                    o.message().isEmpty() ? "" : ": " + o.message());
        }

        private static String method(TestIdentifier id) {
            return id.getSource().filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getMethodName())
                    .orElse(id.getDisplayName());
        }

        /** One line per rule, then the count; the exit status. */
        int report() {
            int passed = 0, failed = 0, skipped = 0;
            for (Map.Entry<Integer, List<Outcome>> e : byRule.entrySet()) {
                String name = "rule" + two(e.getKey()) + " " + TITLES.get(e.getKey());
                List<Outcome> all = e.getValue();
                List<Outcome> bad = all.stream().filter(o -> o.status() == TestExecutionResult.Status.FAILED).toList();
                List<Outcome> notRun = all.stream().filter(o -> o.status() == TestExecutionResult.Status.ABORTED).toList();
                int ran = all.size() - notRun.size();
                if (!bad.isEmpty()) {
                    failed++;
                    Outcome first = bad.get(0);
                    out.println("FAIL " + name + ": " + first.test() + ": " + first.message()
                            + (bad.size() > 1 ? " (and " + (bad.size() - 1) + " more of its " + ran + " tests)" : "")
                            + (notRun.isEmpty() ? "" : " (" + notRun.size() + " not run: " + reasons(notRun) + ")"));
                } else if (ran == 0) {
                    skipped++;
                    out.println("SKIP " + name + ": " + reasons(notRun));
                } else {
                    passed++;
                    out.println("PASS " + name + " (" + ran + (ran == 1 ? " test" : " tests")
                            + (notRun.isEmpty() ? "" : "; " + notRun.size() + " skipped: " + reasons(notRun)) + ")");
                }
            }
            out.println(passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : ""));
            return failed == 0 ? 0 : 1;
        }
    }

    private static String reasons(List<Outcome> notRun) {
        return String.join("; ", notRun.stream().map(Outcome::message).distinct().toList());
    }

    private static String word(TestExecutionResult.Status s) {
        return switch (s) {
            case SUCCESSFUL -> "passed";
            case FAILED -> "FAILED";
            case ABORTED -> "skipped";
        };
    }

    /** A failure's message on one line, and not a page long. */
    private static String oneLine(String s) {
        String flat = s.strip().replaceAll("\\s*\\n\\s*", " | ");
        return flat.length() > 400 ? flat.substring(0, 397) + "..." : flat;
    }
}
