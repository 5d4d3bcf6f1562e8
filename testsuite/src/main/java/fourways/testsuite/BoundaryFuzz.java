package fourways.testsuite;

import static org.junit.jupiter.api.Assertions.fail;

import fourways.protocol.Frames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One case of the boundary fuzz ({@link HostileRules}): from one seed, a few frames of random
 * sizes and bytes, cut into TLS records of random sizes, cut into TCP writes at random; the
 * echo must come back byte for byte. It costs a round trip per case, and nothing else: each
 * case ends with every reply read, so the next one starts at a clean boundary, and a seed
 * replays its case exactly, on any connection of its protocol.
 */
final class BoundaryFuzz {
    /** Bytes the delimiter is made of come up often, so that near-delimiters are cut everywhere. */
    private static final byte[] ALPHABET = {'<', 'E', 'O', 'F', '>', '<', 'E', 'O', 'F', 0, (byte) 0xff, (byte) 0xe4, 'a'};

    private BoundaryFuzz() {}

    /** Runs the case of {@code seed} over {@code tls13} or {@code tls12}, as the seed picks; fails naming the seed. */
    static void run(long seed, EngineClient tls13, EngineClient tls12) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        EngineClient c = r.nextBoolean() ? tls13 : tls12;
        ByteArrayOutputStream sent = new ByteArrayOutputStream(), echo = new ByteArrayOutputStream();
        for (int i = 0, frames = 1 + r.nextInt(8); i < frames; i++) {
            byte[] payload = payload(r);
            sent.writeBytes(Frames.frame(payload));
            echo.writeBytes(Frames.frame(Bytes.echoOf(payload)));
        }
        byte[] plaintext = sent.toByteArray();
        byte[] records = c.records(plaintext, cuts(r, plaintext.length, r.nextBoolean() ? 16 : 16_384));
        int at = 0;
        for (int piece : cuts(r, records.length, r.nextBoolean() ? 8 : 4096)) {
            c.send(records, at, piece);
            at += piece;
        }
        c.send(records, at, records.length - at);
        byte[] expected = echo.toByteArray();
        byte[] got;
        try {
            got = c.read(expected.length);
        } catch (IOException e) {
            got = null;
            fail(what(seed, c, plaintext, records) + ": " + e);
        }
        if (!Arrays.equals(expected, got)) {
            fail(what(seed, c, plaintext, records) + ": expected " + Bytes.show(expected) + " but got " + Bytes.show(got));
        }
    }

    private static String what(long seed, EngineClient c, byte[] plaintext, byte[] records) {
        return "rules 3 and 24, fuzz case " + seed + " (" + c.protocol() + ", " + plaintext.length + " bytes of frames in "
                + records.length + " bytes of records; run it alone with -Dfourways.fuzz.seed=" + seed + ")";
    }

    /** Mostly short, now and then long; never holding {@code <EOF>}, which would end the frame early. */
    private static byte[] payload(SplittableRandom r) {
        int length = r.nextInt(10) == 0 ? r.nextInt(20_000) : r.nextInt(300);
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) p[i] = r.nextInt(3) == 0 ? (byte) r.nextInt(256) : ALPHABET[r.nextInt(ALPHABET.length)];
        for (int i = 4; i < length; i++) {
            if (p[i] == '>' && p[i - 1] == 'F' && p[i - 2] == 'O' && p[i - 3] == 'E' && p[i - 4] == '<') p[i] = 'x';
        }
        return p;
    }

    /** Up to 24 piece sizes, each at most {@code max}, that together take at most {@code total}. */
    private static int[] cuts(SplittableRandom r, int total, int max) {
        int[] pieces = new int[r.nextInt(25)];
        int left = total, n = 0;
        for (; n < pieces.length && left > 0; n++) {
            pieces[n] = 1 + r.nextInt(Math.min(max, left));
            left -= pieces[n];
        }
        return Arrays.copyOf(pieces, n);
    }
}
