package fourways.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Every JMH benchmark runs once, as briefly as JMH allows, with the smallest parameters: it
 * checks that each one starts its servers, runs, and stops them. Its figures mean nothing
 * and nothing asserts on them.
 */
class BenchmarkSmokeTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyBenchmarkRunsOnceAndProducesAResult() throws Exception {
        Options options = new OptionsBuilder()
                .include("fourways\\.bench\\.B\\d\\d_")
                .forks(0)                                  // in this JVM: a fork would start one more JVM per benchmark
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                // One module and the Netty baseline: both ways of starting a server process.
                .param("model", Contender.BLOCKING_IO.name(), Contender.NETTY_NIO.name())
                .param("size", "64")
                .param("connections", "4")
                .param("messages", "10")
                .param("client", Contender.BLOCKING_IO.name())
                .param("messageSize", "1024")
                .param("chunkSize", "1460")
                // TLS: a module's server and the Netty baseline's, each a process; the JDK's engine.
                .param("server", "blocking-io", "netty-tls-jdk")
                .param("provider", "JDK")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        for (RunResult r : results) {
            assertTrue(r.getPrimaryResult().getSampleCount() > 0, () -> r.getParams().id() + ": no samples");
        }
        Set<String> ran = results.stream().map(r -> r.getParams().getBenchmark()).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(allBenchmarks(), ran);
        assertEquals(2 + 2 + 2 + 3 + 2 + 2 + 2 + 2, results.size(),
                "B01-B03 for two models, B04's three decoders, B05's two sides, B06 for two models,"
                        + " B07 for two servers, B08's two measures");
    }

    /** What JMH's annotation processor generated: every benchmark method in this module. */
    private static Set<String> allBenchmarks() {
        return BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of())
                .stream().map(BenchmarkListEntry::getUsername).collect(Collectors.toCollection(TreeSet::new));
    }
}
