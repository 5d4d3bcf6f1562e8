package fourways.testsuite;

import fourways.protocol.CommandTemplate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

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

    /** What the run is about: the two programs, and the rules not to run with why not. */
    record Setup(CommandTemplate server, CommandTemplate client, Map<Integer, String> skipped) {}

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
            return run(new ProcessBuilder(template.command(port, rest)));
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

    /** Runs a command line to its end (killed after {@link #CLI_SECONDS}), both streams read as they come. */
    private static Run run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process p = builder.start();
        try {
            p.getOutputStream().close();                       // nothing to say to it
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(CLI_SECONDS, TimeUnit.SECONDS)) {
                OutsideModel.stop(p);
                return new Run(-1, out.join(), err.join() + "\n(still running after " + CLI_SECONDS + " s: killed)");
            }
            return new Run(p.exitValue(), out.join(), err.join());
        } finally {
            OutsideModel.stop(p);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (in) {
                in.transferTo(bytes);
            } catch (IOException ended) {
                // killed: what came so far is what it said
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }, r -> Thread.ofPlatform().daemon().name("command-output").start(r));
    }
}
