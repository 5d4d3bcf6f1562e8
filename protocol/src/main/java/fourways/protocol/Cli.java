package fourways.protocol;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The command line of every module (rule 20), parsed by picocli: {@code server} and
 * {@code client}, the same options everywhere, plus the model's own thread option.
 * A module's {@code main} is one line: {@code Cli.main(new SomeModel(), args)}.
 */
public final class Cli {
    /** Exit statuses: rule 20 fixes 2 for a bad option; 1 is any other failure. */
    public static final int OK = 0, FAILED = 1, BAD_OPTION = 2;

    private Cli() {}

    /** For a module's {@code main}: standard streams as UTF-8, then exit with the status. */
    public static void main(Model model, String[] args) {
        main((out, err, untilStopped) -> run(model, args, out, err, untilStopped));
    }

    /**
     * For any {@code main} built on this command line (the coursework's, which puts one per
     * exercise under its own): standard streams as UTF-8, SIGINT and SIGTERM as the stop, then
     * exit with the status the program returns.
     */
    public static void main(Program program) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = program.run(out, err, new SignalWaiter());
        // No final out.flush(): both streams flush on every line already, and sink writes its
        // lines through this stream, so a write stuck on a stdout nobody reads holds its lock,
        // and a flush here would wait for it forever instead of exiting (rule 14).
        System.exit(status);
    }

    /** A command line's whole run, given its streams and its stop: returns the exit status. */
    @FunctionalInterface
    public interface Program {
        int run(PrintStream out, PrintStream err, Waiter untilStopped);
    }

    /**
     * Parses {@code args} and runs the subcommand. A {@code server} runs until
     * {@code untilStopped} returns; the real main waits for SIGINT or SIGTERM (rule 14).
     */
    public static int run(Model model, String[] args, PrintStream out, PrintStream err, Waiter untilStopped) {
        return configure(command(model, out, err, untilStopped), out, err).execute(args);
    }

    /** The model's command, {@code server} and {@code client}, not yet configured to run. */
    public static CommandLine command(Model model, PrintStream out, PrintStream err, Waiter untilStopped) {
        CommandLine cli = new CommandLine(new Top(model.name())).setCommandName(model.name())
                .addSubcommand("server", new ServerCommand(model, out, err, untilStopped))
                .addSubcommand("client", new ClientCommand(model, out, err));
        Model.ThreadsOption threads = model.threadsOption();
        if (threads != null) {
            cli.getSubcommands().get("server").getCommandSpec().addOption(OptionSpec.builder(threads.name())
                    .paramLabel("N").type(int.class).defaultValue("0").description(threads.description()).build());
        }
        return cli;
    }

    /**
     * Rule 20's conduct for a command line and every subcommand it has by now: output to
     * {@code out} and {@code err}, a bad option in two lines and status 2, a failure in one line
     * and status 1.
     */
    public static CommandLine configure(CommandLine cli, PrintStream out, PrintStream err) {
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        // Rule 20: a bad option gets one line naming it and one pointing to --help, not the usage.
        cli.setParameterExceptionHandler((e, a) -> {
            err.println(e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more.");
            return BAD_OPTION;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            err.println(c.getCommandSpec().qualifiedName() + ": " + e);
            return FAILED;
        });
        return cli;
    }

    /** How a server command waits to be stopped. */
    @FunctionalInterface
    public interface Waiter {
        /** Called before the server starts, so a stop that comes early is not missed. */
        default void arm() {}

        void await() throws InterruptedException;
    }

    /** Rule 14: SIGINT and SIGTERM close the server, and the process exits with status 0. */
    private static final class SignalWaiter implements Waiter {
        private final CountDownLatch stop = new CountDownLatch(1);

        @Override
        public void arm() {
            // A shutdown hook would run too, but the JVM then exits 130 or 143; handling the
            // signals ourselves lets main return normally. Armed before "listening on" is
            // printed: whoever reads that line may signal at once.
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> stop.countDown());
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> stop.countDown());
        }

        @Override
        public void await() throws InterruptedException {
            stop.await();
        }
    }

    @Command(mixinStandardHelpOptions = true, description = "One TCP protocol, %n"
            + "see PROTOCOL.md. Run '<command> --help' for a subcommand's options.")
    private static final class Top implements Runnable {
        @Spec CommandSpec spec;
        private final String name;

        Top(String name) {
            this.name = name;
        }

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "Missing subcommand: " + name + " server|client");
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Start a server; it prints 'listening on HOST:PORT' and runs until SIGINT/SIGTERM.")
    private static final class ServerCommand implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--host", paramLabel = "ADDR", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
        String host = ServerConfig.DEFAULT_HOST;

        @Option(names = "--port", paramLabel = "N", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
        int port = ServerConfig.DEFAULT_PORT;

        @Option(names = "--service", paramLabel = "S", description = "echo, sink or chat (default: echo).")
        ServerConfig.Service service = ServerConfig.Service.ECHO;

        @Option(names = "--one-shot", description = "echo: answer the first frame, then close (the seed's server).")
        boolean oneShot;

        @Option(names = "--max-frame", paramLabel = "BYTES", description = "Largest payload (default: ${DEFAULT-VALUE}).")
        int maxFrame = Frames.DEFAULT_MAX_FRAME;

        @Option(names = "--max-backlog", paramLabel = "BYTES", description = "Unsent bytes held per connection (default: ${DEFAULT-VALUE}).")
        int maxBacklog = ServerConfig.DEFAULT_MAX_BACKLOG;

        @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Close idle connections; 0: never (default: ${DEFAULT-VALUE}).")
        long idleTimeout = ServerConfig.DEFAULT_IDLE_TIMEOUT.toSeconds();

        @Mixin TlsOptions.ForServer tls = new TlsOptions.ForServer();

        private final Model model;
        private final PrintStream out;
        private final PrintStream err;
        private final Waiter untilStopped;

        ServerCommand(Model model, PrintStream out, PrintStream err, Waiter untilStopped) {
            this.model = model;
            this.out = out;
            this.err = err;
            this.untilStopped = untilStopped;
        }

        @Override
        public Integer call() throws InterruptedException {
            Options.port(spec, port);
            Options.within(spec, "--max-frame", maxFrame, 0, ServerConfig.MAX_FRAME_LIMIT);
            Options.within(spec, "--max-backlog", maxBacklog, 1, Integer.MAX_VALUE);
            Options.within(spec, "--idle-timeout", idleTimeout, 0, ServerConfig.MAX_IDLE_TIMEOUT.toSeconds());
            if (oneShot && service != ServerConfig.Service.ECHO) {
                throw new ParameterException(spec.commandLine(), "Option '--one-shot' works with '--service echo' only");
            }
            int threads = 0;
            Model.ThreadsOption extra = model.threadsOption();
            if (extra != null) {
                threads = spec.findOption(extra.name()).getValue();
                Options.within(spec, extra.name(), threads, 0, ServerConfig.MAX_THREADS);
            }
            Options.resolve(spec, host, port);
            ServerConfig config = new ServerConfig(host, port, service, oneShot, maxFrame, maxBacklog,
                    Duration.ofSeconds(idleTimeout), threads, out, tls.build(model.name(), err));
            untilStopped.arm();
            Server server;
            try {
                server = model.start(config);
            } catch (UnsupportedOperationException e) {
                throw new ParameterException(spec.commandLine(), "Option '--tls': " + e.getMessage());
            } catch (IOException e) {
                err.println(model.name() + ": cannot listen on " + host + ":" + port + ": " + e.getMessage());
                return FAILED;
            }
            try (server) {
                out.println("listening on " + Addresses.format(server.address()));
                out.flush();
                untilStopped.await();
            }
            return OK;
        }
    }

    @Command(name = "client", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Send MESSAGEs and print the replies, or run a load test (--connections, --messages)."})
    private static final class ClientCommand implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--host", paramLabel = "ADDR", description = "Server address (default: ${DEFAULT-VALUE}).")
        String host = ServerConfig.DEFAULT_HOST;

        @Option(names = "--port", paramLabel = "N", description = "Server port (default: ${DEFAULT-VALUE}).")
        int port = ServerConfig.DEFAULT_PORT;

        @Option(names = "--connections", paramLabel = "C", description = "Load mode: connections, all open at once.")
        Integer connections;

        @Option(names = "--messages", paramLabel = "M", split = ",", description = {"Load mode: frames per connection;",
            "with several rates one M for them all, or one each (M1,M2,...)."})
        List<Integer> messages;

        @Option(names = "--size", paramLabel = "BYTES", description = "Load mode: payload size (default: 64).")
        Integer size;

        @Option(names = "--pipeline", paramLabel = "K", description = "Load mode: frames in flight per connection (default: 1).")
        Integer pipeline;

        @Option(names = "--rate", paramLabel = "R", split = ",", description = {"Load mode: open loop, R frames/s per connection;",
            "R1,R2,... climbs a ladder: one warm-up at R1, then a measured run and its RESULT line per rate, in order."})
        List<Double> rate;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "Load mode: limit for the whole run, or each rate's run (default: 300).")
        Long timeout;

        @Option(names = "--warm-up", paramLabel = "N", description = "Load mode: first a run of N frames per connection, not reported (rule 17).")
        Integer warmUp;

        @Option(names = "--hgrm", paramLabel = "PREFIX", description = {"Load mode: also write the latency histogram to PREFIX.hgrm",
            "(HdrHistogram's format, microseconds); with --rate also PREFIX.from-send.hgrm and PREFIX.late.hgrm;",
            "with several rates each run's files under PREFIX.O, O its rate times C (e.g. PREFIX.5000.hgrm)."})
        String hgrm;

        @Parameters(paramLabel = "MESSAGE", arity = "0..*", description = "Messages to send, one frame each.")
        List<String> words = new ArrayList<>();

        @Mixin TlsOptions.ForClient tlsOptions = new TlsOptions.ForClient();
        private TlsClient tls;

        private final Model model;
        private final PrintStream out;
        private final PrintStream err;

        ClientCommand(Model model, PrintStream out, PrintStream err) {
            this.model = model;
            this.out = out;
            this.err = err;
        }

        @Override
        public Integer call() throws InterruptedException {
            Options.port(spec, port);
            boolean load = connections != null || messages != null || size != null || pipeline != null
                    || rate != null || timeout != null || warmUp != null || hgrm != null;
            if (load && !words.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "MESSAGE and load options (--connections, --messages,"
                        + " --size, --pipeline, --rate, --timeout, --warm-up, --hgrm) do not go together");
            }
            if (!load && words.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "Missing MESSAGE, or --connections and --messages");
            }
            InetSocketAddress server = Options.resolve(spec, host, port);
            tls = tlsOptions.build(model.name(), err);
            try {
                return load ? load(server) : messages(server);
            } catch (UnsupportedOperationException e) {
                throw new ParameterException(spec.commandLine(), "Option '--tls': " + e.getMessage());
            }
        }

        private int messages(InetSocketAddress server) {
            try {
                int unanswered = new MessageClient(model, server, tls, out).run(words);
                if (unanswered > 0) {
                    err.println(model.name() + ": " + unanswered + " message(s) got no reply");
                    return FAILED;
                }
                return OK;
            } catch (IOException e) {
                err.println(model.name() + ": " + Addresses.format(server) + ": " + e.getMessage());
                return FAILED;
            }
        }

        private int load(InetSocketAddress server) throws InterruptedException {
            if (connections == null) throw new ParameterException(spec.commandLine(), "Load mode needs --connections");
            if (messages == null) throw new ParameterException(spec.commandLine(), "Load mode needs --messages");
            // Rule 17: each payload numbers its connection and message in its first bytes, so
            // these three bounds are what keeps every payload of a run different from the others.
            Options.within(spec, "--connections", connections, 1, LoadPlan.MAX_CONNECTIONS);
            for (int m : messages) Options.within(spec, "--messages", m, 1, LoadPlan.MAX_MESSAGES);
            int s = size == null ? LoadPlan.DEFAULT_SIZE : size;
            Options.within(spec, "--size", s, LoadPlan.MIN_SIZE, ServerConfig.MAX_FRAME_LIMIT);
            int k = pipeline == null ? 1 : pipeline;
            Options.within(spec, "--pipeline", k, 1, LoadPlan.MAX_PIPELINE);
            long t = timeout == null ? LoadPlan.DEFAULT_TIMEOUT.toSeconds() : timeout;
            Options.within(spec, "--timeout", t, 1, LoadPlan.MAX_TIMEOUT.toSeconds());
            for (Double r : rate == null ? List.<Double>of() : rate) {
                // Rule 19: at least one frame per --timeout, so the schedule's arithmetic (message
                // number times period, in nanoseconds) stays far inside a long.
                if (!(r * t >= 1 && r <= 1e9)) {
                    throw new ParameterException(spec.commandLine(), "Invalid value for option '--rate': " + r
                            + " is not a rate from one frame per --timeout (" + t + " s) to 1e9 per second");
                }
            }
            List<Double> rates = rate == null ? List.of(0.0) : rate;
            if (messages.size() != 1 && messages.size() != rates.size()) {
                String given = rate == null ? "no rate" : rate.size() == 1 ? "one rate" : rate.size() + " rates";
                throw new ParameterException(spec.commandLine(), "Options '--messages' and '--rate' do not go together: "
                        + messages.size() + " frame counts for " + given + "; give one count, or one per rate");
            }
            int w = warmUp == null ? 0 : warmUp;
            Options.within(spec, "--warm-up", w, 0, LoadPlan.MAX_MESSAGES);
            LoadPlan first = new LoadPlan(connections, messages.getFirst(), s, k, rates.getFirst(), Duration.ofSeconds(t));
            // Rule 17's warm-up, in two halves. The first half's end runs code its JIT profile had
            // never seen (the last reply, the run's close), and the compiled code of the whole
            // hot path is thrown away there and compiled again when the next run starts: a
            // second of the client's CPU spent compiling at the measured run's start, which an
            // open loop reports as frames milliseconds late. The second half takes that
            // recompilation, so the measured run starts on code that has seen a run end.
            boolean warmedUp = w == 0 || warmUp(server, first.withMessages((w + 1) / 2))
                    && warmUp(server, first.withMessages(Math.max(1, w / 2)));
            // For whoever times something against the measured run (the side-by-side run's
            // stall): it starts now, as soon as its connections are open. Standard error, so
            // that standard output stays rule 18's one line.
            if (w > 0) err.println("# warm-up done, measuring");
            // Rule 19's ladder: every rate after the first finds this process's JIT as the runs
            // before it left it, warm, so a low rate's tail is the server's, not this client's
            // compiler's (a fresh process per rate spent its light rungs compiling).
            boolean allWell = warmedUp;
            for (int i = 0; i < rates.size(); i++) {
                LoadPlan plan = first.withRate(rates.get(i)).withMessages(messages.get(messages.size() == 1 ? 0 : i));
                String offered = String.format(Locale.ROOT, "%.0f", plan.rate() * plan.connections());
                LoadRun run = new LoadRun(plan);      // its own deadline, counted from now
                model.load(server, run, tls);
                out.println(run.resultLine());
                out.flush();                          // now: a harness times each rate's run by its line
                report(run, rates.size() == 1 ? "" : "at " + offered + " frames/s: ");
                boolean written = hgrm == null || histograms(run, rates.size() == 1 ? hgrm : hgrm + "." + offered);
                allWell &= run.succeeded() && written;
            }
            return allWell ? OK : FAILED;
        }

        /**
         * Rule 17: the same run with N frames per connection, over connections of its own,
         * checked but not reported, so that the measured run finds this client's JIT (and the
         * server's) warm. A failed warm-up is said on standard error, and the exit status is 1
         * (rule 18).
         */
        private boolean warmUp(InetSocketAddress server, LoadPlan plan) throws InterruptedException {
            LoadRun run = new LoadRun(plan);
            model.load(server, run, tls);
            report(run, "warm-up: ");
            return run.succeeded();
        }

        /** {@code --hgrm}: after the RESULT line, so a folder that cannot be written costs no figure. */
        private boolean histograms(LoadRun run, String prefix) {
            try {
                run.writeHistograms(prefix);
                return true;
            } catch (IOException | RuntimeException e) {
                err.println(model.name() + ": --hgrm " + prefix + ": cannot write: " + e.getMessage());
                return false;
            }
        }

        private void report(LoadRun run, String phase) {
            for (String e : run.firstErrors()) {
                err.println(model.name() + ": " + phase + e);
            }
        }
    }

    /** Checks picocli cannot express as a type: ranges, and a host that must resolve. */
    static final class Options {
        static void port(CommandSpec spec, int port) {
            if (port < 0 || port > 65_535) {
                throw new ParameterException(spec.commandLine(),
                        "Invalid value for option '--port': " + port + " is not a port (0 to 65535)");
            }
        }

        /**
         * Both edges: a value past the top would be accepted here and overflow later, after
         * {@code listening on} (a Duration in nanoseconds, an int frame length, a buffer).
         */
        static void within(CommandSpec spec, String option, long value, long min, long max) {
            if (value < min || value > max) {
                throw new ParameterException(spec.commandLine(),
                        "Invalid value for option '" + option + "': " + value + " is not from " + min + " to " + max);
            }
        }

        static InetSocketAddress resolve(CommandSpec spec, String host, int port) {
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (address.isUnresolved()) {
                throw new ParameterException(spec.commandLine(),
                        "Invalid value for option '--host': cannot resolve '" + host + "'");
            }
            return address;
        }
    }
}
