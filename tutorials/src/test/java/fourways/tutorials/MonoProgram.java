package fourways.tutorials;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One C# program running under {@code mono}, a child process, with its output read line by line
 * on a virtual thread of its own, so that a test waits for a line with a deadline, never on a
 * blocking read. The reader thread owns the pipe; the queue and {@link #said} are safe to read
 * from the test's thread. Closing kills the process, which ends the pipe and the reader.
 */
final class MonoProgram implements AutoCloseable {
    private final Process process;
    private final Thread reader;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    /** Everything it has printed so far, for the failure messages. */
    private final StringBuffer said = new StringBuffer();

    MonoProgram(Path exe, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("mono", exe.toString()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = process.inputReader(UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    said.append(line).append('\n');
                    lines.add(line);
                }
            } catch (IOException ended) {
                // The process was killed: nothing more to read.
            }
        });
    }

    /** The next line that starts with {@code prefix}, skipping others; fails after {@code seconds}. */
    String await(String prefix, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) return line;
        }
        throw new AssertionError("no line '" + prefix + "...' in " + seconds + " s; it said:\n" + said);
    }

    /** Whether it ended within {@code seconds}. */
    boolean ends(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    /** All it printed; complete once {@link #ends} said true and the reader has caught up. */
    String said() throws InterruptedException {
        reader.join(TimeUnit.SECONDS.toMillis(10));   // after the exit, the pipe's last lines
        return said.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }
}
