package fourways.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Rule 8: one line per frame, {@code ADDRESS PAYLOAD}, written as UTF-8 bytes straight to the
 * output, so that neither the platform charset nor the locale (a C/POSIX locale makes
 * {@code System.out} ASCII) can mangle it.
 */
final class SinkPrinter {
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

    /** The JDK's UTF-8 decoder replaces each maximal ill-formed subsequence with one U+FFFD. */
    private static String decode(ByteBuffer payload) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer chars = decoder.decode(payload.duplicate());
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("REPLACE never throws", e);
        }
    }
}
