package fourways.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.LoadPlan;
import fourways.protocol.LoadRun;
import fourways.protocol.MessageClient;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model's client against every model's server, and against the Netty baseline: the
 * protocol is the contract, so any client must work with any server. Each pair exchanges the
 * seed's messages (rule 16) and runs a short load (rules 17 and 18), in this JVM.
 */
class ClientMatrixTest {
    private static final List<String> MESSAGES = List.of("This is a test", "héllo, wörld ✓", "");

    private Server server;

    /** Every available client (the modules) times every available server (the modules and Netty). */
    static Stream<Arguments> pairs() {
        return Contender.clients().stream()
                .flatMap(client -> Contender.available().stream().map(server -> Arguments.of(client, server)));
    }

    @ParameterizedTest(name = "{0} client -> {1} server")
    @MethodSource("pairs")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void rule16_and_rule17_anyClientWorksWithAnyServer(Contender client, Contender serverSide) throws Exception {
        server = serverSide.model().start(ServerConfig.defaults().withPort(0));
        Model clientModel = client.model();

        // Rule 16: each message, one frame; each reply printed without its delimiter, byte-exact.
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int unanswered = new MessageClient(clientModel, server.address(),
                new PrintStream(printed, true, StandardCharsets.UTF_8)).run(MESSAGES);
        assertEquals(0, unanswered, "messages without a reply");
        StringBuilder expected = new StringBuilder();
        for (String m : MESSAGES) {
            expected.append("Server return :").append(m).append(System.lineSeparator());
        }
        assertEquals(expected.toString(), printed.toString(StandardCharsets.UTF_8));

        // Rules 17 and 18: 10 connections x 20 messages, 4 in flight each, every reply verified.
        LoadRun run = new LoadRun(LoadPlan.of(10, 20).withPipeline(4).withTimeout(Duration.ofSeconds(30)));
        clientModel.load(server.address(), run);
        assertTrue(run.succeeded(), () -> run.resultLine() + " " + run.firstErrors());
        assertTrue(run.resultLine().endsWith(" errors=0"), run::resultLine);
    }

    @AfterEach
    void closeServer() {
        if (server != null) server.close();
    }
}
