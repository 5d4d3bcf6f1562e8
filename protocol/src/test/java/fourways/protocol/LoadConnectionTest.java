package fourways.protocol;

import static fourways.protocol.TestBytes.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One load connection's side of the exchange (rules 17 and 19): what it writes, when it may
 * write, and how it checks each reply. Time is passed in, so the schedule is tested exactly.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoadConnectionTest {
    private final ByteBuffer wire = ByteBuffer.allocate(64 * 1024);

    @Test
    void rule17_framesArePayloadThenDelimiter() {
        LoadRun run = started(LoadPlan.of(1, 1).withSize(20));
        LoadConnection c = run.connection(0);

        assertEquals(1, c.writeFrames(wire, System.nanoTime()));

        // Message number 0 in five base-62 digits, connection 0 in three, then a fixed pattern.
        assertEquals("00000" + "000" + "89abcdefghij" + "<EOF>", TestBytes.utf8(TestBytes.remaining(wire.flip())));
        assertEquals(20 + 5, run.plan().frameBytes());
        assertTrue(c.allSent());
    }

    @Test
    void rule17_everyPayloadDiffers() throws Exception {
        // Each carries its connection and message number, so a reply out of order is caught.
        int connections = 3;
        int messages = 200;
        LoadRun run = started(LoadPlan.of(connections, messages).withSize(8).withPipeline(messages));
        Set<String> seen = new HashSet<>();
        for (int id = 0; id < connections; id++) {
            wire.clear();
            assertEquals(messages, run.connection(id).writeFrames(wire, System.nanoTime()));
            new FrameDecoder(8).decode(wire.flip(), p -> {
                String payload = TestBytes.utf8(TestBytes.remaining(p));
                assertEquals(8, payload.length());
                assertTrue(payload.matches("[0-9A-Za-z]+"), "letters and digits cannot spell <EOF>: " + payload);
                assertTrue(seen.add(payload), "repeated: " + payload);
            });
        }
        assertEquals(connections * messages, seen.size());
    }

    @Test
    void rule17_pipelineWindowIsRespected() throws Exception {
        LoadRun run = started(LoadPlan.of(1, 10).withPipeline(3));
        LoadConnection c = run.connection(0);
        long now = System.nanoTime();

        assertEquals(3, c.writeFrames(wire, now), "at most K frames waiting for their reply");
        assertEquals(3, c.inFlight());
        assertFalse(c.mayWrite(now));
        assertEquals(0, c.writeFrames(wire, now));

        List<byte[]> replies = echoes(wire.flip());
        assertEquals(1, c.onBytes(ByteBuffer.wrap(replies.get(0))));
        assertTrue(c.mayWrite(now), "a reply makes room for one more");
        wire.clear();
        assertEquals(1, c.writeFrames(wire, now));
        assertFalse(c.mayWrite(now));
    }

    @Test
    void rule17_writeFramesStopsWhenTheBufferIsFull() {
        LoadPlan plan = LoadPlan.of(1, 10).withPipeline(10);
        LoadConnection c = started(plan).connection(0);

        ByteBuffer small = ByteBuffer.allocate(2 * plan.frameBytes() + plan.frameBytes() - 1);

        assertEquals(2, c.writeFrames(small, System.nanoTime()), "never a partial frame");
        assertEquals(2 * plan.frameBytes(), small.position());
    }

    @Test
    void rule17_repliesSplitAnywhereAreCounted() throws Exception {
        LoadRun run = started(LoadPlan.of(1, 4).withPipeline(4));
        LoadConnection c = run.connection(0);
        c.writeFrames(wire, System.nanoTime());
        byte[] all = TestBytes.concat(echoes(wire.flip()).toArray(byte[][]::new));

        int completed = 0;
        for (byte b : all) completed += c.onBytes(ByteBuffer.wrap(new byte[] {b}));

        assertEquals(4, completed);
        assertTrue(c.done());
        assertTrue(run.succeeded());
    }

    @Test
    void rule17_aReplyOutOfOrderIsAnError() throws Exception {
        LoadRun run = started(LoadPlan.of(1, 2).withPipeline(2));
        LoadConnection c = run.connection(0);
        c.writeFrames(wire, System.nanoTime());
        List<byte[]> replies = echoes(wire.flip());

        assertEquals(0, c.onBytes(ByteBuffer.wrap(replies.get(1))));      // message 1's reply first

        assertTrue(c.done());
        assertFalse(run.succeeded());
        assertEquals(1, LoadRunTest.field(run.resultLine(), "errors"));
    }

    @Test
    void rule17_aReplyBeforeItsMessageIsAnError() {
        LoadRun run = started(LoadPlan.of(1, 2));
        LoadConnection c = run.connection(0);

        c.onBytes(ByteBuffer.wrap(utf8("Server return :hello<EOF>")));

        assertTrue(c.done());
        assertEquals(1, LoadRunTest.field(run.resultLine(), "errors"));
    }

    @Test
    void rule17_aReplyTooLongIsAnError() {
        LoadRun run = started(LoadPlan.of(1, 2).withSize(8).withPipeline(2));
        LoadConnection c = run.connection(0);
        c.writeFrames(wire, System.nanoTime());
        byte[] first = echoes(wire.flip()).get(0);
        byte[] longer = new byte[first.length + 1];   // one payload byte more, then the delimiter
        System.arraycopy(first, 0, longer, 0, first.length - 5);
        longer[first.length - 5] = 'x';
        System.arraycopy(first, first.length - 5, longer, first.length - 4, 5);

        c.onBytes(ByteBuffer.wrap(longer));

        assertTrue(c.done(), "a reply is exactly prefix + size + delimiter bytes");
        assertEquals(0, LoadRunTest.field(run.resultLine(), "messages"));
        assertEquals(1, LoadRunTest.field(run.resultLine(), "errors"));
    }

    @Test
    void rule17_aWrongByteAnywhereIsAnErrorEvenWhenTheReplyArrivesByteByByte() throws Exception {
        LoadRun run = started(LoadPlan.of(1, 1).withSize(20));
        LoadConnection c = run.connection(0);
        c.writeFrames(wire, System.nanoTime());
        byte[] reply = echoes(wire.flip()).get(0);
        for (int wrong = 0; wrong < reply.length; wrong++) {
            LoadRun r = started(LoadPlan.of(1, 1).withSize(20));
            LoadConnection one = r.connection(0);
            one.writeFrames(ByteBuffer.allocate(64), System.nanoTime());
            byte[] bad = reply.clone();
            bad[wrong] ^= 1;
            int completed = 0;
            for (byte b : bad) completed += one.onBytes(ByteBuffer.wrap(new byte[] {b}));
            assertEquals(0, completed, "byte " + wrong + " changed");
            assertTrue(one.done());
            assertEquals(1, LoadRunTest.field(r.resultLine(), "errors"));
        }
    }

    @Test
    void rule19_connectionsAreSpreadEvenlyOverThePeriod() {
        // 4 connections at 100 frames/s: a 10 ms period, so their schedules start 2.5 ms apart
        // and the server sees one frame every 2.5 ms, not four at once every 10 ms.
        LoadRun run = started(LoadPlan.of(4, 10).withPipeline(10).withRate(100));
        long start = run.startNanos();
        for (int id = 0; id < 4; id++) {
            LoadConnection c = run.connection(id);
            assertEquals(id * 2_500_000L, c.nanosUntilDue(start), "connection " + id + "'s first frame");
            if (id > 0) assertEquals(0, c.writeFrames(wire, start), "not before its share of the period");
            assertEquals(1, c.writeFrames(wire, start + id * 2_500_000L));
            assertEquals(10_000_000L, c.nanosUntilDue(start + id * 2_500_000L), "then one period apart");
        }
    }

    @Test
    void rule19_openLoopFollowsTheSchedule() {
        // 1,000 frames a second: message i is due at start + i milliseconds.
        LoadRun run = started(LoadPlan.of(1, 10).withPipeline(10).withRate(1000));
        LoadConnection c = run.connection(0);
        long start = run.startNanos();

        assertEquals(0, c.nanosUntilDue(start));
        assertFalse(c.mayWrite(start - 1), "not before its time");
        assertEquals(1, c.writeFrames(wire, start), "message 1 is not due yet");
        assertEquals(1_000_000, c.nanosUntilDue(start));
        assertEquals(600_000, c.nanosUntilDue(start + 400_000));

        // Late by 2.5 ms: the frames due meanwhile all go now, on the schedule, not the replies.
        assertEquals(3, c.writeFrames(wire, start + 3_500_000), "messages 1, 2 and 3");
        assertEquals(500_000, c.nanosUntilDue(start + 3_500_000), "message 4 is due at 4 ms");
    }

    @Test
    void rule19_scheduleIsStartPlusIOverRate() {
        LoadRun run = started(LoadPlan.of(1, 10).withPipeline(10).withRate(3));
        LoadConnection c = run.connection(0);
        long start = run.startNanos();

        c.writeFrames(wire, start);
        assertEquals(Math.round(1e9 / 3), c.nanosUntilDue(start));
        c.writeFrames(wire, start + 1_000_000_000L);
        assertEquals(4, c.inFlight(), "due at 0, 1/3, 2/3 and 1 s");
        assertEquals(4 * Math.round(1e9 / 3), c.nanosUntilDue(start));
    }

    @Test
    void rule19_openLoopStillKeepsAtMostKWaiting() {
        LoadRun run = started(LoadPlan.of(1, 1000).withPipeline(2).withRate(1000));
        LoadConnection c = run.connection(0);

        // A second late, 1,000 frames are due, but only K may wait for their reply.
        assertEquals(2, c.writeFrames(wire, run.startNanos() + 1_000_000_000L));
    }

    @Test
    void rule19_closedLoopIsNeverEarly() {
        LoadConnection c = started(LoadPlan.of(1, 3)).connection(0);

        assertEquals(0, c.nanosUntilDue(Long.MIN_VALUE));
        assertTrue(c.mayWrite(0));
    }

    private static LoadRun started(LoadPlan plan) {
        LoadRun run = new LoadRun(plan);
        run.allConnected();
        return run;
    }

    /** The replies an echo server would send to the frames in {@code frames}, one per frame. */
    private static List<byte[]> echoes(ByteBuffer frames) {
        List<byte[]> replies = new ArrayList<>();
        try {
            new FrameDecoder(1 << 20).decode(frames, p -> replies.add(TestBytes.remaining(Frames.echoReply(p))));
        } catch (FrameDecoder.FrameTooLongException e) {
            throw new AssertionError(e);
        }
        return replies;
    }
}
