package fourways.coursework.e3_writepending;

import static fourways.testsuite.Bytes.concat;
import static fourways.testsuite.Bytes.utf8;

import fourways.coursework.EchoUnderLoadChecks;
import fourways.coursework.Trap;
import fourways.protocol.Frames;
import fourways.protocol.Model;
import fourways.testsuite.Bytes;
import fourways.testsuite.RawClient;
import org.junit.jupiter.api.Test;

/**
 * Exercise 3's checker: every reply arrives, whole and in order (rule 5), even when the client
 * reads only after it has sent everything, so that the server's writes find the socket full.
 */
@Trap("NIO2 allows one write in flight per channel: a write() while another is pending throws WritePendingException, so later replies must wait in a queue.")
abstract class WritePendingChecker extends EchoUnderLoadChecks {

    WritePendingChecker(Model model) {
        super(model);
    }

    @Test
    void rule06_halfCloseGetsTheOwedRepliesThenAClose() throws Exception {
        RawClient c = connect(startEcho());
        c.sendRaw(concat(Frames.frame(utf8("a")), Frames.frame(utf8("b")), utf8("partial")));
        c.shutdownOutput();
        Bytes.assertBytes(concat(Frames.frame(Bytes.echoOf(utf8("a"))), Frames.frame(Bytes.echoOf(utf8("b")))),
                c.readToEnd(), "both replies, then the close");
    }
}
