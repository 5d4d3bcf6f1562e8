package fourways.bench;

import fourways.protocol.LoadPlan;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lesson 2: throughput with many connections, each pipelining, each model's server against
 * the same load client.
 *
 * <p>Measures: messages per second (the {@code messages} counter; the primary score counts
 * whole runs) when {@code connections} connections each send {@code messages} 64-byte frames,
 * keeping {@code pipeline} of them in flight (rule 17), all verified byte for byte. The server
 * runs in its own process; the load client is one model's own ({@code client}: {@code auto}
 * picks nio-selector when it is built, else blocking-io), the same for every server, in JMH's
 * process. Each invocation opens its connections anew, so connecting is part of the time, a
 * small part with the default 200 frames per connection.
 *
 * <p>Does not measure: latency (the load client's histogram is not JMH's; see the side-by-side
 * run), a server that is not saturated (this is a closed loop: see the side-by-side run's
 * open-loop workload), or a network. On a machine with few cores the client and the server
 * compete for them: compare models with each other, not with a figure from another machine.
 *
 * <p>Run it: {@code java -jar benchmarks/target/benchmarks.jar B02 -p connections=1000}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Thread)
public class B02_Throughput {

    @Param
    public Contender model;

    @Param({"100"})
    public int connections;

    @Param({"16"})
    public int pipeline;

    @Param({"200"})
    public int messages;

    /** The load client's model: {@code auto} or a contender with a client ({@code BLOCKING_IO}...). */
    @Param({"auto"})
    public String client;

    private ServerProcess server;
    private Model loadClient;
    private LoadPlan plan;

    /** JMH divides these by the measured time: messages per second, beside runs per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long messages;
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = ServerProcess.start(model, ServerProcess.HEAP);
        loadClient = (client.equals("auto") ? Contender.preferredLoadClient() : Contender.byName(client)).model();
        plan = LoadPlan.of(connections, messages).withPipeline(pipeline).withTimeout(Duration.ofSeconds(60));
    }

    @Benchmark
    public void loadRun(Counters counters) throws Exception {
        LoadRun run = new LoadRun(plan);
        loadClient.load(server.address(), run);
        if (!run.succeeded()) {
            // A run with errors has no throughput to report: fail loudly rather than report a fast failure.
            throw new IllegalStateException(model + ": " + run.resultLine() + " " + run.firstErrors());
        }
        counters.messages += (long) connections * messages;
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
    }
}
