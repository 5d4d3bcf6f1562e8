package fourways.testsuite;

import static fourways.testsuite.Bytes.concat;
import static fourways.testsuite.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fourways.protocol.Frames;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md rules 1 to 4: what a frame is, however TCP cuts it, and how long it may be. */
public abstract class FramingRules extends SuiteBase {

    protected FramingRules(Model model, boolean overTls) {
        super(model, overTls);
    }

    @Test
    void rule01_emptyPayloadIsAFrame() throws Exception {
        RawClient c = connect(startEcho());
        c.sendFrame(new byte[0]);
        c.expectEcho(new byte[0]);
    }

    @Test
    void rule02_binaryPayloadComesBackByteExact() throws Exception {
        RawClient c = connect(startEcho());
        byte[] binary = concat(Bytes.allByteValues(), Bytes.allByteValues(), utf8("<EO<E<"));
        c.sendFrame(binary);
        c.expectEcho(binary);
    }

    @Test
    void rule03_framesSplitAtEveryByteBoundary() throws Exception {
        // Chinese and an emoji: 3- and 4-byte UTF-8 characters, so splits fall inside them too.
        byte[] frame = Frames.frame(utf8("你好, 世界 🌍!"));
        RawClient c = connect(startEcho());
        for (int cut = 1; cut < frame.length; cut++) {
            c.sendRaw(Arrays.copyOfRange(frame, 0, cut));          // ends inside a character, or inside <EOF>
            c.sendRaw(Arrays.copyOfRange(frame, cut, frame.length));
            c.expectEcho(utf8("你好, 世界 🌍!"));
        }
    }

    @Test
    void rule03_frameSentOneByteAtATime() throws Exception {
        byte[] payload = utf8("一次一个字节 🙂 <EO <E");
        RawClient c = connect(startEcho());
        for (byte b : Frames.frame(payload)) {
            c.sendRaw(new byte[] {b});
        }
        c.expectEcho(payload);
    }

    @Test
    void rule03_manyFramesInOneWrite() throws Exception {
        RawClient c = connect(startEcho());
        c.sendRaw(concat(Frames.frame(utf8("one")), Frames.frame(utf8("")), Frames.frame(utf8("three"))));
        c.expectEcho(utf8("one"));
        c.expectEcho(utf8(""));
        c.expectEcho(utf8("three"));
    }

    @Test
    void rule04_payloadOfExactlyTheDefaultMaximumIsAccepted() throws Exception {
        byte[] payload = Bytes.filler(Frames.DEFAULT_MAX_FRAME, 1);
        RawClient c = connect(startEcho());
        c.sendFrame(payload);
        c.expectEcho(payload);
    }

    @Test
    void rule04_payloadOfExactlyTheMaximumIsAcceptedWhereverItsDelimiterIsSplit() throws Exception {
        int max = 1000;
        byte[] frame = Frames.frame(Bytes.filler(max, 2));
        RawClient c = connect(start(ServerConfig.defaults().withMaxFrame(max)));
        for (int inDelimiter = 0; inDelimiter <= Frames.DELIMITER.length; inDelimiter++) {
            int cut = max + inDelimiter;
            c.sendRaw(Arrays.copyOfRange(frame, 0, cut));
            c.sendRaw(Arrays.copyOfRange(frame, cut, frame.length));
            c.expectEcho(Bytes.filler(max, 2));
        }
    }

    /**
     * Rules 3 and 4 against every model's buffer policy (issue 25): its buffers start small, grow
     * for a burst and shrink back once the connection is quiet, so the same connection must still
     * take a frame of the whole maximum (past any read buffer's ceiling) after thousands of small
     * frames have shrunk them, and small and whole-maximum frames again once the big frame has
     * gone through and the connection has been quiet, cut anywhere, its delimiter included.
     */
    @Test
    void rule04_rule03_buffersThatShrinkWhenQuietStillGrowToTheMaximumAgain() throws Exception {
        int max = 200_000;
        byte[] big = Bytes.filler(max, 6);
        byte[][] small = new byte[2_000][];
        for (int i = 0; i < small.length; i++) small[i] = Frames.frame(utf8("s" + i));
        RawClient c = connect(start(ServerConfig.defaults().withMaxFrame(max)));

        c.sendRaw(concat(small));                          // one burst, far past a read's floor
        for (int i = 0; i < small.length; i++) c.expectEcho(utf8("s" + i));
        c.sendFrame(big);
        c.expectEcho(big);
        c.sendFrame("quiet, then small");                  // nothing left held: the buffers start over
        c.expectEcho("quiet, then small");
        byte[] frame = Frames.frame(big);
        for (int cut : new int[] {1, 100_000, max + 2}) {  // inside the payload, and inside <EOF>
            c.sendRaw(Arrays.copyOfRange(frame, 0, cut));
            c.sendRaw(Arrays.copyOfRange(frame, cut, frame.length));
            c.expectEcho(big);
        }
    }

    @Test
    void rule04_oneByteOverTheMaximumGetsTheErrorFrameAfterOwedRepliesThenClose() throws Exception {
        int max = 1000;
        Server server = start(ServerConfig.defaults().withMaxFrame(max));
        RawClient bystander = connect(server);
        RawClient c = connect(server);
        c.sendRaw(concat(Frames.frame(utf8("first")), Bytes.filler(max + 1, 3)));
        byte[] rest = c.readToEnd();
        assertArrayEquals(concat(Frames.frame(Bytes.echoOf(utf8("first"))), Frames.TOO_LONG), rest,
                "the owed reply, then the error frame, then the close");
        bystander.sendFrame("still here");                // no other connection notices
        bystander.expectEcho("still here");
    }

    /**
     * Rule 4 with a client still sending the too-long frame: the server lingers as rule 7 does,
     * so its error frame ends in a clean close. A close with those bytes unread would answer
     * them with a reset, which here shows as "Connection reset" instead of the end of stream
     * (on a real network it can also destroy the error frame and the replies before it).
     */
    @Test
    void rule04_aClientStillSendingGetsTheErrorFrameThenACleanClose() throws Exception {
        stillSendingGetsTheErrorFrameThenACleanClose(ServerConfig.Service.ECHO);
    }

    /** Rule 4's linger, for any service (SinkRules and ChatRules run it for theirs). */
    protected void stillSendingGetsTheErrorFrameThenACleanClose(ServerConfig.Service service) throws Exception {
        int max = 1000;
        RawClient c = connect(start(ServerConfig.defaults().withService(service).withMaxFrame(max)
                .withSinkOutput(java.io.OutputStream.nullOutputStream())));
        c.sendRaw(concat(Bytes.filler(max + 1, 3), Bytes.filler(200_000, 5)));   // the rest of a long "frame"

        assertArrayEquals(Frames.TOO_LONG, c.readToEnd(), "the error frame, then the end of stream, not a reset");
    }

    @Test
    void rule04_theErrorAlsoEndsAFrameWithoutAnyDelimiter() throws Exception {
        RawClient c = connect(start(ServerConfig.defaults().withMaxFrame(10)));
        c.sendRaw(Bytes.filler(4096, 4));                  // never a delimiter: the server must not wait for one
        assertArrayEquals(Frames.TOO_LONG, c.readToEnd());
        assertTrue(c.closedByServer());
    }
}
