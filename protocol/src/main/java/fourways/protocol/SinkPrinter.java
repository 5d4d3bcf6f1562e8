package fourways.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Rule 8: one line per frame, {@code ADDRESS PAYLOAD}, written as UTF-8 bytes straight to the
 * output, so that neither the platform charset nor the locale (a C/POSIX locale makes
 * {@code System.out} ASCII) can mangle it.
 */
final class SinkPrinter {
    private static final char REPLACEMENT = '\uFFFD';

    private final OutputStream out;
    /**
     * A ReentrantLock, not {@code synchronized}: on Java 21 a virtual thread waiting to enter a
     * monitor blocks its carrier thread. While one sink connection waits on a full stdout pipe,
     * every other one queued behind it would hold a carrier, and with one carrier per core the
     * server's other virtual threads would stop (JEP 491 lifted this in Java 24). A virtual
     * thread parked on this lock gives its carrier back.
     */
    private final ReentrantLock lock = new ReentrantLock();

    SinkPrinter(OutputStream out) {
        this.out = out;
    }

    void print(Connection from, ByteBuffer payload) {
        byte[] line = format(from.remote(), payload).getBytes(StandardCharsets.UTF_8);
        // One write per line, under one lock, so lines from many connections never interleave.
        lock.lock();
        try {
            out.write(line);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.unlock();
        }
    }

    static String format(InetSocketAddress remote, ByteBuffer payload) {
        String text = decode(payload);
        StringBuilder line = new StringBuilder(text.length() + 32)
                .append(Addresses.format(remote)).append(' ');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\\' -> line.append("\\\\");
                default -> line.append(c);
            }
        }
        return line.append('\n').toString();
    }

    /**
     * Rule 8: UTF-8 to text, each maximal ill-formed subsequence becoming one U+FFFD (Unicode
     * §3.9, Table 3-7; the WHATWG decoder does the same). Written out by hand because the JDK's
     * decoder strays from that practice: it turns an encoded surrogate, {@code ED A0 80}, into
     * one U+FFFD where the standard asks for three.
     */
    static String decode(ByteBuffer payload) {
        StringBuilder text = new StringBuilder(payload.remaining());
        int i = payload.position();
        int end = payload.limit();
        while (i < end) {
            int lead = payload.get(i++) & 0xFF;
            if (lead < 0x80) {
                text.append((char) lead);
                continue;
            }
            // Table 3-7: how many continuation bytes follow the lead, and the narrower range of
            // the first one, which rules out overlongs (E0, F0), surrogates (ED), > U+10FFFF (F4).
            int needed;
            int low = 0x80;
            int high = 0xBF;
            int codePoint;
            if (lead >= 0xC2 && lead <= 0xDF) {
                needed = 1;
                codePoint = lead & 0x1F;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                needed = 2;
                codePoint = lead & 0x0F;
                if (lead == 0xE0) low = 0xA0;
                if (lead == 0xED) high = 0x9F;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                needed = 3;
                codePoint = lead & 0x07;
                if (lead == 0xF0) low = 0x90;
                if (lead == 0xF4) high = 0x8F;
            } else {
                text.append(REPLACEMENT);             // 80..C1 and F5..FF never start a character
                continue;
            }
            while (needed > 0 && i < end) {
                int next = payload.get(i) & 0xFF;
                if (next < low || next > high) {
                    break;                            // not consumed: it may begin the next character
                }
                codePoint = (codePoint << 6) | (next & 0x3F);
                low = 0x80;
                high = 0xBF;
                i++;
                needed--;
            }
            // A truncated sequence, at the end or before a wrong byte, is one maximal subpart.
            if (needed == 0) {
                text.appendCodePoint(codePoint);
            } else {
                text.append(REPLACEMENT);
            }
        }
        return text.toString();
    }
}
