package fourways.coursework.e3_writepending;

import static fourways.testsuite.Bytes.concat;
import static fourways.testsuite.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import fourways.coursework.Traffic;
import fourways.protocol.Frames;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.testsuite.Bytes;
import fourways.testsuite.RawClient;
import fourways.testsuite.SuiteBase;
import org.junit.jupiter.api.Test;

/**
 * Exercise 3's checker: every reply arrives, whole and in order (rule 5), even when the client
 * reads only after it has sent everything, so that the server's writes find the socket full.
 */
abstract class WritePendingChecker extends SuiteBase {

    WritePendingChecker(Model model) {
        super(model);
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
        // 12 MiB of replies, far more than the client's receive buffer and the server's send
        // buffer hold: the server's writes soon stay pending, and replies keep coming while one
        // is. The backlog limit is raised so that the server reads everything before the
        // client reads anything.
        Server server = start(ServerConfig.defaults().withMaxBacklog(64 << 20));
        RawClient c = connect(server, 16 * 1024);
        c.sendRaw(Traffic.frames(3000, 4096));
        Traffic.expectEchoes(c, 3000, 4096);
    }

    @Test
    void rule06_halfCloseGetsTheOwedRepliesThenAClose() throws Exception {
        RawClient c = connect(startEcho());
        c.sendRaw(concat(Frames.frame(utf8("a")), Frames.frame(utf8("b")), utf8("partial")));
        c.shutdownOutput();
        assertArrayEquals(concat(Frames.frame(Bytes.echoOf(utf8("a"))), Frames.frame(Bytes.echoOf(utf8("b")))),
                c.readToEnd(), "both replies, then the close");
    }
}
