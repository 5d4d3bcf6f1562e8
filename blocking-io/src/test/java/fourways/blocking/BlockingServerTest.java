package fourways.blocking;

import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What is particular to blocking-io's server (the protocol itself is BlockingContractTest's job). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockingServerTest {

    /** Issue 13: a thread dump says what each server thread is for, and which client it serves. */
    @Test
    void everyServerThreadIsNamedForItsRoleAndClient() throws Exception {
        try (Server server = new BlockingModel().start(ServerConfig.defaults().withPort(0)
                .withService(ServerConfig.Service.CHAT));
             java.net.Socket client = new java.net.Socket(server.address().getAddress(), server.address().getPort())) {
            String remote = "127.0.0.1:" + client.getLocalPort();
            List<String> expected = List.of("blocking-accept", "blocking-idle", "blocking-connection " + remote,
                    "blocking-chat-writer " + remote);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!threadNames().containsAll(expected) && System.nanoTime() - deadline < 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);   // bounded: the connection's threads start soon after accept
            }
            assertTrue(threadNames().containsAll(expected), threadNames().toString());
        }
    }

    private static java.util.Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .collect(java.util.stream.Collectors.toSet());
    }
}
