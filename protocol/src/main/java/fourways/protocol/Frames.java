package fourways.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of the protocol, written once: the delimiter, the echo prefix, the error frame
 * (PROTOCOL.md rules 1, 4 and 5). Every method returns a fresh buffer, ready to read.
 */
public final class Frames {
    /** Rule 1: the five ASCII bytes that end every frame. */
    public static final byte[] DELIMITER = ascii("<EOF>");
    /** Rule 5: exactly these 15 bytes open every echo reply. */
    public static final byte[] ECHO_PREFIX = ascii("Server return :");
    /** Rule 4: what a server sends before it closes a connection whose frame is too long. */
    public static final byte[] TOO_LONG = ascii("ERROR frame too long<EOF>");
    /** Rule 4: the default maximum payload. */
    public static final int DEFAULT_MAX_FRAME = 65_536;

    private Frames() {}

    /** Rule 1: {@code payload<EOF>}. Copies the payload, so the caller may reuse its buffer. */
    public static ByteBuffer frame(ByteBuffer payload) {
        ByteBuffer out = ByteBuffer.allocate(payload.remaining() + DELIMITER.length);
        return out.put(payload.duplicate()).put(DELIMITER).flip();
    }

    /** Rule 1, for callers that hold bytes. */
    public static byte[] frame(byte[] payload) {
        byte[] out = new byte[payload.length + DELIMITER.length];
        System.arraycopy(payload, 0, out, 0, payload.length);
        System.arraycopy(DELIMITER, 0, out, payload.length, DELIMITER.length);
        return out;
    }

    /** Rule 5: {@code Server return :payload<EOF>}, byte-exact (rule 2: nothing is decoded). */
    public static ByteBuffer echoReply(ByteBuffer payload) {
        return echoReply(payload, ByteBuffer.allocate(echoReplyLength(payload)));
    }

    /** Rule 5, into {@code out} from its start; {@code out} must hold {@link #echoReplyLength}. */
    public static ByteBuffer echoReply(ByteBuffer payload, ByteBuffer out) {
        return out.clear().put(ECHO_PREFIX).put(payload.duplicate()).put(DELIMITER).flip();
    }

    public static int echoReplyLength(ByteBuffer payload) {
        return ECHO_PREFIX.length + payload.remaining() + DELIMITER.length;
    }

    /** Rule 4: the error frame, a fresh copy for each connection that needs one. */
    public static ByteBuffer tooLong() {
        return ByteBuffer.wrap(TOO_LONG.clone());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
