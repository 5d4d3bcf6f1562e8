package fourways.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Raw clients as members of a chat room (rule 9), for the suite and for the coursework.
 *
 * <p>Chat reaches those connected "at that moment", and a connect returns before the server
 * has accepted. So {@link #joined} has each newcomer say {@value #JOIN} until every earlier
 * member has heard it: then the server has certainly counted them all.
 */
public final class ChatMembers {
    public static final String JOIN = "join";
    /** Late "join"s of the handshake that a reader may still meet: at most one per try. */
    private static final int MOST_JOINS = 100;

    private ChatMembers() {}

    /** Returns once every member is in the room. Bounded: 100 tries of 100 ms per member. */
    public static void joined(RawClient... members) throws IOException {
        for (int n = 1; n < members.length; n++) {
            boolean[] heard = new boolean[n];
            int missing = n;
            for (int attempt = 0; missing > 0; attempt++) {
                if (attempt == MOST_JOINS) throw new AssertionError("member " + n + " never reached the room");
                members[n].sendFrame(JOIN);
                for (int e = 0; e < n; e++) {
                    if (!heard[e] && members[e].pollFrame(Duration.ofMillis(100)) != null) {
                        heard[e] = true;
                        missing--;
                    }
                }
            }
        }
    }

    /** The next chat frame as text, skipping late "join"s. */
    public static String next(RawClient c) throws IOException {
        for (int skipped = 0; ; skipped++) {
            String f = new String(c.readFrame(), StandardCharsets.UTF_8);
            if (!f.equals(JOIN) || skipped == MOST_JOINS) return f;
        }
    }

    /** As {@link #next}, or null if no frame comes within {@code wait}. */
    public static String poll(RawClient c, Duration wait) throws IOException {
        for (int skipped = 0; ; skipped++) {
            byte[] frame = c.pollFrame(wait);
            if (frame == null) return null;
            String f = new String(frame, StandardCharsets.UTF_8);
            if (!f.equals(JOIN) || skipped == MOST_JOINS) return f;
        }
    }

    /**
     * Rule 9 with three members: a and c each send 100 frames; b gets both streams, each in
     * its sender's order; c gets a's; a gets c's and then b's, and never its own.
     */
    public static void assertEveryOtherMemberInSenderOrder(RawClient a, RawClient b, RawClient c) throws IOException {
        joined(a, b, c);
        for (int i = 0; i < 100; i++) {
            a.sendFrame("a" + i);
            c.sendFrame("c" + i);
        }
        int nextA = 0, nextC = 0;
        for (int i = 0; i < 200; i++) {                       // at b: each sender's frames in order
            String f = next(b);
            if (f.startsWith("a")) assertEquals("a" + nextA++, f);
            else assertEquals("c" + nextC++, f);
        }
        for (int i = 0; i < 100; i++) assertEquals("a" + i, next(c));
        // Had a's own frames come back to it, they would have come before this one. But rule 9
        // orders only one sender's frames: "from b" may overtake c's last ones on the way to a
        // (the server can hand c99 to b, and b answer, before it hands c99 to a; seen once on
        // virtual-threads with both cores busy). So at a: c's hundred in order, b's one anywhere.
        b.sendFrame("from b");
        boolean fromB = false;
        for (int i = 0, dueC = 0; i < 101; i++) {
            String f = next(a);
            if (f.equals("from b") && !fromB) fromB = true;
            else assertEquals("c" + dueC++, f, "at a, where c" + (dueC - 1) + " was due"
                    + (fromB ? ", after from b" : ""));
        }
    }
}
