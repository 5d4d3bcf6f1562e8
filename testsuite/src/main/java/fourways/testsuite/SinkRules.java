package fourways.testsuite;

import static fourways.testsuite.Bytes.concat;
import static fourways.testsuite.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Frames;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md rule 8: sink prints one UTF-8 line per frame and sends nothing back. */
public abstract class SinkRules extends LimitRules {

    protected SinkRules(Model model, boolean overTls) {
        super(model, overTls);
    }

    @Test
    void rule08_sinkPrintsOneEscapedLinePerFrameAndSendsNothing() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Server server = start(ServerConfig.defaults().withService(ServerConfig.Service.SINK).withSinkOutput(printed));
        RawClient c = connect(server);
        c.sendRaw(concat(Frames.frame(utf8("你好 🌍")), Frames.frame(utf8("")), Frames.frame(utf8("a\nb\rc\\d")),
                Frames.frame(new byte[] {'x', (byte) 0xC3, '(', 'y'})));   // an ill-formed sequence
        String from = "127.0.0.1:" + c.localPort();
        String expected = from + " 你好 🌍\n" + from + " \n" + from + " a\\nb\\rc\\\\d\n" + from + " x\uFFFD(y\n";
        awaitOrFail(Duration.ofSeconds(10), () -> printed.size() >= utf8(expected).length, "four sink lines");
        assertEquals(expected, printed.toString(StandardCharsets.UTF_8));
        c.shutdownOutput();
        assertEquals(0, c.readToEnd().length, "sink never answers");
    }

    @Test
    void rule08_rule20_overIpv6LoopbackTheAddressIsBracketed() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Server server;
        try {
            server = closeLater(model.start(secured(ServerConfig.defaults().withHost("::1").withPort(0)
                    .withService(ServerConfig.Service.SINK).withSinkOutput(printed))));
        } catch (java.io.IOException noIpv6) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + noIpv6);
            return;
        }
        assertEquals("[::1]:" + server.address().getPort(), fourways.protocol.Addresses.format(server.address()));
        try (RawClient c = rawClient(server.address())) {
            c.sendFrame("over ::1");
            String expected = "[::1]:" + c.localPort() + " over ::1\n";
            awaitOrFail(Duration.ofSeconds(10), () -> printed.size() >= expected.length(), "the sink line");
            assertEquals(expected, printed.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void rule08_sinkOutputIsUtf8EvenUnderTheCLocaleAndSigtermExitsZero() throws Exception {
        ProcessBuilder builder = childProcess("server", "--port", "0", "--service", "sink");
        builder.environment().put("LC_ALL", "C");
        builder.environment().put("LANG", "C");
        // Standard error to a file: if the child fails, its last lines are the failure's message.
        Path errors = Files.createTempFile("sink-child-", ".err");
        AutoCloseable deleteErrors = () -> Files.deleteIfExists(errors);
        closeLater(deleteErrors);
        builder.redirectError(errors.toFile());
        Process p = builder.start();
        try {
            InputStream stdout = p.getInputStream();
            String listening = readLine(stdout, p, errors);
            int port = Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
            try (RawClient c = rawClient(new InetSocketAddress("127.0.0.1", port))) {
                c.sendFrame("中文 é 🌍");
                assertEquals("127.0.0.1:" + c.localPort() + " 中文 é 🌍", readLine(stdout, p, errors));
            }
            p.destroy();                                       // SIGTERM: rule 14 wants status 0 within 5 s
            assertEquals(true, p.waitFor(5, TimeUnit.SECONDS), "exited within 5 s");
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Rule 14 with sink on a standard output nobody reads: one connection's line is stuck in
     * a write, the others wait behind it, and close() must still end within rule 14's 5 s.
     */
    @Test
    void rule14_rule08_aSinkStuckOnItsOutputDoesNotHoldUpClose() throws Exception {
        plainOnly("what is stuck is the server's standard output, not a socket: the same over TLS");
        StalledOutput stdout = new StalledOutput();
        Server server = closeLater(model.start(secured(ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                .withService(ServerConfig.Service.SINK).withSinkOutput(stdout))));
        closeLater(stdout);                            // closed first after the test: the stuck writes end
        for (int i = 0; i < 4; i++) {
            connect(server).sendRaw(concat(Frames.frame(utf8("first " + i)), Frames.frame(utf8("second " + i))));
        }
        assertTrue(stdout.awaitBlocked(Duration.ofSeconds(10)), "a sink line is stuck on standard output");

        Thread closing = Thread.ofPlatform().name("test-close").start(server::close);
        closing.join(Duration.ofSeconds(5));

        assertFalse(closing.isAlive(), "rule 14: close() returned within 5 s although standard output is stuck");
    }

    /**
     * Rule 14, the whole process: sink's standard output is a pipe that nobody reads past the
     * {@code listening on} line. Once the pipe is full, SIGTERM still ends the server with
     * status 0 within 5 s (Cli's final flush of that stream waited for ever on the stuck write).
     */
    @Test
    void rule14_rule08_sigtermEndsASinkWhoseStandardOutputNobodyReads() throws Exception {
        plainOnly("what is stuck is the server's standard output, not a socket: the same over TLS");
        java.nio.file.Path stderr = java.nio.file.Files.createTempFile("sink-stderr", ".txt");
        Process p = childProcess("server", "--port", "0", "--service", "sink")
                .redirectError(stderr.toFile()).start();
        try {
            InputStream stdout = p.getInputStream();
            String listening = readLine(stdout, p, stderr);
            InetSocketAddress server = new InetSocketAddress("127.0.0.1",
                    Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1)));
            byte[] lines = new byte[0];
            for (int i = 0; i < 200; i++) lines = concat(lines, Frames.frame(Bytes.filler(1000, i)));
            for (int c = 0; c < 4; c++) {
                connect(server).sendRaw(lines);           // 800 lines of 1 KB: far more than a pipe holds
            }
            // A pipe holds 64 KiB: 64 lines of 1,017 bytes, and the 65th write waits for room.
            awaitOrFail(Duration.ofSeconds(20), () -> available(stdout) >= 65_000, "the stdout pipe filled up");

            p.destroy();                                   // SIGTERM

            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "rule 14: exited within 5 s");
            assertEquals(0, p.exitValue());
            // Whether a line was caught mid-write at that moment depends on the scheduler, so
            // the notice itself is SinkPrinterTest's to check; here: that, or nothing at all.
            String said = java.nio.file.Files.readString(stderr);
            assertTrue(said.isEmpty() || said.startsWith("sink: standard output is not taking lines"), said);
        } finally {
            p.destroyForcibly();
            java.nio.file.Files.deleteIfExists(stderr);
        }
    }

    private RawClient connect(InetSocketAddress server) throws java.io.IOException {
        return closeLater(rawClient(server));
    }

    private static int available(InputStream in) {
        try {
            return in.available();
        } catch (java.io.IOException closed) {
            return 0;                                      // the child is gone: the wait then fails
        }
    }

    /**
     * One line of a child's output, bytes taken as UTF-8, whatever this JVM's charset. If the
     * output ends first, the failure shows what came and the last lines of the child's
     * standard error, where a failed child says why.
     */
    static String readLine(InputStream in, Process child, Path stderr) throws IOException, InterruptedException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                child.waitFor(5, TimeUnit.SECONDS);            // so that its last words are in the file
                List<String> said = Files.readAllLines(stderr, StandardCharsets.UTF_8);
                throw new AssertionError("the child process ended its output after " + Bytes.show(line.toByteArray())
                        + (child.isAlive() ? "" : " and exited with status " + child.exitValue())
                        + (said.isEmpty() ? "; its standard error is empty"
                                : "; the last lines of its standard error:\n  "
                                + String.join("\n  ", said.subList(Math.max(0, said.size() - STDERR_LINES), said.size()))));
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** How much of a failed child's standard error a failure shows. */
    private static final int STDERR_LINES = 12;

    static BufferedReader utf8Reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    @Test
    void rule04_rule08_aClientStillSendingGetsTheErrorFrameThenACleanClose() throws Exception {
        stillSendingGetsTheErrorFrameThenACleanClose(ServerConfig.Service.SINK);
    }
}
