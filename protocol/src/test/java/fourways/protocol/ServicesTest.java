package fourways.protocol;

import static fourways.protocol.TestBytes.concat;
import static fourways.protocol.TestBytes.repeat;
import static fourways.protocol.TestBytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The three services through {@link Session}, the way a transport drives them: bytes in, and
 * what the {@link Connection} is asked to send out. A {@link FakeConnection} stands in for the
 * socket, so every reply is checked byte for byte, and no thread or port is needed.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ServicesTest {
    private static final ServerConfig ECHO = ServerConfig.defaults();
    private static final ServerConfig CHAT = ServerConfig.defaults().withService(ServerConfig.Service.CHAT);

    // ---- echo (rule 5), one-shot (rule 7) ----

    @Test
    void rule05_echoRepliesToEachFrameInOrder() {
        FakeConnection client = new FakeConnection(50000);
        Session session = new Services(ECHO).open(client);

        // Pipelined: three frames and the start of a fourth in one read, the rest in the next.
        assertEquals(Session.Next.READ_MORE, session.onBytes(bytes("a<EOF>bb<EOF><EOF>你")));
        assertEquals(Session.Next.READ_MORE, session.onBytes(bytes("好<EOF>")));

        assertEquals(List.of("Server return :a<EOF>", "Server return :bb<EOF>", "Server return :<EOF>",
                "Server return :你好<EOF>"), texts(client.replies));
    }

    @Test
    void rule02_echoReplyIsByteExactForInvalidUtf8() {
        FakeConnection client = new FakeConnection(50000);
        byte[] notUtf8 = TestBytes.hex("FF C0 AF ED A0 80");

        new Services(ECHO).open(client).onBytes(ByteBuffer.wrap(concat(notUtf8, Frames.DELIMITER)));

        assertArrayEquals(concat(Frames.ECHO_PREFIX, notUtf8, Frames.DELIMITER), client.replies.get(0));
    }

    @Test
    void rule07_oneShotAnswersTheFirstFrameOnlyThenLingers() {
        FakeConnection client = new FakeConnection(50000);
        Session session = new Services(ECHO.withOneShot(true)).open(client);

        assertEquals(Session.Next.READ_MORE, session.onBytes(bytes("fir")));
        assertEquals(Session.Next.FLUSH_AND_LINGER, session.onBytes(bytes("st<EOF>second<EOF>thi")));

        assertEquals(List.of("Server return :first<EOF>"), texts(client.replies));
    }

    @Test
    void rule07_oneShotDiscardsEvenATooLongTail() {
        // What follows the first frame is dropped, not judged: no error frame, and a linger
        // rather than a close, so that the client reads its reply and a clean end.
        FakeConnection client = new FakeConnection(50000);
        Session session = new Services(ECHO.withOneShot(true).withMaxFrame(8)).open(client);

        Session.Next next = session.onBytes(ByteBuffer.wrap(concat(utf8("hi<EOF>"), repeat('x', 100))));

        assertEquals(Session.Next.FLUSH_AND_LINGER, next);
        assertEquals(List.of("Server return :hi<EOF>"), texts(client.replies));
    }

    // ---- rule 4: too long, in every service ----

    @Test
    void rule04_echoSendsOwedRepliesThenTheErrorFrameThenCloses() {
        FakeConnection client = new FakeConnection(50000);
        Session session = new Services(ECHO.withMaxFrame(8)).open(client);

        Session.Next next = session.onBytes(bytes("a<EOF>12345678<EOF>123456789<EOF>"));

        assertEquals(Session.Next.FLUSH_AND_LINGER, next);
        assertEquals(List.of("Server return :a<EOF>", "Server return :12345678<EOF>",
                "ERROR frame too long<EOF>"), texts(client.replies));
    }

    @Test
    void rule04_sinkSendsOnlyTheErrorFrame() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FakeConnection client = new FakeConnection(50000);
        Session session = new Services(ECHO.withService(ServerConfig.Service.SINK).withMaxFrame(8)
                .withSinkOutput(out)).open(client);

        assertEquals(Session.Next.FLUSH_AND_LINGER, session.onBytes(bytes("ok<EOF>123456789")));

        assertEquals("127.0.0.1:50000 ok\n", TestBytes.utf8(out.toByteArray()));
        assertEquals(List.of("ERROR frame too long<EOF>"), texts(client.replies));
    }

    @Test
    void rule04_chatDeliversEarlierFramesThenSendsTheErrorFrameToTheSenderOnly() {
        Services chat = new Services(CHAT.withMaxFrame(8));
        FakeConnection sender = new FakeConnection(50000);
        FakeConnection other = new FakeConnection(50001);
        Session session = chat.open(sender);
        chat.open(other);

        assertEquals(Session.Next.FLUSH_AND_LINGER, session.onBytes(bytes("ok<EOF>123456789")));

        assertEquals(List.of("ERROR frame too long<EOF>"), texts(sender.replies));
        assertEquals(List.of("ok<EOF>"), texts(other.delivered));
        assertEquals(List.of(), other.replies, "no other connection notices");
    }

    // ---- rule 6: half-close ----

    @Test
    void rule06_partialFrameAtEndOfInputIsDropped() {
        FakeConnection client = new FakeConnection(50000);
        Session session = new Services(ECHO).open(client);

        // The transport read -1 after this: it feeds the session nothing more, writes what is
        // owed, and closes. The unfinished "part<EO" never becomes a frame.
        session.onBytes(bytes("whole<EOF>part<EO"));

        assertEquals(List.of("Server return :whole<EOF>"), texts(client.replies));
    }

    // ---- sink (rule 8) ----

    @Test
    void rule08_sinkPrintsOneLinePerFrameAndRepliesNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Services sink = new Services(ECHO.withService(ServerConfig.Service.SINK).withSinkOutput(out));
        Session a = sink.open(new FakeConnection(50000));
        FakeConnection bClient = new FakeConnection(50001);
        Session b = sink.open(bClient);

        a.onBytes(bytes("hello<EOF>wor"));
        b.onBytes(bytes("two\nlines<EOF>"));
        a.onBytes(bytes("ld<EOF><EOF>"));

        assertEquals("127.0.0.1:50000 hello\n127.0.0.1:50001 two\\nlines\n127.0.0.1:50000 world\n"
                + "127.0.0.1:50000 \n", TestBytes.utf8(out.toByteArray()));
        assertEquals(List.of(), bClient.replies);
    }

    // ---- chat (rules 9 and 12) ----

    @Test
    void rule09_chatDeliversToEveryOtherMemberNeverToTheSender() {
        Services chat = new Services(CHAT);
        FakeConnection a = new FakeConnection(50000);
        FakeConnection b = new FakeConnection(50001);
        FakeConnection c = new FakeConnection(50002);
        Session sa = chat.open(a);
        chat.open(b);
        chat.open(c);

        sa.onBytes(bytes("hi all<EOF>"));

        assertEquals(List.of("hi all<EOF>"), texts(b.delivered));
        assertEquals(List.of("hi all<EOF>"), texts(c.delivered));
        assertEquals(List.of(), a.delivered, "never back to its sender");
        assertEquals(List.of(), a.replies);
    }

    @Test
    void rule09_eachSendersFramesArriveInOrder() {
        Services chat = new Services(CHAT);
        FakeConnection a = new FakeConnection(50000);
        FakeConnection b = new FakeConnection(50001);
        FakeConnection c = new FakeConnection(50002);
        Session sa = chat.open(a);
        Session sb = chat.open(b);
        chat.open(c);

        sa.onBytes(bytes("a1<EOF>a2<EOF>a"));
        sb.onBytes(bytes("b1<EOF>"));
        sa.onBytes(bytes("3<EOF>"));

        assertEquals("a1<EOF>a2<EOF>b1<EOF>a3<EOF>", c.deliveredText());
        assertEquals("a1<EOF>a2<EOF>a3<EOF>", b.deliveredText());
        assertEquals("b1<EOF>", a.deliveredText());
    }

    @Test
    void rule09_payloadBytesAreDeliveredUnchanged() {
        Services chat = new Services(CHAT);
        FakeConnection a = new FakeConnection(50000);
        FakeConnection b = new FakeConnection(50001);
        FakeConnection c = new FakeConnection(50002);
        Session sa = chat.open(a);
        chat.open(b);
        chat.open(c);
        byte[] binary = TestBytes.hex("00 FF 3C 45 4F 46 0A ED A0 80");

        sa.onBytes(ByteBuffer.wrap(concat(binary, Frames.DELIMITER)));

        // Each receiver gets its own position over the bytes: FakeConnection reads each
        // delivery to its end, as a writing transport does, and the next receiver is unharmed.
        assertArrayEquals(concat(binary, Frames.DELIMITER), b.delivered.get(0));
        assertArrayEquals(concat(binary, Frames.DELIMITER), c.delivered.get(0));
    }

    @Test
    void rule09_onlyMembersConnectedAtThatMomentReceive() {
        Services chat = new Services(CHAT);
        FakeConnection a = new FakeConnection(50000);
        FakeConnection b = new FakeConnection(50001);
        Session sa = chat.open(a);
        Session sb = chat.open(b);

        sa.onBytes(bytes("before<EOF>"));
        FakeConnection late = new FakeConnection(50002);
        chat.open(late);
        sb.onClosed();
        sa.onBytes(bytes("after<EOF>"));

        assertEquals(List.of("before<EOF>"), texts(b.delivered), "a closed member gets nothing more");
        assertEquals(List.of("after<EOF>"), texts(late.delivered), "a late member gets no history");
    }

    @Test
    void rule12_aMemberOverItsBacklogIsAbortedAndRemoved() {
        Services chat = new Services(CHAT);
        FakeConnection sender = new FakeConnection(50000);
        FakeConnection slow = new FakeConnection(50001);
        FakeConnection fine = new FakeConnection(50002);
        Session session = chat.open(sender);
        chat.open(slow);
        chat.open(fine);

        session.onBytes(bytes("1<EOF>"));
        slow.full = true;                                   // its transport refuses: backlog at the limit
        assertEquals(Session.Next.READ_MORE, session.onBytes(bytes("2<EOF>")));
        slow.full = false;
        session.onBytes(bytes("3<EOF>"));

        assertEquals(1, slow.aborts, "dropped once");
        assertEquals(List.of("1<EOF>"), texts(slow.delivered), "and out of the room for good");
        assertEquals(List.of("1<EOF>", "2<EOF>", "3<EOF>"), texts(fine.delivered), "the others carry on");
        assertEquals(0, sender.aborts);
        assertEquals(List.of(), sender.replies);
    }

    @Test
    void rule03_sessionConsumesEveryByteItIsGiven() {
        ByteBuffer in = bytes("a<EOF>partial");

        new Services(ECHO).open(new FakeConnection(50000)).onBytes(in);

        assertFalse(in.hasRemaining(), "rule 3: a transport may reuse its buffer after onBytes");
    }

    // ---- helpers ----

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(utf8(s));
    }

    private static List<String> texts(List<byte[]> sent) {
        return sent.stream().map(TestBytes::utf8).toList();
    }
}
