package fourways.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.MessageClient;
import fourways.protocol.Model;
import fourways.protocol.Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Rules 21 and 24 against a real peer, not the JDK's own TLS: OpenSSL's {@code s_client}
 * exchanges a frame with the model's server, and the model's client gets its reply from
 * {@code s_server}. Skipped, with the reason, where no {@code openssl} is on the PATH. Every
 * wait is bounded, and every process is destroyed after the test.
 */
public abstract class OpenSslRules extends TlsRules {
    private static final Pattern ACCEPT = Pattern.compile("ACCEPT .*:(\\d+)");
    private static final long WAIT_SECONDS = 20;
    private final List<Process> processes = new ArrayList<>();

    protected OpenSslRules(Model model) {
        super(model);
    }

    @AfterEach
    void destroyProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        processes.clear();
    }

    /** Rule 24: OpenSSL's client, checking the certificate for 127.0.0.1, gets the echo. */
    @Test
    void rule24_opensslClientExchangesAFrameWithTheServer() throws Exception {
        Server server = startEcho();
        Process p = openssl(false, "s_client", "-connect", "127.0.0.1:" + server.address().getPort(), "-quiet",
                "-CAfile", TestPki.get().file("ca.pem").toString(), "-verify_return_error", "-verify_ip", "127.0.0.1");
        p.getOutputStream().write("from openssl<EOF>".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        String expected = "Server return :from openssl<EOF>";
        assertEquals(expected, readBytes(p.getInputStream(), expected.length(), p));
    }

    /** Rule 21: TLS 1.1 is refused with a protocol_version alert, even from a client willing to speak it. */
    @Test
    void rule21_opensslTls11IsRefused() throws Exception {
        Server server = startEcho();
        Process p = openssl(true, "s_client", "-connect", "127.0.0.1:" + server.address().getPort(), "-tls1_1",
                "-cipher", "DEFAULT@SECLEVEL=0");
        p.getOutputStream().close();
        String all = readAll(p);
        assertNotEquals(0, p.exitValue(), all);
        assertTrue(all.contains("protocol version") || all.contains("no protocols available"), all);
    }

    /**
     * Rule 21: no renegotiation, asked for the way an operator would, with s_client's
     * {@code R} command over TLS 1.2: the server refuses it with a handshake_failure alert.
     */
    @Test
    void rule21_opensslRenegotiationIsRefused() throws Exception {
        Server server = startEcho();
        Process p = openssl(true, "s_client", "-connect", "127.0.0.1:" + server.address().getPort(), "-tls1_2",
                "-CAfile", TestPki.get().file("ca.pem").toString());
        p.getOutputStream().write("R\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        String all = readAll(p);
        assertTrue(all.contains("RENEGOTIATING"), all);
        assertTrue(all.contains("handshake failure"), "refused with an alert: " + all);
    }

    /**
     * Rule 24, the other way: the model's client in message mode against {@code s_server},
     * which answers with the fixed frame it reads from its standard input.
     */
    @Test
    void rule24_theModelsClientGetsItsReplyFromOpensslServer() throws Exception {
        Process p = openssl(true, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
                "-cert", TestPki.get().file("server.pem").toString(), "-key", TestPki.get().file("server.key").toString());
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int port = acceptPort(p.getInputStream(), seen);
        // s_server sends what it reads, once a client is there; no newline, so the reply is the frame alone.
        p.getOutputStream().write("Server return :hi<EOF>".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<Integer> unanswered = CompletableFuture.supplyAsync(() -> {
            try {
                return new MessageClient(model, new InetSocketAddress("127.0.0.1", port), tls,
                        new PrintStream(out, true, StandardCharsets.UTF_8)).run(List.of("hi"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertEquals(0, unanswered.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertEquals("Server return :hi" + System.lineSeparator(), out.toString(StandardCharsets.UTF_8));
    }

    /** @param withStderr its standard error with its output; else dropped (s_client's notes, say) */
    private Process openssl(boolean withStderr, String... args) throws IOException {
        Path openssl = onPath("openssl");
        Assumptions.assumeTrue(openssl != null, "no openssl on the PATH: the OpenSSL interop tests are skipped");
        List<String> command = new ArrayList<>(List.of(openssl.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (withStderr) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        }
        Process p = builder.start();
        processes.add(p);
        return p;
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (!dir.isEmpty() && Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }

    /** Exactly {@code n} bytes of {@code in}, within the wait; what came, if fewer. */
    private static String readBytes(InputStream in, int n, Process p) throws Exception {
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return in.readNBytes(n);
            } catch (IOException e) {
                return new byte[0];
            }
        });
        try {
            return new String(read.get(WAIT_SECONDS, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1);
        } finally {
            p.destroyForcibly();                              // ends the read, if it is still waiting
        }
    }

    /** Everything the process prints until it exits, within the wait. */
    private static String readAll(Process p) throws Exception {
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        assertTrue(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "openssl exits");
        return new String(read.get(WAIT_SECONDS, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1);
    }

    /** s_server's "ACCEPT 127.0.0.1:PORT" line: the port it listens on. */
    private static int acceptPort(InputStream in, ByteArrayOutputStream seen) throws Exception {
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try {
                StringBuilder line = new StringBuilder();
                for (int c; (c = in.read()) >= 0; ) {
                    seen.write(c);
                    if (c != '\n') {
                        line.append((char) c);
                        continue;
                    }
                    Matcher m = ACCEPT.matcher(line);
                    if (m.find()) return Integer.parseInt(m.group(1));
                    line.setLength(0);
                }
            } catch (IOException e) {
                // falls through
            }
            return -1;
        });
        int p = port.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(p > 0, "s_server printed no ACCEPT line: " + seen.toString(StandardCharsets.ISO_8859_1));
        return p;
    }
}
