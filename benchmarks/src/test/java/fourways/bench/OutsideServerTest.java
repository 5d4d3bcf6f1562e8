package fourways.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./run --server 'name=COMMAND {port}'}: an outside server in the side-by-side run. */
class OutsideServerTest {

    @Test
    void theSpecIsANameAndACommandWithPortAndNothingIsAddedToIt() {
        OutsideServer o = OutsideServer.parse("mine=mono 'My Server.exe' --port {port}");
        assertEquals("mine", o.label());
        assertEquals(List.of("mono", "My Server.exe", "--port", "0"), o.commandLine());
    }

    @Test
    void aBadSpecIsRefusedWithWhatIsWrong() {
        for (String bad : List.of("mono echo.exe {port}", "=srv {port}", "my server=srv {port}", "mine=srv --port 1",
                "mine=", "nio-selector=srv {port}", "mine=srv '{port}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutsideServer.parse(bad), bad);
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), bad);
        }
    }

    @Test
    void aBadServerOptionIsOneLineAndStatusTwo() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new SideBySide());
        cli.setErr(new PrintWriter(err));
        cli.setParameterExceptionHandler((e, a) -> {
            err.write(e.getMessage());
            return 2;
        });
        assertEquals(2, cli.execute("--server", "mine=srv --port 11000"));
        assertTrue(err.toString().contains("needs {port}"), err.toString());
        assertEquals(2, cli.execute("--server", "a=srv {port}", "--server", "A=srv {port}"));
        assertTrue(err.toString().contains("given twice"), err.toString());
    }

    /** The whole side-by-side run, once, on the smallest workload, with only the outside server. */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void anOutsideServerGetsItsRowInTheTableAndTheResults(@TempDir Path out) throws Exception {
        Path jar = Root.find().resolve("nio-selector/target/nio-selector.jar");
        Assumptions.assumeTrue(Files.isRegularFile(jar), "not built: " + jar + " (the outside server of this test)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        SideBySideRun run = SideBySideRun.of("--server",
                "mine='" + java + "' -Xmx256m -jar '" + jar + "' server --port {port} --idle-timeout 0",
                "--models", "mine", "--workloads", "open-loop", "--messages", "50", "--pin", "none", "--out", out.toString());
        String printed = run.printed();
        assertEquals(0, run.status(), printed);
        assertTrue(printed.lines().anyMatch(l -> l.contains("mine")), "a row for it in the table:\n" + printed);
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(1, results.get("rows").size(), results.toString());
        JsonNode row = results.get("rows").get(0);
        assertEquals("mine", row.get("model").asText());
        assertEquals(0, row.get("errors").asLong(), "every reply came back right: " + row);
        assertTrue(results.get("settings").get("outside server mine").asText().contains("{port}"), results.toString());
    }
}
