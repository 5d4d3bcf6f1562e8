package fourways.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.bench.netty.NettyTls;
import fourways.bench.side.Outcome;
import fourways.bench.side.Report;
import fourways.bench.side.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The side-by-side run's two TLS workloads, whole but tiny ({@code --messages 5}): every row
 * that runs comes back without an error, with a figure; every row that cannot run here (a model
 * without TLS yet, an engine that does not load) is skipped with its reason; results.json reads
 * back the same. Its figures mean nothing and nothing asserts on them. One model, blocking-io,
 * to keep it short (a row over TLS is two JVMs that handshake cold: two models' four rows were
 * 20 s of CPU here): every model's TLS server is held to the rules by its own TLS suite, and
 * the load client that drives these rows is the same for all. The Netty baseline's TLS rows
 * are planned in {@link #nettyGetsARowPerEngineAndOneThatDoesNotLoadSaysWhy}, and its server
 * over TLS is tested in NettyTlsTest.
 */
class TlsWorkloadsTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyTlsRowRunsCleanlyOrSaysWhyItIsSkipped(@TempDir Path out) throws Exception {
        SideBySideRun run = SideBySideRun.of("--models", "blocking-io",
                "--workloads", "handshakes,pipelined-tls", "--messages", "5", "--pin", "none",
                "--out", out.toString());
        String printed = run.printed();
        assertEquals(0, run.status(), printed);

        Report.Results results = Report.readJson(out.resolve("results.json"));
        Map<Workload, List<String>> rows = results.runs().stream().collect(Collectors.groupingBy(Outcome::workload,
                Collectors.mapping(Outcome::model, Collectors.toList())));
        List<String> expected = List.of("blocking-io");
        assertEquals(Map.of(Workload.HANDSHAKES, expected, Workload.PIPELINED_TLS, expected), rows, printed);
        for (Outcome o : results.runs()) {
            String row = o.workload() + " " + o.model() + ": " + o.note();
            if (o.isSkipped()) {
                assertTrue(o.note().length() > Outcome.SKIPPED.length() + 5, "a skipped row says why: " + row);
                assertTrue(printed.contains(o.note()), "and the table says it too: " + row);
                continue;
            }
            assertEquals(0, o.errors(), row);
            long expectedMessages = o.workload() == Workload.HANDSHAKES ? 4 * 5 : 100 * 5;
            assertEquals(String.valueOf(expectedMessages), o.result().get("messages"), row);
            assertTrue(o.msgsPerSec() > 0, row);
        }
        // The four models' own TLS servers: blocking-io has had one from the start.
        assertFalse(results.runs().stream().filter(o -> o.model().equals("blocking-io")).anyMatch(Outcome::isSkipped));
        assertTrue(results.settings().get("tls").contains("load client"), results.settings().toString());
        // Which engine the TLS load client ran on: OpenSSL's wherever it loads (nio-selector drives engines).
        assertTrue(results.settings().get("tls").contains(NettyTls.Provider.OPENSSL.isAvailable()
                ? "on OpenSSL's engine" : "on the JDK's engine"), results.settings().get("tls"));
        assertTrue(Files.isRegularFile(out.resolve("msgs_per_sec.png")));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void nettyGetsARowPerEngineAndOneThatDoesNotLoadSaysWhy() throws Exception {
        try (TlsPlan plan = TlsPlan.create(null, true, null)) {
            List<TlsPlan.Server> rows = plan.servers(List.of(Contender.NETTY_NIO));
            assertEquals(List.of("netty-nio-tls-jdk", "netty-nio-tls-openssl"),
                    rows.stream().map(r -> r.server().label()).toList());
            TlsContender openssl = (TlsContender) rows.get(1).server();
            assertEquals(List.of("--ssl-provider", "openssl", "--tls", "--cert"), openssl.serverArgs().subList(0, 4));
            assertEquals(null, rows.get(0).whyNot(), "the JDK's engine is always there");
            if (NettyTls.Provider.OPENSSL.isAvailable()) {
                assertEquals(null, rows.get(1).whyNot());
            } else {
                assertTrue(rows.get(1).whyNot().contains("does not load"), rows.get(1).whyNot());
            }
            // blocking-io has had a TLS client from the start; the Netty baseline has no client at all.
            assertTrue(TlsContender.hasTlsClient(Contender.BLOCKING_IO));
            assertFalse(TlsContender.hasTlsClient(Contender.NETTY_NIO));
            assertEquals(List.of("--connections", "4", "--messages", "5", "--timeout", "60", "--tls", "--trust"),
                    plan.clientArgs(Workload.HANDSHAKES.clientArgs(5)).subList(0, 8));
        }
    }
}
