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
    private static final int NUMBER_DIGITS = MESSAGE_DIGITS + 3;

    private Payloads() {}

    static byte at(int connection, int message, int index) {
        if (index < MESSAGE_DIGITS) return digit(message, index);
        if (index < NUMBER_DIGITS) return digit(connection, index - MESSAGE_DIGITS);
        return DIGITS[index % DIGITS.length];
    }

    private static byte digit(int value, int place) {
        for (int i = 0; i < place; i++) value /= DIGITS.length;
        return DIGITS[value % DIGITS.length];
    }

    static void fill(ByteBuffer out, int connection, int message, int size) {
        for (int i = 0; i < size; i++) {
            out.put(at(connection, message, i));
        }
    }

    static boolean isEchoOf(ByteBuffer reply, int connection, int message, int size) {
        int p = reply.position();
        if (reply.remaining() != Frames.ECHO_PREFIX.length + size) return false;
        for (byte b : Frames.ECHO_PREFIX) {
            if (reply.get(p++) != b) return false;
        }
        for (int i = 0; i < size; i++) {
            if (reply.get(p + i) != at(connection, message, i)) return false;
        }
        return true;
    }
}
