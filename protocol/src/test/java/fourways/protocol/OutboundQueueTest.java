package fourways.protocol;

import static fourways.protocol.TestBytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The unsent bytes of one connection (rules 10 to 12): the backlog count, and writes that a
 * non-blocking socket may take only in part. A fake socket takes as many bytes as it has room
 * for, so every partial write is exercised without a network.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OutboundQueueTest {

    @Test
    void rule11_addNeverRefusesAndCountsBytes() {
        OutboundQueue queue = new OutboundQueue(10);

        queue.add(bytes("123456"));
        assertFalse(queue.atLimit());
        queue.add(bytes("789012"));                          // past the limit: still queued

        assertEquals(12, queue.bytes());
        assertTrue(queue.atLimit(), "rule 11: the transport stops reading now");
    }

    @Test
    void rule12_offerRefusesWhatWouldPassTheLimitAndQueuesNothing() {
        OutboundQueue queue = new OutboundQueue(10);

        assertTrue(queue.offer(bytes("123456")));
        assertFalse(queue.offer(bytes("12345")), "6 + 5 would pass 10");
        assertEquals(6, queue.bytes());
        assertTrue(queue.offer(bytes("1234")), "6 + 4 reaches the limit exactly: allowed");
        assertEquals(10, queue.bytes());
        assertTrue(queue.atLimit());
        assertFalse(queue.offer(bytes("x")));
    }

    @Test
    void rule11_aDrainedQueueKeepsNoBlockAndTheNextQueueWritesIntoTheSameBytes() {
        // Issue 25: an idle connection held its last reply's 2 KiB block; now the block goes
        // back to the process's pool when written, and the next reply anywhere takes it.
        OutboundQueue idle = new OutboundQueue(1 << 20);
        idle.append(bytes("one reply<EOF>"));
        ByteBuffer written = idle.gather()[0];
        written.position(written.limit());                   // the socket took it all
        idle.consumed(14);
        assertTrue(idle.isEmpty());

        OutboundQueue busy = new OutboundQueue(1 << 20);
        busy.append(bytes("another<EOF>"));
        ByteBuffer next = busy.gather()[0];

        assertTrue(next.array() == written.array(), "the drained block, reused: nothing kept, nothing made");
        assertEquals("another<EOF>", new String(next.array(), next.position(), next.remaining(), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void emptyBuffersAreNotQueued() {
        OutboundQueue queue = new OutboundQueue(10);

        queue.add(ByteBuffer.allocate(0));

        assertTrue(queue.isEmpty());
        assertEquals(0, queue.gather().length);
    }

    @Test
    void rule10_partialWritesSendEveryByteOnceInOrder() throws Exception {
        OutboundQueue queue = new OutboundQueue(1 << 20);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {                      // more buffers than one gathering write takes
            byte[] b = utf8("buffer " + i + ";".repeat(i % 13));
            expected.writeBytes(b);
            queue.add(ByteBuffer.wrap(b));
        }
        long total = queue.bytes();
        Socket socket = new Socket();

        // The socket's buffer has room for 7 bytes at a time: a cut falls inside most buffers.
        for (int round = 0; !queue.isEmpty(); round++) {
            assertTrue(round < 10_000, "bounded");
            socket.room = 7;
            long before = queue.bytes();
            long written = queue.writeTo(socket);
            assertEquals(Math.min(7, before), written);
            assertEquals(before - written, queue.bytes());
        }

        assertArrayEquals(expected.toByteArray(), socket.received.toByteArray());
        assertEquals(total, socket.received.size());
        assertTrue(socket.mostBuffers <= 64, "IOV_MAX: at most 64 buffers per write, not " + socket.mostBuffers);
    }

    @Test
    void rule10_aFullSocketTakesNothingAndNothingIsLost() throws Exception {
        OutboundQueue queue = new OutboundQueue(100);
        queue.add(bytes("hello "));
        queue.add(bytes("world"));
        Socket socket = new Socket();

        socket.room = 0;
        assertEquals(0, queue.writeTo(socket));
        assertEquals(11, queue.bytes());

        socket.room = 1000;
        assertEquals(11, queue.writeTo(socket));
        assertEquals("hello world", TestBytes.utf8(socket.received.toByteArray()));
        assertTrue(queue.isEmpty());
    }

    @Test
    void rule10_writeToKeepsWritingWhileTheSocketTakesEverything() throws Exception {
        OutboundQueue queue = new OutboundQueue(1 << 20);
        for (int i = 0; i < 200; i++) queue.add(bytes("x"));
        Socket socket = new Socket();
        socket.room = Integer.MAX_VALUE;

        assertEquals(200, queue.writeTo(socket));

        assertTrue(queue.isEmpty());
        assertEquals(4, socket.calls, "200 buffers go in gathering writes of 64, 64, 64 and 8");
    }

    @Test
    void gatherThenConsumed_forCompletionHandlers() {
        // A completion-handler model cannot write inside writeTo: it hands gather() to an
        // asynchronous write and reports the result, later, with consumed().
        OutboundQueue queue = new OutboundQueue(100);
        queue.add(bytes("abc"));
        queue.add(bytes("de"));
        queue.add(bytes("fgh"));

        ByteBuffer[] batch = queue.gather();
        assertEquals(3, batch.length);
        int written = takeFrom(batch, 4);                    // the write took "abcd"
        queue.consumed(written);

        assertEquals(4, queue.bytes());
        ByteBuffer[] rest = queue.gather();
        assertEquals(2, rest.length, "the finished buffer is gone");
        assertEquals("efgh", TestBytes.utf8(concatRemaining(rest)), "the cut buffer resumes where it stopped");

        queue.consumed(takeFrom(rest, 4));
        assertTrue(queue.isEmpty());
        assertEquals(0, queue.gather().length);
    }

    @Test
    void gatherHandsOverAtMost64Buffers() {
        OutboundQueue queue = new OutboundQueue(1000);
        for (int i = 0; i < 100; i++) queue.add(bytes("y"));

        ByteBuffer[] batch = queue.gather();

        assertEquals(64, batch.length);
        Arrays.stream(batch).forEach(b -> assertNotNull(b));
    }

    @Test
    void clearDropsEverything() {
        OutboundQueue queue = new OutboundQueue(10);
        queue.add(bytes("123456789012"));

        queue.clear();

        assertTrue(queue.isEmpty());
        assertFalse(queue.atLimit());
        assertTrue(queue.offer(bytes("1234567890")));
    }

    @Test
    void rule05_appendCopiesSoTheCallerMayReuseItsBuffer() throws Exception {
        OutboundQueue queue = new OutboundQueue(1 << 20);
        ByteBuffer reused = ByteBuffer.allocate(16);
        for (String reply : new String[] {"one;", "two;", "three;"}) {
            reused.clear().put(utf8(reply)).flip();
            queue.append(reused);
            assertFalse(reused.hasRemaining(), "consumed, as a write would");
        }
        reused.clear().put(utf8("XXXXXXXXXXXXXXXX"));   // scribbled over after the last append

        Socket socket = new Socket();
        socket.room = 1000;
        queue.writeTo(socket);

        assertEquals("one;two;three;", utf8(socket.received.toByteArray()));
        assertEquals(1, socket.mostBuffers, "three replies, one block: one buffer for the write");
    }

    @Test
    void rule10_appendsAfterAPartialWriteAndAroundHandedOverFramesKeepTheirOrder() throws Exception {
        OutboundQueue queue = new OutboundQueue(1 << 20);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Socket socket = new Socket();
        for (int i = 0; i < 500; i++) {                      // many blocks, many partial writes, blocks reused
            byte[] b = utf8("reply " + i + "|".repeat(i % 40));
            expected.writeBytes(b);
            if (i % 7 == 0) queue.add(ByteBuffer.wrap(b));   // a chat frame handed over between replies
            else queue.append(ByteBuffer.wrap(b));
            if (i % 3 == 0) {
                socket.room = 5 + i % 50;
                queue.writeTo(socket);
            }
        }
        for (int round = 0; !queue.isEmpty(); round++) {
            assertTrue(round < 100_000, "bounded");
            socket.room = 13;
            queue.writeTo(socket);
        }

        assertArrayEquals(expected.toByteArray(), socket.received.toByteArray());
        assertEquals(0, queue.bytes());
    }

    @Test
    void appendNeverWritesBehindWhatGatherHandedToAPendingWrite() {
        OutboundQueue queue = new OutboundQueue(100);
        queue.append(bytes("abc"));
        ByteBuffer[] pending = queue.gather();               // an asynchronous write may read it later

        queue.append(bytes("de"));

        assertEquals(1, pending.length);
        assertEquals(3, pending[0].remaining(), "the pending write's buffer did not grow");
        assertEquals(3, takeFrom(pending, 3));
        queue.consumed(3);
        ByteBuffer[] next = queue.gather();
        assertEquals("de", utf8(drain(next[0])));
    }

        // ---- helpers ----

    /** A non-blocking socket whose send buffer has {@code room} bytes free. */
    private static final class Socket implements GatheringByteChannel {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int room;
        int calls;
        int mostBuffers;

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            calls++;
            mostBuffers = Math.max(mostBuffers, length);
            long n = 0;
            for (int i = offset; i < offset + length; i++) {
                assertNotNull(srcs[i], "every buffer handed over is real");
                int take = Math.min(room, srcs[i].remaining());
                byte[] chunk = new byte[take];
                srcs[i].get(chunk);                           // a write moves the position, as a socket's does
                received.writeBytes(chunk);
                room -= take;
                n += take;
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public int write(ByteBuffer src) {
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    private static byte[] drain(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** Takes {@code n} bytes from the front of {@code batch}, as a write would. */
    private static int takeFrom(ByteBuffer[] batch, int n) {
        Socket socket = new Socket();
        socket.room = n;
        return (int) socket.write(batch);
    }

    private static byte[] concatRemaining(ByteBuffer[] batch) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuffer b : batch) all.writeBytes(TestBytes.remaining(b));
        return all.toByteArray();
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(utf8(s));
    }
}
