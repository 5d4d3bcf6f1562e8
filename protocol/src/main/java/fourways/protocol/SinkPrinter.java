package fourways.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Rule 8: one line per frame, {@code ADDRESS PAYLOAD}, written as UTF-8 bytes straight to the
 * output, so that neither the platform charset nor the locale (a C/POSIX locale makes
 * {@code System.out} ASCII) can mangle it.
 */
final class SinkPrinter {
    private static final char REPLACEMENT = '\uFFFD';

    private final OutputStream out;
    /** Where a shutdown says what it dropped: standard error, or a test's buffer. */
    private final PrintStream err;
    /**
     * A ReentrantLock, not {@code synchronized}: on Java 21 a virtual thread waiting to enter a
     * monitor blocks its carrier thread. A virtual thread parked on this lock gives its carrier
     * back (JEP 491 lifted the monitor's limit in Java 24). The lock is never held across a
     * write: it guards {@link #writing}, so that {@link #close} can wake every waiter even while
     * one write is stuck on a stdout pipe that nobody reads.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition free = lock.newCondition();
    /** A line is being written; the others wait their turn, so lines never interleave. */
    private boolean writing;
    private boolean closed;
    /** Lines waiting for their turn: at close, each is a line dropped. */
    private int waiting;

    SinkPrinter(OutputStream out) {
        this(out, System.err);
    }

    SinkPrinter(OutputStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    void print(Connection from, ByteBuffer payload) {
        byte[] line = format(from.remote(), payload).getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            waiting++;
            while (writing && !closed) free.awaitUninterruptibly();
            waiting--;
            if (closed) {
                return;                               // rule 14: shutting down; close() has said so
            }
            writing = true;
        } finally {
            lock.unlock();
        }
        try {
            // One write per line, one line at a time. On a pipe nobody reads this blocks, and
            // nothing can interrupt it: it holds this connection only, never the close.
            out.write(line);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lock.lock();
            try {
                writing = false;
                free.signal();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Rule 14: the server is closing. Lines still waiting are dropped instead of waiting for a
     * standard output that may never drain; a write stuck in progress is left to the process's
     * exit. Both are said on standard error, once.
     */
    void close() {
        int lost;
        boolean stuck;
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            free.signalAll();
            lost = waiting;
            stuck = writing;
        } finally {
            lock.unlock();
        }
        if (stuck || lost > 0) {
            err.println("sink: standard output is not taking lines; dropped at shutdown: " + lost
                    + " line(s) waiting" + (stuck ? ", and the one being written may be cut short" : ""));
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
