package fourways.coursework.e1_onereadonemessage;

import static fourways.testsuite.Bytes.concat;
import static fourways.testsuite.Bytes.utf8;

import fourways.coursework.Trap;
import fourways.protocol.Frames;
import fourways.protocol.Model;
import fourways.protocol.ServerConfig;
import fourways.testsuite.Bytes;
import fourways.testsuite.RawClient;
import fourways.testsuite.SuiteBase;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Exercise 1's checker: PROTOCOL.md rules 2 to 6 with bytes cut the way TCP may cut them.
 * Each test ends in a reply the server must get right or in a close, never in waiting for a
 * reply that will not come, so a wrong server fails at once.
 */
@Trap("One read() is not one message: TCP may cut a frame into many reads or put several frames in one, so only <EOF> ends a frame.")
abstract class FramingChecker extends SuiteBase {

    FramingChecker(Model model) {
        super(model);
    }

    @Test
    void rule05_aFrameInOneWriteComesBack() throws Exception {
        RawClient c = connect(startEcho());
        c.sendFrame("This is a test");
        c.expectEcho("This is a test");
    }

    @Test
    void rule03_aFrameSplitAtEveryByteComesBackWhole() throws Exception {
        byte[] payload = utf8("你好, 世界 🌍!");            // 3- and 4-byte characters: cuts fall inside them
        byte[] frame = Frames.frame(payload);
        RawClient c = connect(startEcho());
        for (int cut = 1; cut < frame.length; cut++) {
            c.sendRaw(Arrays.copyOfRange(frame, 0, cut));
            c.sendRaw(Arrays.copyOfRange(frame, cut, frame.length));
            c.expectEcho(payload);
        }
    }

    @Test
    void rule03_aFrameSentOneByteAtATimeComesBackWhole() throws Exception {
        byte[] payload = utf8("one byte at a time <EO <E");
        RawClient c = connect(startEcho());
        for (byte b : Frames.frame(payload)) c.sendRaw(new byte[] {b});
        c.expectEcho(payload);
    }

    @Test
    void rule03_threeFramesInOneWriteGetThreeReplies() throws Exception {
        RawClient c = connect(startEcho());
        c.sendRaw(concat(Frames.frame(utf8("one")), Frames.frame(utf8("")), Frames.frame(utf8("three"))));
        c.expectEcho("one");
        c.expectEcho("");
        c.expectEcho("three");
    }

    @Test
    void rule05_aThousandPipelinedFramesComeBackInOrder() throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) all.writeBytes(Frames.frame(utf8("frame " + i)));
        RawClient c = connect(startEcho());
        c.sendRaw(all.toByteArray());
        for (int i = 0; i < 1000; i++) c.expectEcho("frame " + i);
    }

    @Test
    void rule02_binaryPayloadOfExactlyTheMaximumComesBackByteExact() throws Exception {
        byte[] payload = concat(Bytes.allByteValues(), Bytes.filler(1000 - 256, 1));
        RawClient c = connect(start(ServerConfig.defaults().withMaxFrame(1000)));
        c.sendFrame(payload);
        c.expectEcho(payload);
    }

    @Test
    void rule04_aFrameOverTheMaximumGetsTheErrorFrameAndAClose() throws Exception {
        RawClient c = connect(start(ServerConfig.defaults().withMaxFrame(1000)));
        c.sendRaw(Bytes.filler(2000, 4));                   // no <EOF> at all: the server must not wait for one
        c.shutdownOutput();                                  // so that a server that does wait still ends
        Bytes.assertBytes(Frames.TOO_LONG, c.readToEnd(), "rule 4: the error frame, then the close");
    }

    @Test
    void rule06_halfCloseGetsTheOwedRepliesThenAClose() throws Exception {
        RawClient c = connect(startEcho());
        c.sendRaw(concat(Frames.frame(utf8("a")), Frames.frame(utf8("b")), Frames.frame(utf8("c")),
                utf8("partial<EO")));
        c.shutdownOutput();
        Bytes.assertBytes(concat(Frames.frame(Bytes.echoOf(utf8("a"))), Frames.frame(Bytes.echoOf(utf8("b"))),
                Frames.frame(Bytes.echoOf(utf8("c")))), c.readToEnd(), "three replies, no fourth, then the close");
    }
}
