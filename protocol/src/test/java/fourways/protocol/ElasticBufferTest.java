package fourways.protocol;

import static fourways.protocol.TestBytes.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The buffer policy every model shares (issue 25, with rule 4's maximum as the ceiling): nothing
 * before the first byte, grown on demand but never past the ceiling, and back to the floor once
 * the connection is quiet.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ElasticBufferTest {

    @Test
    void nothingIsHeldBeforeTheFirstUse() {
        ElasticBuffer buffer = new ElasticBuffer(128, 4096);

        assertEquals(0, buffer.capacity());
        assertEquals(128, buffer.array().length, "the first use gets the floor, no more");
    }

    @Test
    void growsKeepingItsBytesAndNeverPassesTheCeiling() {
        ElasticBuffer buffer = new ElasticBuffer(0, 1000);
        byte[] a = buffer.grow(0, 3);
        a[0] = 'a';
        a[1] = 'b';
        a[2] = 'c';

        byte[] grown = buffer.grow(3, 600);

        assertTrue(grown.length >= 600);
        assertArrayEquals(utf8("abc"), Arrays.copyOf(grown, 3), "what was held is kept");
        assertEquals(1000, buffer.grow(600, 5000).length, "rule 4: never past the ceiling");
    }

    @Test
    void shrinksBackToItsFloorAfterABurst() {
        ElasticBuffer buffer = new ElasticBuffer(128, 64 * 1024);
        byte[] floor = buffer.array();
        buffer.grow(0, 64 * 1024);

        buffer.shrink();

        assertEquals(128, buffer.capacity(), "the grown array is let go");
        assertSame(floor, buffer.array(), "the floor's own is kept: small traffic allocates nothing");
        assertSame(floor, buffer.view().array());
    }

    @Test
    void aPooledBurstBorrowsTheCeilingAndGivesItBack() {
        ElasticBuffer.Pool pool = ElasticBuffer.Pool.of(4_321);
        ElasticBuffer a = new ElasticBuffer(16, 4_321, pool);
        ElasticBuffer b = new ElasticBuffer(16, 4_321, pool);
        a.array()[0] = 'k';

        byte[] borrowed = a.grow(1, 17);
        assertEquals(4_321, borrowed.length, "a burst goes straight to the ceiling");
        assertEquals('k', borrowed[0], "keeping what was held");
        a.shrink();
        assertEquals(16, a.capacity(), "quiet: back to the floor");

        assertSame(borrowed, b.grow(0, 100), "the next burst, on any connection, borrows the same array");
    }

    @Test
    void aFullReadWithMoreWaitingGrowsTheNextReadAndASmallOneShrinksIt() {
        ElasticBuffer reads = new ElasticBuffer(128, 8192);
        reads.view();

        reads.afterRead(128, 5000);
        assertEquals(5000, reads.view().capacity(), "room for what waits, at once");
        reads.afterRead(5000, 9000);
        assertEquals(8192, reads.view().capacity(), "but never past the ceiling");
        reads.afterRead(3000, 0);
        assertEquals(8192, reads.view().capacity(), "a burst's tail: the next read decides");
        reads.afterRead(100, 0);
        assertEquals(128, reads.view().capacity(), "a read that left nothing waiting: back to the floor");
        reads.afterRead(128, 0);
        assertEquals(128, reads.view().capacity(), "full but nothing waits: a read that blocks holds only the floor");
    }

    @Test
    void aFrameDecoderHoldsOnlyItsFloorBetweenFramesAfterOneOfTheMaximum() throws Exception {
        int maxFrame = 64 * 1024;
        FrameDecoder decoder = new FrameDecoder(maxFrame);
        List<Integer> lengths = new ArrayList<>();
        byte[] big = new byte[maxFrame];
        Arrays.fill(big, (byte) 'x');

        for (int i = 0; i < big.length; i += 1000) {
            decoder.decode(ByteBuffer.wrap(big, i, Math.min(1000, big.length - i)), p -> lengths.add(p.remaining()));
            assertTrue(decoder.capacity() <= maxFrame + 4, "rule 4: held " + decoder.capacity());
        }
        decoder.decode(ByteBuffer.wrap(utf8("<EOF>")), p -> lengths.add(p.remaining()));

        assertEquals(List.of(maxFrame), lengths);
        assertFalse(decoder.hasPartialFrame());
        assertEquals(256, decoder.capacity(), "quiet after the big frame: the floor, not the frame");
        assertEquals(0, new FrameDecoder(maxFrame).capacity(), "nothing before the first split frame");

        // A pipelining client splits a short frame at nearly every read: the floor carries it.
        FrameDecoder pipelined = new FrameDecoder(maxFrame);
        for (int i = 0; i < 100; i++) {
            pipelined.decode(ByteBuffer.wrap(utf8("hello, wor")), p -> lengths.add(p.remaining()));
            pipelined.decode(ByteBuffer.wrap(utf8("ld<EOF>")), p -> lengths.add(p.remaining()));
            assertEquals(256, pipelined.capacity(), "no array but the floor's, however many frames split");
        }
    }
}
