package fourways.protocol;

import static fourways.protocol.TestBytes.hex;
import static fourways.protocol.TestBytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rule 8: sink's line per frame, {@code ADDRESS PAYLOAD}, always one line, always UTF-8. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SinkPrinterTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 50000);
    private static final String R = "\uFFFD";

    @Test
    void rule08_lineIsAddressSpacePayloadNewline() {
        assertEquals("127.0.0.1:50000 hello world\n", line(CLIENT, utf8("hello world")));
    }

    @Test
    void rule08_ipv6AddressIsBracketed() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 50000);

        assertEquals("[::1]:50000 hi\n", line(v6, utf8("hi")));
    }

    @Test
    void rule08_emptyPayloadKeepsTheSpace() {
        assertEquals("127.0.0.1:50000 \n", line(CLIENT, new byte[0]));
    }

    @Test
    void rule08_lineFeedCarriageReturnAndBackslashAreEscaped() {
        // The two characters \n, not a new line: a line is always one line.
        assertEquals("127.0.0.1:50000 a\\nb\\rc\\\\d\\r\\n\n", line(CLIENT, utf8("a\nb\rc\\d\r\n")));
        // Nothing else is escaped, so an escaped backslash before 'n' stays readable.
        assertEquals("127.0.0.1:50000 \\\\n\ttab\n", line(CLIENT, utf8("\\n\ttab")));
    }

    @Test
    void rule08_outputIsUtf8Bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        new SinkPrinter(out).print(new FakeConnection(50000), ByteBuffer.wrap(utf8("你好 😀")));

        // Written as bytes whatever the platform charset or locale: E4 BD A0 E5 A5 BD, F0 9F 98 80.
        assertArrayEquals(TestBytes.concat(utf8("127.0.0.1:50000 "), hex("E4 BD A0 E5 A5 BD 20 F0 9F 98 80"),
                utf8("\n")), out.toByteArray());
    }

    @Test
    void rule08_oneWritePerLine() {
        // Lines of many connections meet in one stream; one write each keeps them whole.
        List<Integer> writes = new ArrayList<>();
        OutputStream recording = new OutputStream() {
            @Override
            public void write(int b) {
                writes.add(1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
            }
        };
        SinkPrinter printer = new SinkPrinter(recording);

        printer.print(new FakeConnection(50000), ByteBuffer.wrap(utf8("one")));
        printer.print(new FakeConnection(50001), ByteBuffer.wrap(utf8("two\nlines")));

        assertEquals(List.of("127.0.0.1:50000 one\n".length(), "127.0.0.1:50001 two\\nlines\n".length()), writes);
    }

    /** Rule 14: at close, the lines waiting behind a stuck write are dropped, and stderr says so. */
    @Test
    void rule14_closeDropsTheLinesWaitingOnAStalledOutputAndSaysSo() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stalled = new OutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] b, int off, int len) {
                stuck.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        SinkPrinter printer = new SinkPrinter(stalled, new PrintStream(err, true, StandardCharsets.UTF_8));
        Thread writer = Thread.ofPlatform().start(() -> printer.print(new FakeConnection(50000), ByteBuffer.wrap(utf8("a"))));
        assertTrue(stuck.await(10, TimeUnit.SECONDS));
        Thread waiter = Thread.ofPlatform().start(() -> printer.print(new FakeConnection(50001), ByteBuffer.wrap(utf8("b"))));
        while (waiter.getState() != Thread.State.WAITING && waiter.isAlive()) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);   // bounded by the class's @Timeout
        }

        printer.close();

        waiter.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(waiter.isAlive(), "the waiting line was dropped, not left waiting");
        assertEquals("sink: standard output is not taking lines; dropped at shutdown: 1 line(s) waiting,"
                + " and the one being written may be cut short" + System.lineSeparator(), err.toString(StandardCharsets.UTF_8));
        release.countDown();
        writer.join(TimeUnit.SECONDS.toMillis(10));
        printer.print(new FakeConnection(50002), ByteBuffer.wrap(utf8("c")));   // after close: dropped, never stuck
    }

    @Test
    void rule08_printingDoesNotConsumeThePayload() {
        ByteBuffer payload = ByteBuffer.wrap(utf8("xxabc")).position(2);

        new SinkPrinter(new ByteArrayOutputStream()).print(new FakeConnection(50000), payload);

        assertEquals(2, payload.position());
        assertEquals("127.0.0.1:50000 abc\n", line(CLIENT, utf8("abc")));
    }

    // ---- Rule 8: each maximal ill-formed subsequence becomes one U+FFFD (Unicode §3.9) ----

    @Test
    void rule08_maximalSubparts_unicodeStandardExample() {
        // Unicode §3.9, "U+FFFD Substitution of Maximal Subparts": F1 80 80 and E1 80 are
        // truncated sequences (one U+FFFD each), C2 is cut off by 62, and 80, BF never start one.
        assertEquals("a" + R + R + R + "b" + R + "c" + R + R + "d", decode("61 F1 80 80 E1 80 C2 62 80 63 80 BF 64"));
        assertEquals(R + R + R + R + "A", decode("E1 80 E2 F0 91 92 F1 BF 41"));
    }

    @Test
    void rule08_maximalSubparts_surrogatesAreThreeEach() {
        // ED may be followed by 80..9F only (Table 3-7), so ED alone is the maximal subpart,
        // then A0 and 80 are one each. The JDK's own decoder gives one U+FFFD here.
        assertEquals(R.repeat(3), decode("ED A0 80"));
        assertEquals(R.repeat(6), decode("ED A0 80 ED B0 80"));          // a CESU-8 surrogate pair
        assertEquals("x" + R.repeat(3) + "y", decode("78 ED BF BF 79"));
    }

    @Test
    void rule08_maximalSubparts_overlongsAndOutOfRange() {
        assertEquals(R + R, decode("C0 AF"));                            // C0, C1 never start a character
        assertEquals(R + R, decode("C1 BF"));
        assertEquals(R.repeat(3), decode("E0 80 AF"));                   // E0 needs A0..BF next
        assertEquals(R.repeat(4), decode("F0 80 80 AF"));                // F0 needs 90..BF next
        assertEquals(R.repeat(4), decode("F4 90 80 80"));                // above U+10FFFF
        assertEquals(R.repeat(2), decode("F5 80"));                      // F5..FF never start one
        assertEquals(R.repeat(2), decode("FE FF"));
        assertEquals(R.repeat(2), decode("80 BF"));                      // lone continuation bytes
    }

    @Test
    void rule08_maximalSubparts_truncatedAtTheEnd() {
        assertEquals("a" + R, decode("61 E4 BD"));                       // 你 without its last byte
        assertEquals("a" + R, decode("61 F0 9F 98"));                    // 😀 without its last byte
        assertEquals(R, decode("C2"));
        assertEquals(R + "A", decode("F0 9F 41"));                       // cut short before a letter
    }

    @Test
    void rule08_wellFormedBoundariesDecode() {
        assertEquals("\u0080", decode("C2 80"));
        assertEquals("\u0800", decode("E0 A0 80"));
        assertEquals("\uD7FF", decode("ED 9F BF"));                      // just below the surrogates
        assertEquals("\uE000", decode("EE 80 80"));                      // just above them
        assertEquals("\uFFFF", decode("EF BF BF"));
        assertEquals(new String(Character.toChars(0x10000)), decode("F0 90 80 80"));
        assertEquals(new String(Character.toChars(0x10FFFF)), decode("F4 8F BF BF"));
        assertEquals("你好😀", decode("E4 BD A0 E5 A5 BD F0 9F 98 80"));
    }

    @Test
    void rule08_agreesWithTheJdkDecoderAwayFromSurrogates() throws Exception {
        // The JDK's decoder follows the practice everywhere but after ED, so on bytes without
        // ED the two must agree. Short runs of the bytes where UTF-8's rules change.
        byte[] interesting = hex("00 41 7F 80 8F 90 9F A0 BF C0 C1 C2 DF E0 E1 EC EE EF F0 F1 F3 F4 F5 FF");
        Random random = new Random(8);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(10)];
            for (int i = 0; i < b.length; i++) b[i] = interesting[random.nextInt(interesting.length)];
            String jdk = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(b)).toString();
            assertEquals(jdk, SinkPrinter.decode(ByteBuffer.wrap(b)), () -> HexFormat.ofDelimiter(" ").formatHex(b));
        }
    }

    @Test
    void rule08_replacementThenEscaping() {
        // Decoding comes first, so an ill-formed byte never swallows the newline after it.
        assertEquals("127.0.0.1:50000 " + R + "\\n" + R + "\n", line(CLIENT, hex("E4 0A C0")));
    }

    private static String decode(String hexBytes) {
        return SinkPrinter.decode(ByteBuffer.wrap(hex(hexBytes)));
    }

    private static String line(InetSocketAddress from, byte[] payload) {
        return SinkPrinter.format(from, ByteBuffer.wrap(payload));
    }
}
