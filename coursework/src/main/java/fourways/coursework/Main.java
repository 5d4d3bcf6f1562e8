package fourways.coursework;

import fourways.coursework.e5_connectionlimit.LimitedServer;
import fourways.protocol.Cli;
import fourways.protocol.Link;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar coursework/target/coursework.jar e1 server --port 12000}: an exercise's server
 * (your starter, or with {@code --solution} the reference) under the command line of every module
 * (PROTOCOL.md rule 20), so that any module's client can talk to it and show its trap.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Cli.main((out, err, untilStopped) -> run(args, out, err, untilStopped));
    }

    static int run(String[] args, PrintStream out, PrintStream err, Cli.Waiter untilStopped) {
        CommandLine top = new CommandLine(new Top());
        exercises().forEach((id, model) -> {
            CommandLine exercise = Cli.command(model, out, err, untilStopped);
            // --solution on the exercise (e1 --solution server) or on its server (e1 server --solution).
            exercise.getCommandSpec().addOption(model.solutionOption());
            exercise.getSubcommands().get("server").getCommandSpec().addOption(model.solutionOption());
            exercise.getCommandSpec().usageMessage().description(model.trap);
            top.addSubcommand(id, exercise);
        });
        return Cli.configure(top, out, err).execute(args);
    }

    /** Each exercise's command and the two servers it may start. */
    static Map<String, Choice> exercises() {
        Map<String, Choice> all = new LinkedHashMap<>();
        all.put("e1", new Choice("e1", "One read() taken for one message (blocking-io).", fourways.coursework.e1_onereadonemessage.starter.OneReadServer::start,
                fourways.coursework.e1_onereadonemessage.solution.FramedServer::start));
        all.put("e2", new Choice("e2", "OP_WRITE left registered: the loop spins (nio-selector).", fourways.coursework.e2_opwritespin.starter.SpinningSelectorServer::new,
                fourways.coursework.e2_opwritespin.solution.QuietSelectorServer::new));
        all.put("e3", new Choice("e3", "A second write while one is pending (nio2-async).", fourways.coursework.e3_writepending.starter.PendingWriteServer::new,
                fourways.coursework.e3_writepending.solution.OneWriteAtATimeServer::new));
        all.put("e4", new Choice("e4", "A chat that waits for its slowest reader (virtual-threads).", fourways.coursework.e4_slowchatreader.starter.DirectChatServer::start,
                fourways.coursework.e4_slowchatreader.solution.QueuedChatServer::start));
        e5("e5-blocking-io", all, fourways.coursework.e5_connectionlimit.starter.LimitedServers.BLOCKING_IO,
                fourways.coursework.e5_connectionlimit.solution.LimitedServers.BLOCKING_IO);
        e5("e5-nio-selector", all, fourways.coursework.e5_connectionlimit.starter.LimitedServers.NIO_SELECTOR,
                fourways.coursework.e5_connectionlimit.solution.LimitedServers.NIO_SELECTOR);
        e5("e5-nio2-async", all, fourways.coursework.e5_connectionlimit.starter.LimitedServers.NIO2_ASYNC,
                fourways.coursework.e5_connectionlimit.solution.LimitedServers.NIO2_ASYNC);
        e5("e5-virtual-threads", all, fourways.coursework.e5_connectionlimit.starter.LimitedServers.VIRTUAL_THREADS,
                fourways.coursework.e5_connectionlimit.solution.LimitedServers.VIRTUAL_THREADS);
        all.put("e6", new Choice("A fifth model, on a fixed pool (--workers N).", new fourways.coursework.e6_fixedpool.starter.PoolModel(), new fourways.coursework.e6_fixedpool.solution.PoolModel()));
        all.put("e7", new Choice("A naive SSLEngine loop on the selector: it spins, drops partial records, blocks on tasks (--tls).",
                new ExerciseModel("e7", c -> fourways.coursework.e7_tlsengine.TlsSelectorServer.start(c, fourways.coursework.e7_tlsengine.starter.NaiveTlsEcho::new), true),
                new ExerciseModel("e7", c -> fourways.coursework.e7_tlsengine.TlsSelectorServer.start(c, fourways.coursework.e7_tlsengine.solution.TlsEcho::new), true)));
        all.put("e8", new Choice("e8", "A length prefix instead of a delimiter, in the model of your choice.",
                fourways.coursework.e8_lengthprefix.starter.PrefixedServer::start,
                fourways.coursework.e8_lengthprefix.solution.PrefixedServer::start));
        return all;
    }

    /** Exercise 5 has one server per model; the limit is the server's own option, default 3 as in its checker. */
    private static void e5(String id, Map<String, Choice> all, LimitedServer starter, LimitedServer solution) {
        Model.ThreadsOption limit = new Model.ThreadsOption("--max-connections",
                "Connections served at once; the one too many is closed (0, the default: 3).");
        all.put(id, new Choice("No limit on connections (--max-connections N).", new LimitModel(id, starter, limit), new LimitModel(id, solution, limit)));
    }

    /** An exercise 5 server behind the seam, its limit taken from its own option. */
    private static final class LimitModel extends ExerciseModel {
        private final ThreadsOption limit;

        LimitModel(String id, LimitedServer server, ThreadsOption limit) {
            super(id, config -> server.start(config, config.threads() == 0 ? 3 : config.threads()));
            this.limit = limit;
        }

        @Override
        public ThreadsOption threadsOption() {
            return limit;
        }
    }

    /**
     * The starter or the solution of one exercise, whichever {@code --solution} says when the
     * server starts; both share the client, blocking-io's.
     */
    static final class Choice implements Model {
        private final Model starter;
        private final Model solution;
        /** The exercise's trap, in one sentence: its line in {@code --help}. */
        private final String trap;
        private boolean useSolution;

        Choice(String id, String trap, ExerciseModel.ServerStarter starter, ExerciseModel.ServerStarter solution) {
            this(trap, new ExerciseModel(id, starter), new ExerciseModel(id, solution));
        }

        Choice(String trap, Model starter, Model solution) {
            this.trap = trap;
            this.starter = starter;
            this.solution = solution;
        }

        OptionSpec solutionOption() {
            return OptionSpec.builder("--solution").type(boolean.class)
                    .description("Start the reference solution instead of your starter.")
                    .setter(new CommandLine.Model.ISetter() {
                        @Override
                        public <T> T set(T value) {
                            if (Boolean.TRUE.equals(value)) useSolution = true;   // null: picocli's initial value
                            return null;
                        }
                    }).build();
        }

        private Model chosen() {
            return useSolution ? solution : starter;
        }

        @Override
        public String name() {
            return starter.name();
        }

        @Override
        public Server start(ServerConfig config) throws IOException {
            return chosen().start(config);
        }

        @Override
        public Link connect(InetSocketAddress server) throws IOException {
            return chosen().connect(server);
        }

        @Override
        public Link connect(InetSocketAddress server, TlsClient tls) throws IOException {
            return chosen().connect(server, tls);
        }

        @Override
        public void load(InetSocketAddress server, LoadRun run) throws InterruptedException {
            chosen().load(server, run);
        }

        @Override
        public void load(InetSocketAddress server, LoadRun run, TlsClient tls) throws InterruptedException {
            chosen().load(server, run, tls);
        }

        @Override
        public ThreadsOption threadsOption() {
            return starter.threadsOption();
        }
    }

    @Command(name = "coursework", mixinStandardHelpOptions = true, description = {
            "Chapter 9's exercises: start one's server, your starter or (--solution) the reference, and talk"
            + " to it with any module's client. 'coursework e1 server --help': its options."})
    private static final class Top implements Runnable {
        @Spec CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "Missing exercise: coursework "
                    + String.join("|", spec.subcommands().keySet()) + " server|client");
        }
    }
}
