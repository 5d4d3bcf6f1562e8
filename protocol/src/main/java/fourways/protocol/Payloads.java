package fourways.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Load-mode payloads (rule 17), one instance per run. Every payload of at least 8 bytes differs
 * from every other in a run: its first five bytes spell the message number and the next three
 * the connection number (base 62), so a reply out of order or from another connection fails
 * its check. The rest is a fixed pattern. Letters and digits only, so a payload can never
 * contain {@code <EOF>}.
 *
 * <p>The load client's hot path lives here, and it allocates nothing per message: the run
 * builds once the reply that every message gets (rule 5), with the numbered head left to fill.
 * Sending copies a frame out of it; checking compares the reply's bytes against it as they
 * arrive, in bulk, without searching for the delimiter (the client knows how long each reply
 * is). Only the eight head bytes are computed per message.
 */
final class Payloads {
    private static final byte[] DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
            .getBytes(StandardCharsets.US_ASCII);
    private static final int MESSAGE_DIGITS = 5;
    /** The numbered head: message digits, then connection digits. */
    static final int HEAD = MESSAGE_DIGITS + 3;
    /** How many messages and connections those digits tell apart: 62^5 and 62^3. */
    static final int MESSAGES = 916_132_832, CONNECTIONS = 238_328;

    private final int size;
    /** How many head bytes this size has room for: {@code min(size, HEAD)}. */
    private final int numbered;
    /** Where the payload starts in {@link #reply}: after rule 5's prefix. */
    private final int payloadAt = Frames.ECHO_PREFIX.length;
    /** Prefix, payload (pattern {@code DIGITS[i % 62]} at index i, head left blank), delimiter. */
    private final byte[] reply;

    Payloads(int size) {
        this.size = size;
        this.numbered = Math.min(size, HEAD);
        this.reply = new byte[payloadAt + size + Frames.DELIMITER.length];
        System.arraycopy(Frames.ECHO_PREFIX, 0, reply, 0, payloadAt);
        for (int i = 0; i < size; i++) reply[payloadAt + i] = DIGITS[i % DIGITS.length];
        System.arraycopy(Frames.DELIMITER, 0, reply, payloadAt + size, Frames.DELIMITER.length);
    }

    /** Writes the head of message {@code message} on {@code connection} into {@code into[0, HEAD)}. */
    void head(byte[] into, int connection, int message) {
        int value = message;
        for (int i = 0; i < MESSAGE_DIGITS; i++, value /= DIGITS.length) into[i] = DIGITS[value % DIGITS.length];
        value = connection;
        for (int i = MESSAGE_DIGITS; i < HEAD; i++, value /= DIGITS.length) into[i] = DIGITS[value % DIGITS.length];
    }

    /** Puts one frame (rule 1) with the given head into {@code out}, which has room for it. */
    void fill(ByteBuffer out, byte[] head) {
        out.put(head, 0, numbered);
        out.put(reply, payloadAt + numbered, size - numbered + Frames.DELIMITER.length);
    }

    /**
     * Whether the next {@code n} bytes of {@code in} (from its position, which does not move)
     * are the expected reply's bytes from offset {@code at}, the reply whose head is {@code head}.
     */
    boolean matches(ByteBuffer in, int at, int n, byte[] head) {
        int p = in.position();
        int end = at + n;
        int headFrom = payloadAt;
        int headTo = payloadAt + numbered;
        int i = at;
        if (i < headFrom) {                           // the prefix
            int k = Math.min(end, headFrom) - i;
            if (!same(in, p, i, k)) return false;
            p += k;
            i += k;
        }
        for (; i < end && i < headTo; i++) {          // the numbered head, eight bytes at most
            if (in.get(p++) != head[i - headFrom]) return false;
        }
        return i >= end || same(in, p, i, end - i);   // the pattern and the delimiter
    }

    private boolean same(ByteBuffer in, int p, int from, int n) {
        if (in.hasArray()) {
            int a = in.arrayOffset() + p;
            return Arrays.equals(in.array(), a, a + n, reply, from, from + n);
        }
        for (int i = 0; i < n; i++) {                 // a direct buffer: no array to compare in bulk
            if (in.get(p + i) != reply[from + i]) return false;
        }
        return true;
    }
}
