package fourways.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Small helpers the protocol tests share: bytes from text and hex, and bytes out of buffers. */
final class TestBytes {
    private TestBytes() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** {@code hex("61 F1 80")}: bytes written as the Unicode standard writes them. */
    static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : parts) all.writeBytes(p);
        return all.toByteArray();
    }

    /** The remaining bytes of {@code b}, without moving its position. */
    static byte[] remaining(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(b.position(), out);
        return out;
    }

    /** A buffer holding {@code bytes}, ready to read: on the heap, or direct as a socket read fills. */
    static ByteBuffer buffer(byte[] bytes, boolean direct) {
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
        return b.put(bytes).flip();
    }

    static byte[] repeat(char c, int n) {
        return utf8(String.valueOf(c).repeat(n));
    }
}
