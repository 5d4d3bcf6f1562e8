package fourways.coursework.e8_lengthprefix;

import static fourways.testsuite.Bytes.concat;
import static fourways.testsuite.Bytes.utf8;
import static org.junit.jupiter.api.Assertions.fail;

import fourways.coursework.Trap;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.testsuite.Bytes;
import fourways.testsuite.RawClient;
import fourways.testsuite.SuiteBase;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * Exercise 8's checker, its own and small: the shared suite speaks {@code <EOF>}, this protocol
 * does not. Rules 3 to 6 with a 4-byte big-endian length in front of each frame, both ways, cut
 * the way TCP may cut them. Every read is bounded by the raw client's read timeout (SuiteBase's
 * {@code @Timeout} bounds the rest); no test waits for a reply that a wrong server never sends.
 */
@Trap("A length prefix is bytes too: TCP may cut the four of them apart, and one read may hold several frames;"
        + " and the length comes first, so a frame too long can be refused before its payload arrives.")
abstract class PrefixChecker extends SuiteBase {
    private static final byte[] TOO_LONG = utf8("ERROR frame too long");

    PrefixChecker(Model model) {
        super(model);
    }

    /** A frame of this protocol: the payload's length, big-endian, then the payload. */
    static byte[] frame(byte[] payload) {
        return concat(ByteBuffer.allocate(4).putInt(payload.length).array(), payload);
    }

    /** One frame read back: the length, then exactly that many bytes, each read bounded. */
    static byte[] readFrame(RawClient c, String waitingFor) throws IOException {
        DataInputStream in = new DataInputStream(c.input());
        try {
            int length = in.readInt();
            if (length < 0 || length > 1 << 20) {
                fail(waitingFor + ": the reply's length field says " + Integer.toUnsignedString(length)
                        + " bytes; is it big-endian, and is it there at all? (\"Server return :\" starts 0x"
                        + Integer.toHexString(ByteBuffer.wrap(utf8("Serv")).getInt()) + ")");
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            return payload;
        } catch (EOFException e) {
            return fail(waitingFor + ": the server closed the connection instead");
        } catch (SocketTimeoutException e) {
            return fail(waitingFor + ": nothing came in time; does the server wait for a delimiter?");
        }
    }

    /**
     * The one check that runs while the starter's server does not start at all: it says so,
     * once, where eight checks would each fail with the same exception.
     */
    @Test
    void prefix_theServerStarts() throws Exception {
        try {
            model.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0)).close();   // it starts; the others judge it
        } catch (UnsupportedOperationException e) {
            fail("Exercise 8 is not started yet: \"" + e.getMessage() + "\", so no other check ran."
                    + " Pick a model, write PrefixedServer.start, and run this again.");
        }
    }

    /** Every other check: skipped, not failed, while the server does not start (see above). */
    @Override
    protected Server start(ServerConfig config) throws IOException {
        try {
            return super.start(config);
        } catch (UnsupportedOperationException notWritten) {
            throw new TestAbortedException("not started yet: see prefix_theServerStarts");
        }
    }

    static void expectEcho(RawClient c, byte[] payload) throws IOException {
        Bytes.assertBytes(Bytes.echoOf(payload), readFrame(c, "the echo of " + Bytes.show(payload)), "rule 5: the echo");
    }

    @Test
    void rule05_aFrameComesBack() throws Exception {
        RawClient c = connect(startEcho());
        c.sendRaw(frame(utf8("This is a test")));
        expectEcho(c, utf8("This is a test"));
    }

    @Test
    void rule02_aPayloadThatHoldsEofAndZerosIsOneFrame() throws Exception {
        byte[] payload = concat(utf8("one <EOF> two"), new byte[] {0, 0, 0, 0}, Bytes.allByteValues());
        RawClient c = connect(startEcho());
        c.sendRaw(frame(payload));
        expectEcho(c, payload);
    }

    @Test
    void rule05_anEmptyFrameGetsThePrefixAlone() throws Exception {
        RawClient c = connect(startEcho());
        c.sendRaw(frame(new byte[0]));
        expectEcho(c, new byte[0]);
    }

    @Test
    void rule03_aFrameCutAtEveryByteComesBackWhole() throws Exception {
        byte[] payload = utf8("你好, 世界");
        byte[] frame = frame(payload);
        RawClient c = connect(startEcho());
        for (int cut = 1; cut < frame.length; cut++) {        // cuts 1 to 3 fall inside the length
            c.sendRaw(Arrays.copyOfRange(frame, 0, cut));
            c.sendRaw(Arrays.copyOfRange(frame, cut, frame.length));
            expectEcho(c, payload);
        }
    }

    @Test
    void rule03_aThousandFramesInOneWriteComeBackInOrder() throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) all.writeBytes(frame(utf8("frame " + i)));
        RawClient c = connect(startEcho());
        c.sendRaw(all.toByteArray());
        for (int i = 0; i < 1000; i++) expectEcho(c, utf8("frame " + i));
    }

    @Test
    void rule04_aLengthOverTheMaximumIsRefusedBeforeItsPayload() throws Exception {
        RawClient c = connect(start(ServerConfig.defaults().withMaxFrame(1000)));
        c.sendRaw(frame(utf8("fits")));
        expectEcho(c, utf8("fits"));
        c.sendRaw(ByteBuffer.allocate(4).putInt(1001).array());   // the length alone: no payload follows
        Bytes.assertBytes(TOO_LONG, readFrame(c, "the error frame, sent on the length alone"),
                "rule 4: the error frame");
        Bytes.assertBytes(new byte[0], c.readToEnd(), "rule 4: then the close");
    }

    @Test
    void rule04_aLengthWithItsTopBitSetIsTooLongNotNegative() throws Exception {
        RawClient c = connect(start(ServerConfig.defaults().withMaxFrame(1000)));
        c.sendRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});   // 4 GiB, unsigned
        Bytes.assertBytes(TOO_LONG, readFrame(c, "the error frame for a 4 GiB length"), "rule 4: the error frame");
        Bytes.assertBytes(new byte[0], c.readToEnd(), "rule 4: then the close");
    }

    @Test
    void rule06_halfCloseGetsTheOwedRepliesThenAClose() throws Exception {
        RawClient c = connect(startEcho());
        byte[] partial = Arrays.copyOf(frame(utf8("partial")), 6);  // its length and two bytes of seven
        c.sendRaw(concat(frame(utf8("a")), frame(utf8("b")), partial));
        c.shutdownOutput();
        Bytes.assertBytes(concat(frame(Bytes.echoOf(utf8("a"))), frame(Bytes.echoOf(utf8("b")))), c.readToEnd(),
                "two replies, none for the partial frame, then the close");
    }
}
