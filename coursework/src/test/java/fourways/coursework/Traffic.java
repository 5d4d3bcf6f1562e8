package fourways.coursework;

import fourways.protocol.Frames;
import fourways.testsuite.Bytes;
import fourways.testsuite.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Traffic the checkers share: numbered frames, so that a reply lost, cut or out of order shows. */
public final class Traffic {
    private Traffic() {}

    /** Payload {@code i}: its number in ten digits, then filler. */
    public static byte[] payload(int i, int size) {
        byte[] p = Bytes.filler(size, i % 26);
        byte[] n = String.format("%010d", i).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, p, 0, Math.min(n.length, size));
        return p;
    }

    /** Frames 0 to {@code count - 1}, one after the other: one write's worth of pipelining. */
    public static byte[] frames(int count, int size) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) all.writeBytes(Frames.frame(payload(i, size)));
        return all.toByteArray();
    }

    /** Rule 5: the echo of each of those frames, in order, byte for byte. */
    public static void expectEchoes(RawClient c, int count, int size) throws IOException {
        for (int i = 0; i < count; i++) c.expectEcho(payload(i, size));
    }
}
