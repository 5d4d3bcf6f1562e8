package fourways.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The command line every module shares (rule 20), run through {@link Cli#run} with a fake
 * {@link Model}: no socket is opened, and stdout and stderr are captured byte for byte.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CliTest {
    private final FakeModel model = new FakeModel();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private int waits;

    private int run(String... args) {
        return Cli.run(model, args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), () -> waits++);
    }

    // ---- bad options: exit 2, nothing on stdout, one line naming the option, one pointing to --help ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "server --bogus                              | --bogus",
        "server --port 70000                         | --port",
        "server --port -1                            | --port",
        "server --port abc                           | --port",
        "server --port                               | --port",
        "server --service bogus                      | --service",
        "server --max-frame -1                       | --max-frame",
        "server --max-backlog 0                      | --max-backlog",
        "server --idle-timeout -1                    | --idle-timeout",
        "server --one-shot --service chat            | --one-shot",
        "server --one-shot --service sink            | --one-shot",
        "server --threads 4                          | --threads",
        "client --port 70000 hello                   | --port",
        "client --connections 2 hello                | --connections",
        "client                                      | MESSAGE",
        "client --connections 2                      | --messages",
        "client --messages 2                         | --connections",
        "client --connections 0 --messages 1         | --connections",
        "client --connections 1 --messages 1 --rate 0 | --rate",
        "client --connections 1 --messages 1 --pipeline 0 | --pipeline",
        "client --connections 1 --messages 1 --size -1 | --size",
        "client --connections 1 --messages 1 --timeout 0 | --timeout",
        "client --connections 1 --messages 1 --timeout x | --timeout",
        "frobnicate                                  | frobnicate",
        // Issue 13: one past the largest value each numeric option accepts, refused at start.
        "server --idle-timeout 99999999999           | --idle-timeout",
        "server --idle-timeout 31536001              | --idle-timeout",
        "server --idle-timeout 99999999999999999999  | --idle-timeout",
        "server --max-frame 1073741825               | --max-frame",
        "server --max-frame 2147483647               | --max-frame",
        "server --max-frame 2147483648               | --max-frame",
        "server --max-backlog 2147483648             | --max-backlog",
        "server --max-frame x                        | --max-frame",
        "client --connections 238329 --messages 1    | --connections",
        "client --connections 1 --messages 916132833 | --messages",
        "client --connections 1 --messages 1 --size 7 | --size",
        "client --connections 1 --messages 1 --size 0 | --size",
        "client --connections 1 --messages 1 --size 1073741825 | --size",
        "client --connections 1 --messages 1 --size 2147483647 | --size",
        "client --connections 1 --messages 1 --pipeline 65537 | --pipeline",
        "client --connections 1 --messages 1 --timeout 31536001 | --timeout",
        "client --connections 1 --messages 1 --timeout 9223372036854775807 | --timeout",
        "client --connections 1 --messages 1 --rate 1e-300 | --rate",
        "client --connections 1 --messages 1 --rate 0.0009 --timeout 1000 | --rate",
        "client --connections 1 --messages 1 --rate NaN | --rate",
        "client --connections 1 --messages 1 --rate Infinity | --rate",
        "client --connections 1 --messages 1 --rate -1 | --rate",
        "client --connections 1 --messages 1 --rate 10,NaN | --rate",
        "client --connections 1 --messages 1,916132833 --rate 10,20 | --messages",
    })
    void rule20_badOptionExits2AndNamesTheOption(String args, String named) {
        int status = run(args.trim().split("\\s+"));

        assertEquals(Cli.BAD_OPTION, status);
        assertEquals("", stdout(), "nothing on standard output");
        List<String> lines = stderr().lines().toList();
        assertTrue(lines.size() >= 1 && lines.size() <= 2, "one or two lines, not the usage: " + lines);
        assertTrue(lines.get(0).contains(named), "the first line names " + named + ": " + lines.get(0));
        assertTrue(lines.get(lines.size() - 1).contains("--help"), "and points to --help: " + lines);
        assertNull(model.started, "no server was started");
        assertNull(model.loaded, "no load run was started");
    }

    // ---- rules 21 to 23: TLS options that do not go together, and files that cannot be used ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "server --tls                                            | --tls",
        "server --keystore $/ks.p12 --keystore-password-file $/right.pass | --tls",
        "server --cert $/c.pem --key $/k.pem                     | --tls",
        "server --client-auth                                    | --tls",
        "server --tls --keystore $/ks.p12 --keystore-password-file $/right.pass --cert $/c.pem --key $/k.pem | --keystore",
        "server --tls --keystore $/ks.p12                        | --keystore-password-file",
        "server --tls --keystore-password-file $/right.pass      | --keystore",
        "server --tls --cert $/c.pem                             | --key",
        "server --tls --key $/k.pem                              | --cert",
        "server --tls --cert $/c.pem --key $/k.pem --client-auth | --trust",
        "server --tls --cert $/c.pem --key $/k.pem --trust $/c.pem | --client-auth",
        "server --tls --keystore $/ks.p12 --keystore-password-file $/wrong.pass | --keystore",
        "server --tls --keystore $/garbage.pem --keystore-password-file $/right.pass | --keystore",
        "server --tls --keystore $/nokey.p12 --keystore-password-file $/right.pass | --keystore",
        "server --tls --keystore $/missing.p12 --keystore-password-file $/right.pass | --keystore",
        "server --tls --keystore $/ks.p12 --keystore-password-file $/missing.pass | --keystore-password-file",
        "server --tls --cert $/garbage.pem --key $/k.pem         | --cert",
        "server --tls --cert $/text.txt --key $/k.pem            | --cert",
        "client --tls hello                                      | --tls",
        "client --trust $/c.pem hello                            | --tls",
        "client --insecure hello                                 | --tls",
        "client --tls --insecure --trust $/c.pem hello           | --insecure",
        "client --tls --insecure --cert $/c.pem hello            | --key",
        "client --tls --trust $/garbage.pem hello                | --trust",
        "client --tls --trust $/missing.pem hello                | --trust",
        "client --tls --trust $/nokey.p12 hello                  | --trust",
    })
    void rule21_badTlsOptionExits2AndNamesTheOption(String args, String named, @TempDir Path dir) throws Exception {
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, null);
        try (OutputStream o = Files.newOutputStream(dir.resolve("nokey.p12"))) {
            empty.store(o, "right".toCharArray());      // a keystore, but with no key in it
        }
        Files.copy(dir.resolve("nokey.p12"), dir.resolve("ks.p12"));
        Files.writeString(dir.resolve("right.pass"), "right\n");
        Files.writeString(dir.resolve("wrong.pass"), "wrong\n");
        Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        Files.writeString(dir.resolve("text.txt"), "hello\n");

        int status = run(args.trim().replace("$", dir.toString()).split("\\s+"));

        assertEquals(Cli.BAD_OPTION, status, stderr());
        assertEquals("", stdout(), "nothing on standard output");
        List<String> lines = stderr().lines().toList();
        assertEquals(2, lines.size(), "one line, and one pointing to --help: " + lines);
        assertTrue(lines.get(0).contains(named), "the first line names " + named + ": " + lines.get(0));
        assertTrue(lines.get(1).contains("--help"), "and points to --help: " + lines);
        assertNull(model.started, "no server was started");
    }

    /** Rule 21: a server on an expired certificate starts, after one line that says so (see PROTOCOL.md). */
    @Test
    void rule21_aServerOnAnExpiredCertificateWarnsInOneLineAndStarts(@TempDir Path dir) throws Exception {
        java.time.Instant now = java.time.Instant.now();
        TestCertificates.Made lapsed = TestCertificates.selfSigned(dir, "lapsed",
                now.minus(java.time.Duration.ofDays(9)), now.minus(java.time.Duration.ofDays(1)));

        int status = run("server", "--port", "0", "--tls", "--cert", lapsed.pem().toString(), "--key", lapsed.key().toString());

        assertEquals(Cli.OK, status, stderr());
        List<String> lines = stderr().lines().toList();
        assertEquals(1, lines.size(), "one line: " + lines);
        assertTrue(lines.get(0).startsWith("fake: warning: " + lapsed.pem() + ": the certificate CN=lapsed expired on "), lines.get(0));
        assertTrue(lines.get(0).endsWith("; clients that check it will refuse it"), lines.get(0));
        assertTrue(stdout().startsWith("listening on "), stdout());
    }

    /** Rule 23: an expired --trust anchor is a bad file, named with its dates, before any connect. */
    @Test
    void rule23_anExpiredTrustAnchorIsABadOption(@TempDir Path dir) throws Exception {
        java.time.Instant now = java.time.Instant.now();
        TestCertificates.Made lapsed = TestCertificates.selfSigned(dir, "lapsed",
                now.minus(java.time.Duration.ofDays(9)), now.minus(java.time.Duration.ofDays(1)));

        int status = run("client", "--tls", "--trust", lapsed.pem().toString(), "hello");

        assertEquals(Cli.BAD_OPTION, status, stderr());
        List<String> lines = stderr().lines().toList();
        assertTrue(lines.get(0).startsWith("Invalid value for option '--trust': " + lapsed.pem()
                + ": the certificate CN=lapsed expired on "), lines.get(0));
        assertTrue(lines.get(0).contains(" (valid from "), lines.get(0));
        assertEquals("", stdout());
    }

    /** Rule 21: a password file that is not UTF-8 names the option and the file, not "Input length = 1". */
    @Test
    void rule21_aPasswordFileThatIsNotUtf8NamesTheOptionAndTheFile(@TempDir Path dir) throws Exception {
        java.time.Instant now = java.time.Instant.now();
        TestCertificates.Made made = TestCertificates.selfSigned(dir, "server",
                now.minus(java.time.Duration.ofDays(1)), now.plus(java.time.Duration.ofDays(1)));
        Path jks = TestCertificates.jksWithKeyPassword(made, dir.resolve("server.jks"), "secret", "secret");
        Path latin1 = Files.write(dir.resolve("latin1.pass"), "pässwört\n".getBytes(StandardCharsets.ISO_8859_1));

        int status = run("server", "--tls", "--keystore", jks.toString(), "--keystore-password-file", latin1.toString());

        assertEquals(Cli.BAD_OPTION, status, stderr());
        assertEquals("Invalid value for option '--keystore-password-file': " + latin1
                + ": not UTF-8 text; the password is the file's first line, in UTF-8", stderr().lines().findFirst().orElseThrow());
        assertNull(model.started);
    }

    @Test
    void rule23_aModelWithoutTlsSaysSoRatherThanSpeakPlainTcp() {
        int status = run("client", "--tls", "--insecure", "hello");

        assertEquals(Cli.BAD_OPTION, status);
        List<String> lines = stderr().lines().toList();
        assertEquals("fake: warning: --insecure: the server's certificate is not checked;"
                + " anyone on the path can read and change this traffic", lines.get(0));
        assertEquals("Option '--tls': fake has no TLS client yet", lines.get(1));
        assertEquals("", stdout());
    }

    @Test
    void rule20_noSubcommandIsABadOption() {
        assertEquals(Cli.BAD_OPTION, run());
        assertEquals("", stdout());
        assertTrue(stderr().lines().findFirst().orElseThrow().contains("server|client"), stderr());
    }

    // ---- --help ----

    @Test
    void rule20_helpPrintsTheUsageOnStandardOutputAndExits0() {
        assertEquals(Cli.OK, run("--help"));
        assertTrue(stdout().startsWith("Usage: fake"), stdout());
        assertEquals("", stderr());
    }

    @Test
    void rule20_subcommandHelpListsItsOptions() {
        assertEquals(Cli.OK, run("server", "--help"));
        for (String option : List.of("--host", "--port", "--service", "--one-shot", "--max-frame", "--max-backlog",
                "--idle-timeout")) {
            assertTrue(stdout().contains(option), option + " in " + stdout());
        }
        assertEquals("", stderr());
        assertNull(model.started);
    }

    // ---- server ----

    @Test
    void rule20_serverPrintsListeningLineThenRunsUntilStopped() {
        int status = run("server", "--port", "0");

        assertEquals(Cli.OK, status);
        assertEquals("listening on 127.0.0.1:54321" + System.lineSeparator(), stdout(), "the port the system picked");
        assertEquals("", stderr());
        assertEquals(1, waits);
        assertTrue(model.closed, "rule 14: the server is closed once the waiter returns");
    }

    @Test
    void rule20_serverDefaultsAndOptionsReachTheModel() {
        run("server");
        ServerConfig defaults = model.started;
        assertEquals("127.0.0.1", defaults.host());
        assertEquals(11_000, defaults.port());
        assertEquals(ServerConfig.Service.ECHO, defaults.service());
        assertEquals(65_536, defaults.maxFrame());
        assertEquals(1 << 20, defaults.maxBacklog());
        assertEquals(60, defaults.idleTimeout().toSeconds());

        run("server", "--host", "::1", "--port", "0", "--service", "CHAT", "--max-frame", "10",
                "--max-backlog", "100", "--idle-timeout", "0");
        ServerConfig chosen = model.started;
        assertEquals("::1", chosen.host());
        assertEquals(ServerConfig.Service.CHAT, chosen.service());
        assertEquals(10, chosen.maxFrame());
        assertEquals(100, chosen.maxBacklog());
        assertTrue(!chosen.idleTimeoutEnabled(), "rule 13: 0 turns it off");
    }

    @Test
    void rule07_oneShotWithEchoIsFine() {
        assertEquals(Cli.OK, run("server", "--port", "0", "--one-shot"));
        assertTrue(model.started.oneShot());
    }

    @Test
    void rule20_aModelsThreadOptionIsParsedAndChecked() {
        model.threads = new Model.ThreadsOption("--threads", "Threads of the group.");

        assertEquals(Cli.OK, run("server", "--port", "0", "--threads", "4"));
        assertEquals(4, model.started.threads());

        model.started = null;
        assertEquals(Cli.BAD_OPTION, run("server", "--threads", "-1"));
        assertTrue(stderr().lines().findFirst().orElseThrow().contains("--threads"), stderr());
        assertNull(model.started);
    }

    /** Issue 13: the largest value each server option accepts reaches the model intact. */
    @Test
    void rule20_theLargestServerValuesAreAccepted() {
        model.threads = new Model.ThreadsOption("--threads", "Threads of the group.");

        assertEquals(Cli.OK, run("server", "--port", "65535", "--max-frame", "1073741824", "--max-backlog",
                "2147483647", "--idle-timeout", "31536000", "--threads", "1024"), stderr());

        assertEquals(1 << 30, model.started.maxFrame());
        assertEquals(Integer.MAX_VALUE, model.started.maxBacklog());
        assertEquals(31_536_000, model.started.idleTimeout().toSeconds());
        assertEquals(365L * 24 * 3600 * 1_000_000_000, model.started.idleTimeout().toNanos(), "no overflow");
        assertEquals(1024, model.started.threads());
        assertEquals(Cli.BAD_OPTION, run("server", "--threads", "1025"));
        assertTrue(stderr().contains("--threads"), stderr());
    }

    /** Issue 13: the smallest and largest load values are accepted, and reach the plan. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--size 8 --pipeline 1 --timeout 1                  | 8  | 1     | 1",
        "--size 64 --pipeline 65536 --timeout 31536000      | 64 | 65536 | 31536000",
        "--rate 0.001 --timeout 1000                        | 64 | 1     | 1000",
        "--rate 1e9 --timeout 1                             | 64 | 1     | 1",
    })
    void rule17_loadOptionsAtTheirEdgesAreAccepted(String options, int size, int pipeline, long timeout) {
        String[] load = ("client --port 54321 --connections 1 --messages 1 " + options).trim().split("\\s+");

        assertEquals(Cli.OK, run(load), stderr());

        assertEquals(size, model.loaded.plan().size());
        assertEquals(pipeline, model.loaded.plan().pipeline());
        assertEquals(timeout, model.loaded.plan().timeout().toSeconds());
        assertTrue(model.loaded.deadlineNanos() - System.nanoTime() > 0, "the deadline did not overflow");
    }

    @Test
    void aServerThatCannotListenExits1() {
        model.cannotListen = true;

        assertEquals(Cli.FAILED, run("server", "--port", "0"));

        assertEquals("", stdout(), "no listening line");
        assertTrue(stderr().contains("cannot listen"), stderr());
    }

    // ---- client ----

    @Test
    void rule18_loadModePrintsTheResultLineAndExits0WhenClean() {
        int status = run("client", "--port", "54321", "--connections", "3", "--messages", "7", "--pipeline", "2");

        assertEquals(Cli.OK, status);
        String line = stdout().strip();
        assertTrue(LoadRunTest.RESULT.matcher(line).matches(), line);
        assertEquals(21, LoadRunTest.field(line, "messages"));
        assertEquals(2, model.loaded.plan().pipeline());
        assertEquals("", stderr());
    }

    @Test
    void rule18_warmUpRunsFirstAndTheResultLineCoversOnlyTheMeasuredRun() {
        int status = run("client", "--connections", "3", "--messages", "7", "--warm-up", "50");

        assertEquals(Cli.OK, status);
        assertEquals(3, model.loads.size(), "a warm-up run in two halves, then the measured run");
        assertEquals(25, model.loads.get(0).plan().messages());
        assertEquals(25, model.loads.get(1).plan().messages());
        assertEquals(3, model.loads.get(0).plan().connections());
        String line = stdout().strip();
        assertTrue(LoadRunTest.RESULT.matcher(line).matches(), line);
        assertEquals(21, LoadRunTest.field(line, "messages"), "the warm-up's 150 replies are not reported");
        // One status line on standard error, for a harness that times something against the
        // measured run (the side-by-side run's stall); standard output stays rule 18's line.
        assertEquals("# warm-up done, measuring\n", stderr().replace("\r\n", "\n"));
    }

    @Test
    void rule18_aFailedWarmUpIsSaidAndTheExitStatusIs1() {
        model.loadDoesNothing = true;

        int status = run("client", "--connections", "2", "--messages", "1", "--warm-up", "5");

        assertEquals(Cli.FAILED, status);
        assertEquals(2, model.loads.size());
        assertTrue(LoadRunTest.RESULT.matcher(stdout().strip()).matches(), stdout());
    }

    @Test
    void rule20_aNegativeWarmUpIsRefused() {
        assertEquals(Cli.BAD_OPTION, run("client", "--connections", "1", "--messages", "1", "--warm-up", "-1"));
        assertTrue(model.loads.isEmpty());
        assertTrue(stderr().startsWith("Invalid value for option '--warm-up'"), stderr());
    }

    @Test
    void rule18_aFailedRunStillPrintsItsLineAndExits1() {
        model.loadDoesNothing = true;

        int status = run("client", "--connections", "2", "--messages", "1");

        assertEquals(Cli.FAILED, status);
        String line = stdout().strip();
        assertTrue(LoadRunTest.RESULT.matcher(line).matches(), line);
        assertEquals(2, LoadRunTest.field(line, "errors"));
    }

    // ---- rule 19's ladder: several rates, one process ----

    @Test
    void rule19_severalRatesRunInOrderAfterOneWarmUpEachWithItsOwnResultLine() {
        int status = run("client", "--port", "54321", "--connections", "2", "--pipeline", "4",
                "--rate", "1000,2000", "--messages", "5,8", "--warm-up", "6");

        assertEquals(Cli.OK, status, stderr());
        assertEquals(List.of(1000.0, 1000.0, 1000.0, 2000.0), model.loads.stream().map(l -> l.plan().rate()).toList(),
                "the warm-up's two halves at the first rate, then one run per rate, in order");
        assertEquals(List.of(3, 3, 5, 8), model.loads.stream().map(l -> l.plan().messages()).toList());
        List<String> lines = stdout().lines().toList();
        assertEquals(2, lines.size(), stdout());
        for (String line : lines) assertTrue(LoadRunTest.RESULT_OPEN.matcher(line).matches(), line);
        assertEquals(10, LoadRunTest.field(lines.get(0), "messages"), "2 connections x 5 at the first rate");
        assertEquals(16, LoadRunTest.field(lines.get(1), "messages"), "2 connections x 8 at the second");
        assertEquals("# warm-up done, measuring\n", stderr().replace("\r\n", "\n"), "said once, before the first rate");
    }

    @Test
    void rule19_oneMessageCountServesEveryRate() {
        int status = run("client", "--port", "54321", "--connections", "3", "--rate", "1000,1500,3000", "--messages", "4");

        assertEquals(Cli.OK, status, stderr());
        assertEquals(List.of(4, 4, 4), model.loads.stream().map(l -> l.plan().messages()).toList(), "no warm-up asked");
        assertEquals(List.of(12L, 12L, 12L), stdout().lines().map(l -> LoadRunTest.field(l, "messages")).toList());
    }

    @Test
    void rule19_eachRatesHistogramsGoUnderThePrefixAndTheRateOfferedInAll(@TempDir Path dir) throws IOException {
        String prefix = dir.resolve("trial").toString();

        int status = run("client", "--port", "54321", "--connections", "2", "--rate", "1000,2500", "--messages", "5,7",
                "--hgrm", prefix);

        assertEquals(Cli.OK, status, stderr());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("trial.2000.from-send.hgrm", "trial.2000.hgrm", "trial.2000.late.hgrm",
                    "trial.5000.from-send.hgrm", "trial.5000.hgrm", "trial.5000.late.hgrm"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "2 x 1000 and 2 x 2500 frames/s");
        }
        assertTrue(Files.readString(dir.resolve("trial.2000.hgrm")).contains("Total count    =           10"),
                "the first rate's 10 replies");
        assertTrue(Files.readString(dir.resolve("trial.5000.late.hgrm")).contains("Total count    =           14"),
                "the second rate's 14 frames");
    }

    @Test
    void rule19_oneRateKeepsThePrefixAsItIs(@TempDir Path dir) throws IOException {
        int status = run("client", "--port", "54321", "--connections", "2", "--rate", "1000", "--messages", "5",
                "--hgrm", dir.resolve("trial").toString());

        assertEquals(Cli.OK, status, stderr());
        assertEquals(1, stdout().lines().count(), stdout());
        assertEquals(10, LoadRunTest.field(stdout().strip(), "messages"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("trial.from-send.hgrm", "trial.hgrm", "trial.late.hgrm"),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--rate 10,20 --messages 1,2,3 | 3 frame counts for 2 rates",
        "--rate 10 --messages 1,2      | 2 frame counts for one rate",
        "--messages 1,2                | 2 frame counts for no rate",
    })
    void rule19_messageCountsThatMatchNeitherOneNorEveryRateAreABadOption(String options, String said) {
        String[] args = ("client --connections 1 " + options).trim().split("\\s+");

        assertEquals(Cli.BAD_OPTION, run(args));

        assertEquals("", stdout());
        assertEquals(List.of("Options '--messages' and '--rate' do not go together: " + said.strip()
                + "; give one count, or one per rate", "Try 'fake client --help' for more."), stderr().lines().toList());
        assertTrue(model.loads.isEmpty(), "nothing ran");
    }

    @Test
    void rule19_aLadderWithAFailedRateStillPrintsEveryLineAndExits1() {
        model.loadDoesNothing = true;

        int status = run("client", "--connections", "2", "--rate", "100,200", "--messages", "1");

        assertEquals(Cli.FAILED, status);
        assertEquals(List.of(2L, 2L), stdout().lines().map(l -> LoadRunTest.field(l, "errors")).toList(),
                "each rate's two connections, cut short");
    }

    @Test
    void rule16_messageModePrintsEachReplyOnItsOwnLine() {
        int status = run("client", "hello", "你好");

        assertEquals(Cli.OK, status);
        assertEquals("Server return :hello" + System.lineSeparator() + "Server return :你好" + System.lineSeparator(),
                stdout());
        assertEquals("", stderr());
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A model that opens nothing: its server only has an address, its client echoes in memory. */
    private static final class FakeModel implements Model {
        ServerConfig started;
        LoadRun loaded;
        final List<LoadRun> loads = new ArrayList<>();
        boolean closed;
        boolean cannotListen;
        boolean loadDoesNothing;
        ThreadsOption threads;

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Server start(ServerConfig config) throws IOException {
            if (cannotListen) throw new IOException("Address already in use");
            started = config;
            return new Server() {
                @Override
                public InetSocketAddress address() {
                    return new InetSocketAddress("127.0.0.1", 54321);
                }

                @Override
                public void close() {
                    closed = true;
                }
            };
        }

        @Override
        public Link connect(InetSocketAddress server) {
            return new EchoLink();
        }

        @Override
        public void load(InetSocketAddress server, LoadRun run) {
            loaded = run;
            loads.add(run);
            if (loadDoesNothing) return;
            try {
                InMemoryEcho.drive(run);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public ThreadsOption threadsOption() {
            return threads;
        }
    }

    /** A message-mode connection to an echo server in memory. */
    private static final class EchoLink implements Link {
        private final FrameDecoder server = new FrameDecoder(Frames.DEFAULT_MAX_FRAME);
        private final ArrayDeque<ByteBuffer> replies = new ArrayDeque<>();

        @Override
        public void send(ByteBuffer bytes) throws IOException {
            try {
                server.decode(bytes, p -> replies.add(Frames.echoReply(p)));
            } catch (FrameDecoder.FrameTooLongException e) {
                throw new IOException(e);
            }
        }

        @Override
        public int receive(ByteBuffer into) {
            ByteBuffer next = replies.peek();
            if (next == null) return -1;
            int n = Math.min(into.remaining(), next.remaining());
            into.put(next.slice(next.position(), n));
            next.position(next.position() + n);
            if (!next.hasRemaining()) replies.poll();
            return n;
        }

        @Override
        public void close() {}
    }
}
