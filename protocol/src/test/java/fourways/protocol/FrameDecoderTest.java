package fourways.protocol;

import static fourways.protocol.TestBytes.buffer;
import static fourways.protocol.TestBytes.concat;
import static fourways.protocol.TestBytes.repeat;
import static fourways.protocol.TestBytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The incremental {@code <EOF>} decoder (rules 1 to 4): whatever way TCP cuts the stream, the
 * same payloads come out, byte for byte, and a frame that is too long is caught in bounded memory.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FrameDecoderTest {
    private static final byte[] EOF = Frames.DELIMITER;

    /** What the handler received, copied, as every real handler must copy (see the views test). */
    private final List<byte[]> received = new ArrayList<>();
    private final FrameDecoder.Handler copying = payload -> received.add(TestBytes.remaining(payload));

    // ---- Rule 1: a frame is a payload followed by <EOF> ----

    @Test
    void rule01_singleFrame() throws Exception {
        FrameDecoder decoder = new FrameDecoder(100);
        ByteBuffer in = ByteBuffer.wrap(utf8("hello<EOF>"));

        decoder.decode(in, copying);

        assertEquals(List.of("hello"), texts());
        assertFalse(in.hasRemaining(), "decode consumes every byte it is given");
        assertFalse(decoder.hasPartialFrame());
    }

    @Test
    void rule01_emptyPayloadIsAFrame() throws Exception {
        FrameDecoder decoder = new FrameDecoder(100);

        decoder.decode(ByteBuffer.wrap(utf8("<EOF><EOF>")), copying);

        assertEquals(List.of("", ""), texts());
    }

    @Test
    void rule01_nearDelimitersArePayload() throws Exception {
        // Each mismatch may itself begin the delimiter: "<<EOF>" is "<" followed by a frame end.
        String[] payloads = {"<", "<E", "<EO", "<EOF", "<<<", "E<O<EO<EOF", "<EOF >", "EOF>", ">"};
        StringBuilder stream = new StringBuilder();
        for (String p : payloads) stream.append(p).append("<EOF>");
        byte[] bytes = utf8(stream.toString());

        new FrameDecoder(100).decode(ByteBuffer.wrap(bytes), copying);
        assertEquals(List.of(payloads), texts());

        received.clear();
        FrameDecoder oneByteAtATime = new FrameDecoder(100);
        for (byte b : bytes) oneByteAtATime.decode(ByteBuffer.wrap(new byte[] {b}), copying);
        assertEquals(List.of(payloads), texts());
    }

    @Test
    void rule01_noDelimiterNoFrame() throws Exception {
        FrameDecoder decoder = new FrameDecoder(100);

        decoder.decode(ByteBuffer.wrap(utf8("<EO<EOEOF><E0F>")), copying);

        assertEquals(List.of(), texts());
        assertTrue(decoder.hasPartialFrame(), "rule 6: the bytes of an unfinished frame are held");
    }

    // ---- Rule 2: payloads are bytes, not text ----

    @Test
    void rule02_everyByteValueComesBackExact() throws Exception {
        byte[] everyValue = new byte[256 * 4];
        for (int i = 0; i < everyValue.length; i++) everyValue[i] = (byte) i;
        byte[] random = randomPayloadWithoutDelimiter(new Random(42), 50_000);
        byte[] stream = concat(everyValue, EOF, random, EOF);

        // In one read, then in reads of 7 bytes, a size that falls everywhere in the delimiter.
        new FrameDecoder(100_000).decode(ByteBuffer.wrap(stream), copying);
        feedInChunks(new FrameDecoder(100_000), stream, 7, false);

        assertEquals(List.of(latin1(everyValue), latin1(random), latin1(everyValue), latin1(random)), payloads());
    }

    // ---- Rule 3: TCP keeps no message boundaries ----

    /** Text in three scripts, an emoji (4 UTF-8 bytes), an empty payload, and near-delimiters. */
    private static final String[] MIXED = {"你好, world", "😀 smile 🎉", "", "<E<EO", "a<", "Ω≈ç√"};

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void rule03_frameSplitAtEveryByteBoundary(boolean direct) throws Exception {
        byte[] stream = stream(MIXED);
        // Two reads, cut at every possible place: inside "<EOF>", inside 你 (E4 BD A0), inside 😀.
        for (int cut = 0; cut <= stream.length; cut++) {
            received.clear();
            FrameDecoder decoder = new FrameDecoder(100);
            decoder.decode(buffer(Arrays.copyOfRange(stream, 0, cut), direct), copying);
            decoder.decode(buffer(Arrays.copyOfRange(stream, cut, stream.length), direct), copying);
            assertEquals(utf8Payloads(MIXED), payloads(), "cut at byte " + cut);
            assertFalse(decoder.hasPartialFrame());
        }
    }

    @ParameterizedTest(name = "direct={0}")
    @ValueSource(booleans = {false, true})
    void rule03_frameFedOneByteAtATime(boolean direct) throws Exception {
        feedInChunks(new FrameDecoder(100), stream(MIXED), 1, direct);

        assertEquals(utf8Payloads(MIXED), payloads());
    }

    @Test
    void rule03_splitInsideAnEmojiKeepsItsBytes() throws Exception {
        byte[] grin = utf8("😀");                              // F0 9F 98 80
        FrameDecoder decoder = new FrameDecoder(100);

        for (byte b : concat(grin, EOF)) decoder.decode(ByteBuffer.wrap(new byte[] {b}), copying);

        assertEquals(List.of(latin1(TestBytes.hex("F0 9F 98 80"))), payloads());
        assertEquals(List.of("😀"), texts());
    }

    @Test
    void rule03_severalFramesInOneReadAndAPartialOneCarried() throws Exception {
        FrameDecoder decoder = new FrameDecoder(100);

        decoder.decode(ByteBuffer.wrap(utf8("a<EOF>bc<EOF>def<EOF>gh<E")), copying);
        assertEquals(List.of("a", "bc", "def"), texts());
        assertTrue(decoder.hasPartialFrame());

        decoder.decode(ByteBuffer.wrap(utf8("OF>")), copying);
        assertEquals(List.of("a", "bc", "def", "gh"), texts());
        assertFalse(decoder.hasPartialFrame());
    }

    @Test
    void rule03_readsOnlyBetweenPositionAndLimit() throws Exception {
        // A read buffer is often larger than the read: bytes outside [position, limit) are not ours.
        ByteBuffer in = ByteBuffer.wrap(utf8("junk<EOF>ab<EOF>cd<EOF>junk<EOF>"));
        in.position(9).limit(23);                                   // "ab<EOF>cd<EOF>"

        new FrameDecoder(100).decode(in, copying);

        assertEquals(List.of("ab", "cd"), texts());
        assertEquals(23, in.position());
    }

    @Test
    void rule03_payloadsSurviveTheCallerReusingItsBuffer() throws Exception {
        // A transport reads into one buffer again and again. A payload may be a view of it, so
        // the handler copies; and the decoder must copy the unfinished frame it carries over.
        byte[] readBuffer = new byte[16];
        FrameDecoder decoder = new FrameDecoder(100);

        byte[] first = utf8("ab<EOF>cd<E");
        System.arraycopy(first, 0, readBuffer, 0, first.length);
        decoder.decode(ByteBuffer.wrap(readBuffer, 0, first.length), copying);

        Arrays.fill(readBuffer, (byte) 'Z');                       // the next read overwrites it
        byte[] second = utf8("OF>ef<EOF>");
        System.arraycopy(second, 0, readBuffer, 0, second.length);
        decoder.decode(ByteBuffer.wrap(readBuffer, 0, second.length), copying);

        assertEquals(List.of("ab", "cd", "ef"), texts());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void rule03_neverRescans_a16MiBPayloadIn1KiBReads() throws Exception {
        // Feeding N bytes costs O(N). A decoder that searched its whole buffer again on every
        // read would do 16,384 searches of up to 16 MiB here and miss the timeout by far.
        int maxFrame = 16 << 20;
        FrameDecoder decoder = new FrameDecoder(maxFrame);
        ByteBuffer read = ByteBuffer.allocate(1024);
        for (int sent = 0; sent < maxFrame; sent += read.capacity()) {
            read.clear();
            for (int i = 0; i < read.capacity(); i++) read.put((byte) ('a' + (sent + i) % 26));
            decoder.decode(read.flip(), copying);
        }
        decoder.decode(ByteBuffer.wrap(EOF), copying);

        assertEquals(1, received.size());
        byte[] payload = received.get(0);
        assertEquals(maxFrame, payload.length);
        for (int i = 0; i < payload.length; i += 4099) assertEquals('a' + i % 26, payload[i], "byte " + i);
        assertTrue(decoder.capacity() <= maxFrame + 4, "rule 4: held " + decoder.capacity() + " bytes");
    }

    // ---- Rule 4: payloads have a maximum size ----

    @Test
    void rule04_payloadOfExactlyMaxIsAcceptedHoweverTheDelimiterIsSplit() throws Exception {
        int max = 64;
        byte[] frame = concat(repeat('x', max), EOF);
        // Every cut inside and around the delimiter, then every byte on its own.
        for (int cut = max; cut <= frame.length; cut++) {
            received.clear();
            FrameDecoder decoder = new FrameDecoder(max);
            decoder.decode(ByteBuffer.wrap(frame, 0, cut), copying);
            decoder.decode(ByteBuffer.wrap(frame, cut, frame.length - cut), copying);
            assertEquals(List.of("x".repeat(max)), texts(), "cut at byte " + cut);
        }
        received.clear();
        feedInChunks(new FrameDecoder(max), frame, 1, false);
        assertEquals(List.of("x".repeat(max)), texts());
    }

    @Test
    void rule04_maxPlusOneIsRejectedAfterTheEarlierFramesAreDelivered() {
        int max = 64;
        byte[] stream = concat(utf8("ok<EOF><EOF>"), repeat('x', max + 1), EOF, utf8("never<EOF>"));

        FrameDecoder decoder = new FrameDecoder(max);
        assertThrows(FrameDecoder.FrameTooLongException.class,
                () -> decoder.decode(ByteBuffer.wrap(stream), copying));

        // The server sends the replies it owes for these before the error frame.
        assertEquals(List.of("ok", ""), texts());
    }

    @Test
    void rule04_maxPlusOneIsRejectedByteByByteToo() {
        int max = 64;
        byte[] stream = concat(utf8("ok<EOF>"), repeat('x', max + 1), EOF);
        FrameDecoder decoder = new FrameDecoder(max);

        int fed = 0;
        try {
            for (; fed < stream.length; fed++) decoder.decode(ByteBuffer.wrap(stream, fed, 1), copying);
        } catch (FrameDecoder.FrameTooLongException expected) {
            // The 65th 'x' cannot be part of a delimiter: the verdict comes at once.
        }
        assertEquals(7 + max, fed, "rejected at the byte that made the payload too long");
        assertEquals(List.of("ok"), texts());
    }

    @Test
    void rule04_holdsAtMostMaxPlusFourBytesBeforeTheVerdict() throws Exception {
        int max = 1000;
        FrameDecoder decoder = new FrameDecoder(max);
        // max bytes and "<EOF": the four may still be a delimiter, so no verdict yet.
        byte[] almost = concat(repeat('x', max), utf8("<EOF"));
        for (int i = 0; i < almost.length; i++) {
            decoder.decode(ByteBuffer.wrap(almost, i, 1), copying);
            assertTrue(decoder.capacity() <= max + 4, "holds " + decoder.capacity() + " bytes");
        }
        // One more byte that is not '>' settles it: the payload is at least max + 5 bytes.
        assertThrows(FrameDecoder.FrameTooLongException.class,
                () -> decoder.decode(ByteBuffer.wrap(utf8("!")), copying));
        assertEquals(List.of(), texts());
    }

    // ---- helpers ----

    private void feedInChunks(FrameDecoder decoder, byte[] stream, int chunk, boolean direct) throws Exception {
        for (int from = 0; from < stream.length; from += chunk) {
            ByteBuffer in = buffer(Arrays.copyOfRange(stream, from, Math.min(stream.length, from + chunk)), direct);
            decoder.decode(in, copying);
            assertFalse(in.hasRemaining());
        }
    }

    private static byte[] stream(String... payloads) {
        byte[] all = new byte[0];
        for (String p : payloads) all = concat(all, utf8(p), EOF);
        return all;
    }

    /** Random bytes of every value, with any accidental {@code <EOF>} broken up (rule 1). */
    private static byte[] randomPayloadWithoutDelimiter(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        for (int i = 0; i + EOF.length <= size; i++) {
            if (Arrays.equals(b, i, i + EOF.length, EOF, 0, EOF.length)) b[i + EOF.length - 1] = 0;
        }
        return b;
    }

    private List<String> texts() {
        return received.stream().map(TestBytes::utf8).toList();
    }

    /** Payloads as ISO-8859-1 strings: one char per byte, so equal strings mean equal bytes. */
    private List<String> payloads() {
        return received.stream().map(FrameDecoderTest::latin1).toList();
    }

    private static List<String> utf8Payloads(String... payloads) {
        return Arrays.stream(payloads).map(p -> latin1(utf8(p))).toList();
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
