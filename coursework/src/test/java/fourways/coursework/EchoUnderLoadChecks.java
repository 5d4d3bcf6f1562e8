package fourways.coursework;

import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.testsuite.RawClient;
import fourways.testsuite.SuiteBase;
import org.junit.jupiter.api.Test;

/**
 * Rule 5 as the non-blocking exercises (2, 3 and 7) must keep it while they fix their trap: one
 * echo, a thousand pipelined frames, and replies that fill every buffer on the way because the
 * client reads only after it has sent everything. Each exercise's checker adds its own test.
 */
public abstract class EchoUnderLoadChecks extends SuiteBase {

    protected EchoUnderLoadChecks(Model model) {
        super(model);
    }

    /** The same checks over TLS (exercise 7): the suite's clients trust the tests' CA. */
    protected EchoUnderLoadChecks(Model model, boolean overTls) {
        super(model, overTls);
    }

    @Test
    void rule05_aFrameComesBack() throws Exception {
        RawClient c = connect(startEcho());
        c.sendFrame("This is a test");
        c.expectEcho("This is a test");
    }

    @Test
    void rule05_aThousandPipelinedFramesComeBackInOrder() throws Exception {
        RawClient c = connect(startEcho());
        c.sendRaw(Traffic.frames(1000, 20));
        Traffic.expectEchoes(c, 1000, 20);
    }

    @Test
    void rule05_aClientThatReadsLateStillGetsEveryReplyInOrder() throws Exception {
        // 12 MiB of replies: far more than the client's receive buffer and the server's send
        // buffer hold, so the server's writes soon find the socket full, and replies keep
        // coming while they do. Only a server that waits for the socket (OP_WRITE, or the
        // pending write's completion) and then carries on delivers them all. The backlog
        // limit is raised so that the server reads everything before the client reads anything.
        Server server = start(ServerConfig.defaults().withMaxBacklog(64 << 20));
        RawClient c = connect(server, 16 * 1024);
        c.sendRaw(Traffic.frames(3000, 4096));
        Traffic.expectEchoes(c, 3000, 4096);
    }
}
