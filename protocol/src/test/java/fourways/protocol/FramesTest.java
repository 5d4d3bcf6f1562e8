package fourways.protocol;

import static fourways.protocol.TestBytes.hex;
import static fourways.protocol.TestBytes.remaining;
import static fourways.protocol.TestBytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The protocol's fixed bytes (rules 1, 4 and 5), checked byte by byte, not as text. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FramesTest {

    @Test
    void rule01_delimiterIsFiveAsciiBytes() {
        assertArrayEquals(hex("3C 45 4F 46 3E"), Frames.DELIMITER);
    }

    @Test
    void rule01_frameIsPayloadThenDelimiter() {
        ByteBuffer payload = ByteBuffer.wrap(utf8("xxhi!")).position(2);     // only "hi!" remains

        ByteBuffer frame = Frames.frame(payload);

        assertArrayEquals(utf8("hi!<EOF>"), remaining(frame));
        assertEquals(2, payload.position(), "the caller's buffer is copied, not consumed");
        assertArrayEquals(utf8("<EOF>"), Frames.frame(new byte[0]));
        assertArrayEquals(utf8("你<EOF>"), Frames.frame(utf8("你")));
    }

    @Test
    void rule05_echoReplyIsTheFifteenBytePrefixThenPayloadThenDelimiter() {
        assertArrayEquals(hex("53 65 72 76 65 72 20 72 65 74 75 72 6E 20 3A"), Frames.ECHO_PREFIX);
        assertEquals(15, Frames.ECHO_PREFIX.length);

        ByteBuffer payload = ByteBuffer.wrap(utf8("héllo 😀"));
        ByteBuffer reply = Frames.echoReply(payload);

        assertArrayEquals(utf8("Server return :héllo 😀<EOF>"), remaining(reply));
        assertEquals(0, payload.position(), "the payload is copied, not consumed");
    }

    @Test
    void rule02_echoReplyOfBinaryIsByteExact() {
        byte[] binary = new byte[256];
        for (int i = 0; i < 256; i++) binary[i] = (byte) i;

        ByteBuffer reply = Frames.echoReply(ByteBuffer.wrap(binary));

        assertArrayEquals(TestBytes.concat(Frames.ECHO_PREFIX, binary, Frames.DELIMITER), remaining(reply));
    }

    @Test
    void rule05_echoReplyOfAnEmptyPayload() {
        assertArrayEquals(utf8("Server return :<EOF>"), remaining(Frames.echoReply(ByteBuffer.allocate(0))));
    }

    @Test
    void rule04_tooLongIsTheErrorFrame_aFreshCopyEachTime() {
        ByteBuffer first = Frames.tooLong();
        assertArrayEquals(utf8("ERROR frame too long<EOF>"), remaining(first));

        // A transport owns what it is given and may write into it; the next one is unharmed.
        first.put(0, (byte) 'X');
        assertArrayEquals(utf8("ERROR frame too long<EOF>"), remaining(Frames.tooLong()));
        assertArrayEquals(utf8("ERROR frame too long<EOF>"), Frames.TOO_LONG);
    }
}
