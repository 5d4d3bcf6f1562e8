package fourways.bench.side;

import fourways.bench.ChildProcess;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The RESULT lines of one load client process, read as they come and handed on one by one:
 * one line for most workloads, one a rung for the sweep, whose client climbs its whole ladder
 * in one process (rule 19's several rates). A line is handed on once its run has settled:
 * when the next line has come, or the process has ended. By then what the client did for
 * that run after its line is done (its errors said, its histograms written), and the CPU
 * samplers, which read every 50 ms, have a sample past its window.
 */
final class ResultLines {
    /** What to do with a run once it has settled. */
    @FunctionalInterface
    interface Settled {
        /**
         * @param index the run's number, from 0, in the order the client ran them
         * @param line its RESULT line, and when it came: as the run ended
         * @param seconds since the line before it came, or for the first since the client started
         */
        void accept(int index, ChildProcess.Kept line, double seconds) throws InterruptedException;
    }

    private final ChildProcess client;
    private final int expected;
    private final long startNanos = System.nanoTime();
    private int handed;

    /** @param expected the RESULT lines the client prints when all goes well */
    ResultLines(ChildProcess client, int expected) {
        this.client = client;
        this.expected = expected;
    }

    /**
     * Reads until every line has come and the client has exited, or for at most
     * {@code limitMillis}; runs {@code tick} after each {@code tickMillis} without a line.
     * Returns the client's exit status; null when it still runs at the limit (closing it kills it).
     */
    Integer read(long limitMillis, long tickMillis, Runnable tick, Settled settled) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        List<ChildProcess.Kept> lines = List.of();
        for (long left; lines.size() < expected && !client.outputEnded()
                && (left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) > 0; ) {
            int before = lines.size();
            lines = client.awaitKept(before + 1, Math.min(tickMillis, left));
            hand(lines, lines.size() - 1, settled);  // all but the newest: its run may still be talking
            if (lines.size() == before && !client.outputEnded()) tick.run();
        }
        // Once every line is in, or the output has ended, the exit is near, and waiting for it
        // settles the last run too; at the limit there is no waiting.
        boolean ending = lines.size() >= expected || client.outputEnded();
        Integer status = client.waitFor(ending ? 10_000 : 0);
        hand(client.kept(), expected, settled);       // with any line that came just as the process ended
        return status;
    }

    /** How many lines came, and were handed on. */
    int count() {
        return handed;
    }

    private void hand(List<ChildProcess.Kept> lines, int upTo, Settled settled) throws InterruptedException {
        for (; handed < Math.min(upTo, lines.size()); handed++) {
            ChildProcess.Kept line = lines.get(handed);
            long since = handed == 0 ? startNanos : lines.get(handed - 1).nanos();
            settled.accept(handed, line, (line.nanos() - since) / 1e9);
        }
    }
}
