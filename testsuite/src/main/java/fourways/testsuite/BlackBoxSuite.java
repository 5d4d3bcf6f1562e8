package fourways.testsuite;

import fourways.protocol.CommandTemplate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared suite against programs seen only from outside ({@link BlackBox} runs it): the
 * server is {@link OutsideModel}, and where a rule runs this model's command line (the client
 * rules, rule 20, sink under the C locale) the outside program's command runs instead.
 *
 * <p>JUnit makes this class, so what to run comes through {@link #use}, set once before the run.
 */
public final class BlackBoxSuite extends ContractSuite {
    /** How long a command line may run: a load run of rules 17 and 19 ends well within it. */
    private static final long CLI_SECONDS = 45;
    private static final String NO_CLIENT = "a client's rule, and no --client-cmd";
    /** Rule 20's line with a real port: a usage text that quotes {@code listening on HOST:PORT} is not it. */
    private static final java.util.regex.Pattern LISTENING = java.util.regex.Pattern.compile("listening on \\S*:\\d+");

    /**
     * Every test's deadline (SuiteBase's {@code @Timeout}, made to hold): past it the runner
     * closes the test's sockets and stops the server ({@link HardDeadline}).
     */
    static final Duration DEADLINE = Duration.ofSeconds(60);
    /** A failed test that took this long was waiting: the rule's other tests would wait as long. */
    static final Duration WAITED = Duration.ofSeconds(5);

    @RegisterExtension
    static final HardDeadline HARD_DEADLINE = new HardDeadline(DEADLINE);

    /**
     * What the run is about: the two programs, the rules not to run with why not, and the
     * rules whose test failed after waiting (written by {@link BlackBox} as tests end).
     */
    record Setup(CommandTemplate server, CommandTemplate client, Map<Integer, String> skipped,
            Map<Integer, String> failedAfterWaiting) {}

    private static volatile Setup setup;

    static void use(Setup s) {
        setup = s;
    }

    private final Setup mine;

    public BlackBoxSuite() {
        super(new OutsideModel(setupOrFail().server()));
        this.mine = setup;
    }

    private static Setup setupOrFail() {
        if (setup == null) throw new IllegalStateException("BlackBoxSuite runs through BlackBox: java -jar testsuite.jar --help");
        return setup;
    }

    @BeforeEach
    void skipWhatWasAskedToBeSkipped(TestInfo test) {
        String name = test.getTestMethod().orElseThrow().getName();
        for (int rule : BlackBox.rules(name)) {
            Assumptions.assumeFalse(mine.skipped().containsKey(rule), mine.skipped().get(rule));
            // A server that made one test of this rule wait and fail (it answers nothing, say)
            // would make each of the others wait as long: a run against it must end in minutes.
            String failed = mine.failedAfterWaiting().get(rule);
            Assumptions.assumeTrue(failed == null, () -> "rule" + BlackBox.two(rule) + " failed already, after "
                    + "waiting (" + failed + ")");
            Assumptions.assumeFalse(rule >= 16 && rule <= 19 && mine.client() == null, NO_CLIENT);
        }
    }

    /** The outside command line: {@code server ...} is the server's command, {@code client ...} the client's. */
    @Override
    Run cli(String... args) {
        boolean server = args[0].equals("server");
        CommandTemplate template = server ? mine.server() : mine.client();
        Assumptions.assumeTrue(template != null, NO_CLIENT);
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        // The template's {port} takes the test's --port, so that rule 20's "--port 70000" is
        // said once, not after a --port {port} of the template's.
        String port = server ? "0" : "11000";
        int i = rest.indexOf("--port");
        if (template.hasPort() && i >= 0 && i + 1 < rest.size()) {
            port = rest.get(i + 1);
            rest.subList(i, i + 2).clear();
        }
        try {
            return run(new ProcessBuilder(template.command(port, rest)), server ? rest : null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + template, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sink under the C locale, SIGTERM (rule 8, rule 14): the server's own command. */
    @Override
    protected ProcessBuilder childProcess(String... args) {
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        int i = rest.indexOf("--port");
        String port = rest.get(i + 1);
        rest.subList(i, i + 2).clear();
        return ((OutsideModel) model).processFor(port, rest);
    }

    /**
     * Runs a command line to its end (killed after {@link #CLI_SECONDS}), both streams read as
     * they come. A server (given {@code serverOptions}) that prints {@code listening on} was
     * not meant to start here (rule 20's runs are bad options and {@code --help}): it ignored
     * what it was given, and is
     * stopped at once rather than after {@link #CLI_SECONDS}; the status is then -1 and
     * standard error's last line says why, as it does for a program killed at the limit.
     */
    private static Run run(ProcessBuilder builder, List<String> serverOptions) throws IOException, InterruptedException {
        Process p = builder.start();
        try {
            p.getOutputStream().close();                       // nothing to say to it
            CompletableFuture<String> listening = new CompletableFuture<>();
            CompletableFuture<String> out = drain(p.getInputStream(), serverOptions != null ? listening : null);
            CompletableFuture<String> err = drain(p.getErrorStream(), null);
            try {
                CompletableFuture.anyOf(p.onExit(), listening).get(CLI_SECONDS, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException stillRunning) {
                // told below
            }
            if (!p.isAlive()) return new Run(p.exitValue(), out.join(), err.join());
            OutsideModel.stop(p);
            String why = listening.isDone()
                    ? "(it printed '" + listening.join() + "' and kept running: it started on '"
                            + String.join(" ", serverOptions) + "', so it ignores what it does not know;"
                            + " rule 20 wants one line naming the option and status 2: stopped)"
                    : "(still running after " + CLI_SECONDS + " s: killed)";
            return new Run(-1, out.join(), err.join() + "\n" + why);
        } finally {
            OutsideModel.stop(p);
        }
    }

    /** All of a stream, as text; {@code listening}, where given, completes with the first line that holds {@code listening on}. */
    private static CompletableFuture<String> drain(InputStream in, CompletableFuture<String> listening) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int lineStart = 0;
            try (in) {
                for (int b; (b = in.read()) >= 0; ) {
                    bytes.write(b);
                    if (b != '\n' || listening == null) continue;
                    String line = new String(bytes.toByteArray(), lineStart, bytes.size() - lineStart,
                            StandardCharsets.UTF_8).strip();
                    if (LISTENING.matcher(line).find()) listening.complete(line);
                    lineStart = bytes.size();
                }
            } catch (IOException ended) {
                // killed: what came so far is what it said
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }, r -> Thread.ofPlatform().daemon().name("command-output").start(r));
    }
}
