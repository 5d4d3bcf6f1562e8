package fourways.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A process the benchmarks start (a server, a load client), with its output read as it comes
 * and a guarantee: it is killed when closed, and at the latest when this JVM exits, even on
 * failure or Ctrl-C. Costs one reader thread per process.
 *
 * <p>Threads: the reader thread appends to {@code lines}; any thread reads them, under the
 * lock of {@code lines}.
 */
public final class ChildProcess implements AutoCloseable {
    private static final int LINES_KEPT = 40;
    /** Every process still running; the shutdown hook kills them all. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "kill-children"));
    }

    private final String name;
    private final Process process;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final List<Kept> kept = new ArrayList<>();
    private final Predicate<String> keep;
    private final Thread reader;

    /**
     * Starts {@code command}, standard error merged into standard output.
     *
     * @param keep lines to keep whatever their number (RESULT lines); others only the last few
     */
    public ChildProcess(String name, List<String> command, Predicate<String> keep) throws IOException {
        this.name = name;
        this.keep = keep;
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        LIVE.add(process);
        this.reader = Thread.ofPlatform().daemon().name("output-" + name).start(this::readOutput);
    }

    /** Reads until the process closes its output, so that it never blocks on a full pipe. */
    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                long read = System.nanoTime();        // before the lock, which a reader of the lines may hold
                synchronized (lines) {
                    if (keep.test(line)) kept.add(new Kept(read, line));
                    lines.addLast(line);
                    if (lines.size() > LINES_KEPT) lines.removeFirst();
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // The process was killed under us: its output ends here.
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits, at most {@code millis}, for a line matching {@code wanted}; null if none came. */
    public String awaitLine(Predicate<String> wanted, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (wanted.test(line)) return line;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || !reader.isAlive()) return null;
                lines.wait(Math.min(left, 100));    // also wakes to notice the reader has ended
            }
        }
    }

    /** Whether the process has closed its output, as it does when it ends: no line will come after this. */
    public boolean outputEnded() {
        return !reader.isAlive();
    }

    /** Waits for the process to exit, at most {@code millis}; its exit status, or null if it is still running. */
    public Integer waitFor(long millis) throws InterruptedException {
        if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) return null;
        reader.join(1_000);                           // the last lines of output, the RESULT line among them
        return process.exitValue();
    }

    /**
     * A line {@code keep} matched, and when it was read ({@link System#nanoTime}): for a line
     * the process flushes as something ends (a RESULT line), when that ended, give or take the pipe.
     */
    public record Kept(long nanos, String line) {}

    /**
     * Waits, at most {@code millis}, until {@code count} lines have been kept or the output has
     * ended; returns the lines kept by then, in the order they came.
     */
    public List<Kept> awaitKept(int count, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (lines) {
            while (kept.size() < count) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || !reader.isAlive()) break;
                lines.wait(Math.min(left, 100));    // also wakes to notice the reader has ended
            }
            return List.copyOf(kept);
        }
    }

    /** The lines {@code keep} matched, so far. */
    public List<Kept> kept() {
        synchronized (lines) {
            return List.copyOf(kept);
        }
    }

    /** The last lines of output, for an error message. */
    public String tail() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /**
     * SIGTERM first (rule 14: a server exits within 5 seconds), then SIGKILL. Idempotent; waits
     * until the process is gone.
     */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(6, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();                // no time to be polite
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(process);
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
