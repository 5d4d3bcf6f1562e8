package fourways.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Load-mode payloads (rule 17). Every payload of at least 8 bytes differs from every other in
 * a run: its first five bytes spell the message number and the next three the connection
 * number (base 62), so a reply out of order or from another connection fails its check. The
 * rest is a fixed pattern. Letters and digits only, so a payload can never contain
 * {@code <EOF>}. Nothing is stored: the expected bytes are computed again when the reply comes.
 */
final class Payloads {
    private static final byte[] DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
            .getBytes(StandardCharsets.US_ASCII);
    private static final int MESSAGE_DIGITS = 5;
    static final int NUMBER_DIGITS = MESSAGE_DIGITS + 3;
    /** How many messages and connections those digits tell apart: 62^5 and 62^3. */
    static final int MESSAGES = 916_132_832, CONNECTIONS = 238_328;

    private Payloads() {}

    /** The fixed part, {@code DIGITS[i % 62]} at index i, as one array to copy and compare in bulk. */
    private static final byte[] PATTERN = new byte[DIGITS.length * 64];

    static {
        for (int i = 0; i < PATTERN.length; i++) PATTERN[i] = DIGITS[i % DIGITS.length];
    }

    static byte at(int connection, int message, int index) {
        if (index < MESSAGE_DIGITS) return digit(message, index);
        if (index < NUMBER_DIGITS) return digit(connection, index - MESSAGE_DIGITS);
        return PATTERN[index % PATTERN.length];
    }

    private static byte digit(int value, int place) {
        for (int i = 0; i < place; i++) value /= DIGITS.length;
        return DIGITS[value % DIGITS.length];
    }

    static void fill(ByteBuffer out, int connection, int message, int size) {
        int numbered = Math.min(size, NUMBER_DIGITS);
        for (int i = 0; i < numbered; i++) {
            out.put(at(connection, message, i));
        }
        // The load client's hot path: the rest goes in as bulk copies, not byte by byte.
        for (int i = numbered; i < size; ) {
            int from = i % PATTERN.length;
            int n = Math.min(size - i, PATTERN.length - from);
            out.put(PATTERN, from, n);
            i += n;
        }
    }

    static boolean isEchoOf(ByteBuffer reply, int connection, int message, int size) {
        int p = reply.position();
        if (reply.remaining() != Frames.ECHO_PREFIX.length + size) return false;
        for (byte b : Frames.ECHO_PREFIX) {
            if (reply.get(p++) != b) return false;
        }
        int numbered = Math.min(size, NUMBER_DIGITS);
        for (int i = 0; i < numbered; i++) {
            if (reply.get(p + i) != at(connection, message, i)) return false;
        }
        for (int i = numbered; i < size; ) {
            int from = i % PATTERN.length;
            int n = Math.min(size - i, PATTERN.length - from);
            if (reply.slice(p + i, n).mismatch(ByteBuffer.wrap(PATTERN, from, n)) != -1) return false;
            i += n;
        }
        return true;
    }
}
