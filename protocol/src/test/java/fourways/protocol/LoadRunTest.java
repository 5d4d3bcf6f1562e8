package fourways.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A load run's bookkeeping and its {@code RESULT} line (rules 17 and 18), over an in-memory echo. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LoadRunTest {
    /** Rule 18's line, field by field. */
    static final Pattern RESULT = Pattern.compile("^RESULT connections=\\d+ messages=\\d+ seconds=\\d+\\.\\d+"
            + " msgs_per_sec=\\d+\\.\\d+ p50_us=\\d+ p90_us=\\d+ p99_us=\\d+ p999_us=\\d+ max_us=\\d+ errors=\\d+$");

    /** Rule 18's line of an open loop (rule 19): the same, then the client's lateness, to a tenth of a microsecond. */
    static final Pattern RESULT_OPEN = Pattern.compile(RESULT.pattern().replace("$", "")
            + " late_p50_us=\\d+\\.\\d late_p99_us=\\d+\\.\\d$");

    @Test
    void rule18_aCleanRunVerifiesEveryReply() throws Exception {
        LoadRun run = new LoadRun(LoadPlan.of(4, 25).withPipeline(4));

        InMemoryEcho.drive(run);

        String line = run.resultLine();
        assertTrue(RESULT.matcher(line).matches(), line);
        assertEquals(4, field(line, "connections"));
        assertEquals(4 * 25, field(line, "messages"));
        assertEquals(0, field(line, "errors"));
        assertTrue(run.succeeded());
        assertTrue(run.allFinished());
    }

    @Test
    void rule18_secondsAndRateHaveThreeDecimals() throws Exception {
        LoadRun run = new LoadRun(LoadPlan.of(1, 10));

        InMemoryEcho.drive(run);

        assertTrue(Pattern.compile(" seconds=\\d+\\.\\d{3} msgs_per_sec=\\d+\\.\\d{3} ").matcher(run.resultLine()).find(),
                run.resultLine());
    }

    /** Issue 13: replies verified on several threads land in any order; S ends at the latest. */
    @Test
    void rule18_theRunEndsAtTheLatestReplyNotTheLastRecorded() {
        LoadRun run = new LoadRun(LoadPlan.of(2, 1));
        run.allConnected();

        run.verified(0, run.startNanos() + 2_000_000_000L);
        run.verified(0, run.startNanos() + 1_000_000_000L);   // an earlier reply, recorded later

        assertTrue(run.resultLine().contains(" seconds=2.000 "), run.resultLine());
    }

    /** Issue 13: a connection failed by its writer and its reader at once is one error, not two. */
    @Test
    void rule18_aConnectionFailedFromTwoThreadsAtOnceCountsOnce() throws Exception {
        int n = 50_000;
        LoadRun run = new LoadRun(LoadPlan.of(n, 1));
        LoadConnection[] connections = new LoadConnection[n];
        for (int i = 0; i < n; i++) connections[i] = run.connection(i);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        Runnable failAll = () -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            for (LoadConnection c : connections) c.fail("broken");   // the laggard catches up, then they race
        };
        Thread writer = Thread.ofPlatform().start(failAll);
        Thread reader = Thread.ofPlatform().start(failAll);
        go.countDown();
        writer.join();
        reader.join();

        assertEquals(n, field(run.resultLine(), "errors"), "each failed connection counts once");
        assertTrue(run.allFinished());
    }

    @Test
    void rule18_resultLineIsTheSameWhenAskedTwice() throws Exception {
        LoadRun run = new LoadRun(LoadPlan.of(1, 1));
        LoadConnection c = run.connection(0);
        run.allConnected();
        ByteBuffer wire = ByteBuffer.allocate(1024);
        // Written "5 ms ago" as far as its clock knows: a latency of at least 5,000 us.
        c.writeFrames(wire, System.nanoTime() - 5_000_000);
        new FrameDecoder(1024).decode(wire.flip(), p -> c.onBytes(Frames.echoReply(p)));

        String first = run.resultLine();

        assertTrue(field(first, "p50_us") >= 5_000, first);
        assertEquals(first, run.resultLine(), "the latencies are not handed out only once");
    }

    @Test
    void rule17_oneWrongReplyByteIsAnError() throws Exception {
        LoadPlan plan = LoadPlan.of(2, 10).withSize(16);
        LoadRun run = new LoadRun(plan);

        // Connection 1's fourth reply has one payload byte flipped.
        InMemoryEcho.drive(run, 1, 3L * plan.replyBytes() + 15 + 2);

        String line = run.resultLine();
        assertTrue(RESULT.matcher(line).matches(), line);
        assertEquals(1, field(line, "errors"), "the connection fails once, and stops");
        assertEquals(10 + 3, field(line, "messages"), "only verified replies count");
        assertFalse(run.succeeded());
        assertTrue(run.firstErrors().iterator().next().startsWith("connection 1: reply 3"),
                run.firstErrors().iterator().next());
    }

    @Test
    void rule18_connectionsCutShortCountAsErrors() {
        LoadRun run = new LoadRun(LoadPlan.of(3, 5));
        run.connection(0);
        run.allConnected();

        // The run ended (its deadline, say) before any reply: each unfinished connection is an error.
        String line = run.resultLine();

        assertTrue(RESULT.matcher(line).matches(), line);
        assertEquals(0, field(line, "messages"));
        assertEquals(3, field(line, "errors"));
        assertFalse(run.succeeded());
    }

    @Test
    void rule18_aFailedConnectionCountsOnce() {
        LoadRun run = new LoadRun(LoadPlan.of(3, 5));
        LoadConnection reset = run.connection(0);
        run.allConnected();

        reset.fail("connection reset");
        reset.fail("and again");                            // the second report of the same break
        run.connectionFailed(1, new IOException("Connection refused"));
        run.connectionFailed(2, new IOException("Connection refused"));

        assertEquals(3, field(run.resultLine(), "errors"));
        assertTrue(run.allFinished(), "a failed connection is finished: nobody waits for it");
        assertFalse(run.succeeded());
    }

    @Test
    void rule18_resultLineBeforeTheClockStarted() {
        // A run whose connections never all opened still prints its line (rule 18).
        LoadRun run = new LoadRun(LoadPlan.of(2, 1));

        String line = run.resultLine();

        assertTrue(RESULT.matcher(line).matches(), line);
        assertTrue(line.contains(" seconds=0.000 msgs_per_sec=0.000 "), line);
    }

    @Test
    void rule17_deadlineComesFromTheTimeout() {
        LoadRun run = new LoadRun(LoadPlan.of(1, 1).withTimeout(Duration.ofSeconds(30)));

        assertFalse(run.pastDeadline());
        assertTrue(run.millisToDeadline() > 0 && run.millisToDeadline() <= 30_000);

        LoadRun over = new LoadRun(LoadPlan.of(1, 1).withTimeout(Duration.ofNanos(1)));
        for (int i = 0; i < 100_000_000 && !over.pastDeadline(); i++) {
            Thread.onSpinWait();                            // bounded: nanoTime moves on within microseconds
        }
        assertTrue(over.pastDeadline());
        assertEquals(1, over.millisToDeadline(), "at least 1: a socket timeout of 0 would mean forever");
    }

    /**
     * Rule 19's busy share: a client whose one loop drives every connection says what share of
     * the measured window it worked rather than waited; a client that never says so has no
     * field, and waits before the clock started are not counted.
     */
    @Test
    void rule19_aOneLoopClientReportsItsBusyShareAndOthersNone() {
        String[] lines = new String[3];
        for (int i = 0; i < 3; i++) {
            LoadRun run = new LoadRun(new LoadPlan(1, 1, 64, 1, 10, Duration.ofSeconds(10)));
            if (i > 0) run.waited(Duration.ofHours(1).toNanos());   // before the clock: not the window's
            run.allConnected();
            if (i == 2) run.waited(Duration.ofHours(1).toNanos());  // longer than any window: it never worked
            LoadConnection c = run.connection(0);
            ByteBuffer frame = ByteBuffer.allocate(1024);
            c.writeFrames(frame, run.startNanos());
            frame.flip();
            c.onBytes(ByteBuffer.allocate(1024).put(Frames.ECHO_PREFIX).put(frame).flip());
            lines[i] = run.resultLine();
        }
        assertTrue(RESULT_OPEN.matcher(lines[0]).matches(), "no loop, no busy share: " + lines[0]);
        assertTrue(lines[1].endsWith(" busy=1.00"), "it never waited in the window: " + lines[1]);
        assertTrue(lines[2].endsWith(" busy=0.00"), lines[2]);
    }

    /**
     * Rule 19, the instrument's resolution: in an open loop the line ends with how late frames
     * left, measured from the clock each write was given; a frame written 5 us after its due
     * time is 5.0 us late, to a tenth of a microsecond.
     */
    @Test
    void rule19_anOpenLoopReportsHowLateItsFramesLeft() {
        LoadRun run = new LoadRun(new LoadPlan(1, 1, 64, 1, 10, Duration.ofSeconds(10)));
        run.allConnected();
        LoadConnection c = run.connection(0);
        ByteBuffer frame = ByteBuffer.allocate(1024);

        assertEquals(1, c.writeFrames(frame, run.startNanos() + 5_000));   // message 0 was due at the start
        frame.flip();
        c.onBytes(ByteBuffer.allocate(1024).put(Frames.ECHO_PREFIX).put(frame).flip());

        String line = run.resultLine();
        assertTrue(line.endsWith(" errors=0 late_p50_us=5.0 late_p99_us=5.0"), line);
        assertTrue(RESULT_OPEN.matcher(line).matches(), line);
    }

    @Test
    void rule18_aClosedLoopLineHasNoLateness() throws Exception {
        LoadRun run = new LoadRun(LoadPlan.of(2, 5));

        InMemoryEcho.drive(run);

        assertTrue(RESULT.matcher(run.resultLine()).matches(), run.resultLine());
        assertFalse(run.resultLine().contains("late_"), run.resultLine());
    }

    /**
     * {@code --hgrm}: HdrHistogram's percentile distribution, in microseconds, one file per view
     * of the replies; the from-send view never exceeds the from-due view (a frame cannot leave
     * before it is due).
     */
    @Test
    void rule19_histogramsGoOutInHdrHistogramsOwnFormat(@TempDir Path folder) throws Exception {
        LoadRun run = new LoadRun(new LoadPlan(3, 20, 64, 4, 1_000_000, Duration.ofSeconds(10)));

        InMemoryEcho.drive(run);
        List<Path> files = run.writeHistograms(folder.resolve("trial").toString());

        assertEquals(List.of("trial.hgrm", "trial.from-send.hgrm", "trial.late.hgrm"),
                files.stream().map(f -> f.getFileName().toString()).toList());
        List<String> due = Files.readAllLines(files.get(0));
        assertEquals("       Value     Percentile TotalCount 1/(1-Percentile)", due.getFirst());
        assertTrue(due.stream().anyMatch(l -> l.startsWith("#[Max     =")), due.toString());
        assertTrue(due.stream().anyMatch(l -> l.contains("Total count    =           60")), due.toString());
        assertTrue(maxMicros(files.get(1)) <= maxMicros(files.get(0)), "from send <= from due");
    }

    private static double maxMicros(Path hgrm) throws IOException {
        String footer = Files.readAllLines(hgrm).stream().filter(l -> l.startsWith("#[Max")).findFirst().orElseThrow();
        return Double.parseDouble(footer.replaceAll("^#\\[Max\\s*=\\s*([0-9.]+),.*$", "$1"));
    }

    static long field(String line, String name) {
        Matcher m = Pattern.compile(" " + name + "=(\\d+)").matcher(line);
        assertTrue(m.find(), name + " in " + line);
        return Long.parseLong(m.group(1));
    }
}
