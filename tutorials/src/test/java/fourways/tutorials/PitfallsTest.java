package fourways.tutorials;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fourways.async.AsyncModel;
import fourways.blocking.BlockingModel;
import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.selector.SelectorModel;
import fourways.testsuite.RawClient;
import fourways.testsuite.Mono;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.io.TempDir;
import fourways.virtual.VirtualModel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Chapter 3's pitfalls of the C# samples, one by one: the same check run against the naive
 * Java translation in {@link NaiveDecoders}, which must fail it, and against the project's own
 * code (protocol's {@link FrameDecoder}, or a real server of each module), which must pass it.
 * Pitfall 8 runs Microsoft's own server sample, its C# compiled and run under Mono (skipped,
 * saying why, where Mono is missing), beside an NIO2 server whose handler throws.
 * Work is measured by counting (characters searched, bytes allocated), never by timing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PitfallsTest {
    /** Chinese and an emoji: three- and four-byte UTF-8 characters, nothing ASCII could hold. */
    private static final String TEXT = "你好, 世界 🌍";

    private final List<AutoCloseable> toClose = new ArrayList<>();

    static Stream<Model> models() {
        return Stream.of(new BlockingModel(), new SelectorModel(), new AsyncModel(), new VirtualModel());
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
        toClose.clear();
    }

    private <T extends AutoCloseable> T later(T c) {
        toClose.add(c);
        return c;
    }

    private Server start(Model model) throws IOException {
        return later(model.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0)));
    }

    /** Ours: the payloads FrameDecoder hands out, as bytes, for the given reads. */
    private static List<byte[]> frameDecoder(byte[]... reads) throws FrameDecoder.FrameTooLongException {
        FrameDecoder decoder = new FrameDecoder(Frames.DEFAULT_MAX_FRAME);
        List<byte[]> payloads = new ArrayList<>();
        for (byte[] read : reads) {
            decoder.decode(ByteBuffer.wrap(read), p -> {
                byte[] copy = new byte[p.remaining()];
                p.get(copy);
                payloads.add(copy);
            });
        }
        return payloads;
    }

    /** Naive: the messages the C# sample's way of decoding finds in the given reads. */
    private static List<String> textAccumulator(java.nio.charset.Charset charset, byte[]... reads) {
        NaiveDecoders.TextAccumulator naive = new NaiveDecoders.TextAccumulator(charset);
        List<String> messages = new ArrayList<>();
        for (byte[] read : reads) {
            String m = naive.onRead(read, read.length);
            if (m != null) messages.add(m);
        }
        return messages;
    }

    // Pitfall 1: text decoded as ASCII.

    @Test
    void pitfall1_asciiDecodingLosesEveryNonAsciiCharacter() throws Exception {
        byte[] frame = Frames.frame(TEXT.getBytes(UTF_8));
        String naive = textAccumulator(US_ASCII, frame).get(0);
        assertNotEquals(TEXT, naive, "naive: each byte over 127 became U+FFFD (C#'s ASCII decoder: '?')");
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD, ", naive.substring(0, 8));

        assertArrayEquals(TEXT.getBytes(UTF_8), frameDecoder(frame).get(0), "ours: the bytes, untouched (rule 2)");
    }

    // Pitfall 2: each chunk decoded on its own.

    // tag::split-character[]
    @Test
    void pitfall2_aCharacterSplitBetweenTwoReadsIsLostWhenEachReadIsDecodedAlone() throws Exception {
        byte[] frame = Frames.frame(TEXT.getBytes(UTF_8));
        int cut = 1;                                   // after the first of 你's three bytes
        byte[] first = Arrays.copyOfRange(frame, 0, cut);
        byte[] second = Arrays.copyOfRange(frame, cut, frame.length);

        String naive = textAccumulator(UTF_8, first, second).get(0);
        assertNotEquals(TEXT, naive, "naive: UTF-8 instead of ASCII, decoded read by read");

        for (int at = 1; at < frame.length; at++) {   // ours: wherever the read ends
            byte[] a = Arrays.copyOfRange(frame, 0, at);
            byte[] b = Arrays.copyOfRange(frame, at, frame.length);
            assertArrayEquals(TEXT.getBytes(UTF_8), frameDecoder(a, b).get(0), "split after byte " + at);
        }
    }
    // end::split-character[]

    /** Pitfalls 1 and 2 on the wire: every module's server echoes the bytes, split anywhere. */
    @ParameterizedTest
    @MethodSource("models")
    void pitfalls1and2_everyServerEchoesNonAsciiTextByteExact_splitInsideACharacter(Model model) throws Exception {
        RawClient c = later(RawClient.connect(start(model).address()));
        byte[] frame = Frames.frame(TEXT.getBytes(UTF_8));
        for (int cut : new int[] {1, 2, 4, 13, frame.length - 2}) {   // inside 你, 好, 🌍, and <EOF>
            c.sendRaw(Arrays.copyOfRange(frame, 0, cut));
            c.sendRaw(Arrays.copyOfRange(frame, cut, frame.length));
            c.expectEcho(TEXT);
        }
    }

    // Pitfall 3: the whole buffer rescanned for <EOF> after every read.

    /** One frame of {@code size} payload bytes, cut into 64-byte reads, as a slow link delivers it. */
    private static byte[][] reads(int size) {
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'x');
        byte[] frame = Frames.frame(payload);
        byte[][] reads = new byte[(frame.length + 63) / 64][];
        for (int i = 0; i < reads.length; i++) {
            reads[i] = Arrays.copyOfRange(frame, i * 64, Math.min(frame.length, (i + 1) * 64));
        }
        return reads;
    }

    /** Bytes this thread allocates while {@code work} runs: the JVM counts them, no clock involved. */
    private static long allocated(Runnable work) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static long naiveCopies(int size) {
        byte[][] reads = reads(size);
        NaiveDecoders.TextAccumulator naive = new NaiveDecoders.TextAccumulator(US_ASCII);
        return allocated(() -> {
            for (byte[] r : reads) naive.onRead(r, r.length);
        });
    }

    private static long naiveScanned(int size) {
        NaiveDecoders.TextAccumulator naive = new NaiveDecoders.TextAccumulator(US_ASCII);
        for (byte[] r : reads(size)) naive.onRead(r, r.length);
        return naive.scanned;
    }

    private static long ourCopies(int size) {
        ByteBuffer[] reads = Arrays.stream(reads(size)).map(ByteBuffer::wrap).toArray(ByteBuffer[]::new);
        FrameDecoder decoder = new FrameDecoder(Frames.DEFAULT_MAX_FRAME);
        FrameDecoder.Handler ignore = payload -> {};
        return allocated(() -> {
            try {
                for (ByteBuffer r : reads) decoder.decode(r, ignore);
            } catch (FrameDecoder.FrameTooLongException e) {
                throw new AssertionError(e);
            }
        });
    }

    // tag::quadratic[]
    @Test
    void pitfall3_searchingEverythingAgainAfterEveryReadIsQuadratic() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        naiveCopies(1024);                             // load and link everything once, then count
        ourCopies(1024);

        // Four times the frame, in the same 64-byte reads: sixteen times the work when quadratic.
        double naiveSearch = (double) naiveScanned(65_536) / naiveScanned(16_384);
        double naiveCopy = (double) naiveCopies(65_536) / naiveCopies(16_384);
        double ourCopy = (double) ourCopies(65_536) / ourCopies(16_384);

        assertTrue(naiveSearch > 12, "naive: characters searched grew " + naiveSearch + "x");
        assertTrue(naiveCopy > 12, "naive: bytes copied grew " + naiveCopy + "x");
        assertTrue(ourCopy < 6, "ours: bytes copied grew " + ourCopy + "x, should be about 4x");
    }
    // end::quadratic[]

    // Pitfall 4: no size limit.

    @Test
    void pitfall4_withoutALimitOnePeerWithoutDelimiterHoldsAsMuchMemoryAsItSends() throws Exception {
        byte[] read = new byte[1024];
        Arrays.fill(read, (byte) 'x');
        int sent = 4 * Frames.DEFAULT_MAX_FRAME;     // four times the maximum, and no <EOF>: a peer need not stop there

        NaiveDecoders.TextAccumulator naive = new NaiveDecoders.TextAccumulator(US_ASCII);
        for (int n = 0; n < sent; n += read.length) naive.onRead(read, read.length);
        assertEquals(sent, naive.held(), "naive: everything it was sent, held");

        FrameDecoder ours = new FrameDecoder(Frames.DEFAULT_MAX_FRAME);
        int fed = 0;
        try {
            for (; fed < sent; fed += read.length) ours.decode(ByteBuffer.wrap(read), p -> {});
        } catch (FrameDecoder.FrameTooLongException expected) {
            fed += read.length;
        }
        assertTrue(fed < sent, "ours: never refused the frame");
        assertTrue(fed <= Frames.DEFAULT_MAX_FRAME + Frames.DELIMITER.length + read.length,
                "ours: refused only after " + fed + " bytes (rule 4: at most BYTES + 4 are held)");
    }

    // Pitfall 5: a receive never armed again.

    @Test
    void pitfall5_naive_aServerThatNeverReadsAgainAnswersOnlyTheFirstMessage() throws Exception {
        NaiveDecoders.Server naive = later(new NaiveDecoders.Server());
        RawClient c = later(RawClient.connect(naive.address()));
        c.sendFrame("one");
        c.expectEcho("one");
        assertEquals(0, naive.pendingReads.get(), "no read is pending on an open connection");
        c.sendFrame("two");
        assertNull(c.pollFrame(Duration.ofMillis(300)), "the second message was never read, so never answered");
    }

    @ParameterizedTest
    @MethodSource("models")
    void pitfall5_ours_everyServerAnswersEveryMessageOfAConnection(Model model) throws Exception {
        RawClient c = later(RawClient.connect(start(model).address()));
        for (int i = 0; i < 100; i++) {                // one after another: each needs a fresh read
            c.sendFrame("message " + i);
            c.expectEcho("message " + i);
        }
    }

    // Pitfall 6: a read of 0 (C#) or -1 (Java) not treated as the peer closing.

    @Test
    void pitfall6_naive_aServerThatIgnoresEndOfStreamKeepsTheSocketOpenForEver() throws Exception {
        NaiveDecoders.Server naive = later(new NaiveDecoders.Server());
        RawClient c = later(RawClient.connect(naive.address()));
        c.shutdownOutput();                            // the client is done: the server reads -1
        assertTrue(naive.endOfStream.await(20, TimeUnit.SECONDS), "the server's read never completed");
        AsynchronousSocketChannel leaked = naive.accepted.peek();
        assertTrue(leaked.isOpen(), "naive: the read of -1 was handled, and the socket is still open");
    }

    @ParameterizedTest
    @MethodSource("models")
    void pitfall6_ours_everyServerClosesWhenTheClientHasClosed(Model model) throws Exception {
        RawClient c = later(RawClient.connect(start(model).address()));
        c.sendFrame("last");
        c.shutdownOutput();
        // Rule 6: what is owed comes first, then the server's own close: a read of -1 here.
        assertArrayEquals(Frames.frame(("Server return :last").getBytes(UTF_8)), c.readToEnd());
    }

    // Pitfall 7: errors in callbacks swallowed.

    /** A loopback port that nothing listens on: connecting to it is refused at once. */
    private static InetSocketAddress refusingAddress() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return (InetSocketAddress) s.getLocalSocketAddress();
        }
    }

    @Test
    void pitfall7_naive_aConnectFailurePrintedInsideTheCallbackLeavesTheCallerWaiting() throws Exception {
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(1, Thread.ofPlatform().factory());
        later((AutoCloseable) () -> {
            group.shutdownNow();
            group.awaitTermination(10, TimeUnit.SECONDS);
        });
        AsynchronousSocketChannel channel = AsynchronousSocketChannel.open(group);
        Queue<String> console = new ConcurrentLinkedQueue<>();
        CountDownLatch printed = new CountDownLatch(1);
        CountDownLatch connectDone = new CountDownLatch(1);

        NaiveDecoders.connect(channel, refusingAddress(), connectDone, line -> {
            console.add(line);
            printed.countDown();
        });

        assertTrue(printed.await(20, TimeUnit.SECONDS), "the connect never failed");
        assertTrue(console.peek().contains("ConnectException"), console.toString());
        assertEquals(1, connectDone.getCount(), "naive: the failure is over, and the caller was never told");
    }

    @Test
    void pitfall7_ours_aConnectFailureReachesTheCaller() throws Exception {
        InetSocketAddress nobody = refusingAddress();
        IOException e = assertThrows(IOException.class, () -> new AsyncModel().connect(nobody).close());
        assertTrue(e.toString().contains("Connect"), e.toString());
    }

    // Pitfall 8: an exception thrown out of a callback.

    /** Microsoft's server sample, compiled and started under Mono; skips the test where Mono is missing. */
    private MonoProgram startServerSample(Path dir) throws Exception {
        Path exe = Mono.compile(Path.of("src/test/csharp/AsynchronousSocketListener.cs"), dir);
        return later(new MonoProgram(exe, "0"));      // port 0: any free one, which it prints
    }

    /** The samples do work on the easy case, one short ASCII message: why their bugs survived. */
    @Test
    void theSamplesWorkWhenNothingGoesWrong(@TempDir Path dir) throws Exception {
        MonoProgram server = startServerSample(dir);
        String port = server.await("listening on 127.0.0.1:", 60).substring(23);
        MonoProgram client = later(new MonoProgram(Mono.compile(Path.of("src/test/csharp/AsynchronousClient.cs"), dir), port));
        assertEquals("Response received : This is a test<EOF>", client.await("Response received", 60));
        assertTrue(client.ends(30), client.said());
    }

    @Test
    void pitfall8_naive_oneResetEndsTheWholeProcessOfMicrosoftsServerSample(@TempDir Path dir) throws Exception {
        MonoProgram server = startServerSample(dir);
        int port = Integer.parseInt(server.await("listening on 127.0.0.1:", 60).substring(23));
        server.await("Waiting for a connection", 30);

        Socket client = later(new Socket(InetAddress.getLoopbackAddress(), port));
        server.await("Waiting for a connection", 30);  // again: AcceptCallback has run
        client.setSoLinger(true, 0);
        client.close();                                // SO_LINGER 0: a reset (RST), not a FIN

        assertTrue(server.ends(30), "the sample's server survived the reset:\n" + server.said());
        assertNotEquals(0, server.exitValue(), server.said());
        assertTrue(server.said().contains("EndReceive"), "the unhandled exception, from EndReceive: " + server.said());
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close(),
                "a second client: nobody listens any more");
    }

    @Test
    void pitfall8_java_anExceptionOutOfCompletedIsOnlyPrintedTheServerGoesOnTheConnectionHangs() throws Exception {
        CompletableFuture<Throwable> uncaught = new CompletableFuture<>();
        ThreadFactory threads = task -> {
            Thread t = Thread.ofPlatform().name("group").unstarted(task);
            // The default handler would print "Exception in thread ..." on System.err; this one tells the test.
            t.setUncaughtExceptionHandler((thread, e) -> uncaught.complete(e));
            return t;
        };
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(1, threads);
        later(() -> {
            group.shutdownNow();
            group.awaitTermination(10, TimeUnit.SECONDS);
        });
        AsynchronousServerSocketChannel listener = AsynchronousServerSocketChannel.open(group)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ThrowingOnce.serve(listener);
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();

        Socket first = later(new Socket(InetAddress.getLoopbackAddress(), port));
        first.getOutputStream().write(Frames.frame("hello".getBytes(UTF_8)));
        Throwable e = uncaught.get(20, TimeUnit.SECONDS);    // the bug's exception reached the thread's handler...
        assertEquals(ThrowingOnce.BUG, e.getMessage());

        Socket second = later(new Socket(InetAddress.getLoopbackAddress(), port));
        second.getOutputStream().write(Frames.frame("again".getBytes(UTF_8)));
        second.setSoTimeout(20_000);
        assertArrayEquals(Frames.frame("again".getBytes(UTF_8)), second.getInputStream().readNBytes(10),
                "...and the server goes on: a new group thread echoes the second client");

        first.setSoTimeout(1_000);                           // ...while the first connection hangs:
        assertThrows(SocketTimeoutException.class, () -> first.getInputStream().read(),
                "neither a reply nor a close: no read is pending, and nobody closes the channel");
    }

    /** The naive way does work on the easy case, one ASCII frame in one read: why its bugs survive a quick try. */
    @Test
    void theNaiveWayWorksWhenTheTextIsAsciiAndNothingIsSplit() {
        assertEquals(List.of("hello"), textAccumulator(US_ASCII, Frames.frame("hello".getBytes(US_ASCII))));
        assertEquals(List.of(), textAccumulator(US_ASCII, "no end yet".getBytes(US_ASCII)));
    }
}
