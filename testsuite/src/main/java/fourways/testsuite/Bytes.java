package fourways.testsuite;

import fourways.protocol.Frames;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Byte helpers of the suite: what a reply must be, to the byte. */
public final class Bytes {
    private Bytes() {}

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Rule 5: the payload of an echo reply. */
    public static byte[] echoOf(byte[] payload) {
        return concat(Frames.ECHO_PREFIX, payload);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** {@code n} bytes of a pattern that never contains {@code <EOF>}. */
    public static byte[] filler(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) ('a' + (i * 7 + seed) % 26);
        return b;
    }

    /** Every byte value, 0 to 255, in order: binary, and no {@code <EOF>} in it. */
    public static byte[] allByteValues() {
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) b[i] = (byte) i;
        return b;
    }

    /** How many characters of a payload a failure message shows: one line's worth. */
    static final int SHOWN = 72;

    /**
     * Bytes as a failure message shows them: in quotes, as UTF-8 text (an ill-formed sequence as
     * U+FFFD) with control characters escaped, cut to one line, with the total length when cut;
     * {@code ""} for none. So a student reads what came, not two array lengths.
     */
    public static String show(byte[] bytes) {
        if (bytes == null) return "nothing (the connection closed)";
        if (bytes.length == 0) return "\"\" (no byte)";
        StringBuilder out = new StringBuilder("\"");
        String decoded = new String(bytes, StandardCharsets.UTF_8);
        int shown = 0;
        for (int i = 0; i < decoded.length() && shown < SHOWN; i = decoded.offsetByCodePoints(i, 1), shown++) {
            int c = decoded.codePointAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) out.append(String.format("\\x%02x", c));
                    else out.appendCodePoint(c);
                }
            }
        }
        out.append('"');
        boolean cut = decoded.codePointCount(0, decoded.length()) > SHOWN;
        return cut ? out + "... (" + bytes.length + " bytes)" : out.toString();
    }

    /**
     * Fails unless {@code actual} is {@code expected} to the byte, showing both as text and
     * where they part: {@code what} says what was expected, as "rule 4: the error frame".
     */
    public static void assertBytes(byte[] expected, byte[] actual, String what) {
        if (java.util.Arrays.equals(expected, actual)) return;
        int at = actual == null ? 0 : java.util.Arrays.mismatch(expected, actual);
        throw new org.opentest4j.AssertionFailedError(what + ": expected " + show(expected) + " but got " + show(actual)
                + (actual == null ? "" : " (they part at byte " + at + " of " + expected.length + ")"),
                show(expected), show(actual));
    }
}
