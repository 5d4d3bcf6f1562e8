package fourways.testsuite;

import fourways.protocol.CommandTemplate;
import fourways.protocol.Link;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server that is a program, in any language, seen only from outside: each {@link #start} runs
 * its command with rule 20's options, reads its {@code listening on HOST:PORT} line, and
 * {@link Server#close} sends it SIGTERM. It costs a process start per server, about half a
 * second for a JVM.
 *
 * <p>Only the options that differ from rule 20's defaults are passed, so that a minimal server
 * that knows none of them still runs every test that needs none.
 */
public final class OutsideModel implements Model {
    /** Mono and a cold JVM both start within this, on a busy 2-core machine. */
    static final long START_SECONDS = 30;
    private static final String LISTENING = "listening on ";

    private final CommandTemplate server;

    public OutsideModel(CommandTemplate server) {
        this.server = server;
    }

    @Override
    public String name() {
        return server.toString();
    }

    /** Rule 20's options for {@code config}, those that differ from the defaults. */
    static List<String> options(ServerConfig config) {
        ServerConfig d = ServerConfig.defaults();
        List<String> args = new ArrayList<>();
        if (!config.host().equals(d.host())) args.addAll(List.of("--host", config.host()));
        if (config.service() != d.service()) args.addAll(List.of("--service", config.service().name().toLowerCase(java.util.Locale.ROOT)));
        if (config.oneShot()) args.add("--one-shot");
        if (config.maxFrame() != d.maxFrame()) args.addAll(List.of("--max-frame", String.valueOf(config.maxFrame())));
        if (config.maxBacklog() != d.maxBacklog()) {
            args.addAll(List.of("--max-backlog", String.valueOf(config.maxBacklog())));
        }
        if (!config.idleTimeout().equals(d.idleTimeout())) {
            // Whole seconds on a command line: a test's 300 ms becomes 1 s, never 0 (which means never).
            long millis = config.idleTimeout().toMillis();
            args.addAll(List.of("--idle-timeout", String.valueOf((millis + 999) / 1000)));
        }
        return args;
    }

    /** The process for {@code config}: the command with {@code {port}} and {@code {args}} filled in. */
    ProcessBuilder processFor(String port, List<String> args) {
        return new ProcessBuilder(server.command(port, args));
    }

    @Override
    public Server start(ServerConfig config) throws IOException {
        config.requirePlain(name());             // its options carry no certificate files
        ProcessBuilder builder = processFor(String.valueOf(config.port()), options(config));
        Path errors = Files.createTempFile("outside-server-", ".err");
        Process p = builder.redirectError(errors.toFile()).start();
        try {
            p.getOutputStream().close();                       // it reads sockets, not us: no pipe held open
            InputStream out = p.getInputStream();
            CompletableFuture<String> listening = CompletableFuture.supplyAsync(() -> listeningLine(out),
                    r -> Thread.ofPlatform().daemon().name("outside-server-start").start(r));
            String line;
            try {
                line = listening.get(START_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IOException("no 'listening on HOST:PORT' line within " + START_SECONDS + " s from "
                        + builder.command() + stderrTail(errors));
            } catch (ExecutionException | InterruptedException e) {
                throw new IOException("reading the output of " + builder.command() + ": " + e, e);
            }
            if (line == null) {
                p.waitFor(5, TimeUnit.SECONDS);                 // so that its last words are in the file
                throw new IOException(builder.command() + (p.isAlive() ? " closed its output" : " exited with status "
                        + p.exitValue()) + " before printing 'listening on HOST:PORT'" + stderrTail(errors));
            }
            InetSocketAddress address = address(line.substring(line.indexOf(LISTENING) + LISTENING.length()).trim());
            OutputStream sink = config.service() == ServerConfig.Service.SINK && config.sinkOutput() != ServerConfig.STDOUT
                    ? config.sinkOutput() : OutputStream.nullOutputStream();
            // Past the listening line, standard output is sink's (rule 8): copied byte for byte,
            // and always drained, so that a talkative server never blocks on a full pipe.
            Thread pump = Thread.ofPlatform().daemon().name("outside-server-output").start(() -> {
                try {
                    out.transferTo(sink);
                } catch (IOException ended) {
                    // the process is gone: its output ends here
                }
            });
            return new Running(p, address, pump, errors);
        } catch (IOException | RuntimeException | InterruptedException e) {
            stop(p);                                           // never leave a half-started server behind
            Files.deleteIfExists(errors);
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    /** Reads lines (bytes taken as UTF-8) until one holds {@code listening on }; null at end of output. */
    private static String listeningLine(InputStream in) {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) >= 0; ) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8).strip();
                if (text.contains(LISTENING)) return text;
                line.reset();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code 127.0.0.1:5000} or {@code [::1]:5000}, as rule 20 writes them. */
    static InetSocketAddress address(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        try {
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new IOException("the listening line does not end in HOST:PORT: '" + hostPort + "'");
        }
    }

    /** The last lines of a child's standard error, for a failure's message. */
    static String stderrTail(Path errors) throws IOException {
        List<String> said = Files.readAllLines(errors, StandardCharsets.UTF_8);
        if (said.isEmpty()) return "; its standard error is empty";
        return "; its standard error ends:\n  " + String.join("\n  ", said.subList(Math.max(0, said.size() - 8), said.size()));
    }

    /** Rule 14's way: SIGTERM to the program and anything it started, then SIGKILL after 5 s. */
    static void stop(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();                               // no time to be polite
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** A started program. */
    private record Running(Process process, InetSocketAddress address, Thread pump, Path errors) implements Server {
        @Override
        public void close() {
            stop(process);
            try {
                // The last sink lines, written before it died: the pipe ends once the process has
                // gone. An output that does not take them (a test's stalled one) is not waited for
                // long, or close() would outlast rule 14's 5 s for a reason that is not the server's.
                pump.join(TimeUnit.SECONDS.toMillis(2));
                Files.deleteIfExists(errors);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException cannotDelete) {
                // a temporary file left behind: nothing else to close
            }
        }
    }

    /** A program's client is another program: the black-box suite runs it as one ({@link BlackBoxSuite}). */
    @Override
    public Link connect(InetSocketAddress server) {
        throw new UnsupportedOperationException("an outside server brings no in-process client");
    }

    @Override
    public void load(InetSocketAddress server, LoadRun run) {
        throw new UnsupportedOperationException("an outside server brings no in-process client");
    }
}
