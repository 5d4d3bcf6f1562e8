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
}
