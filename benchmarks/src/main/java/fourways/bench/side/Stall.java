package fourways.bench.side;

import fourways.bench.ChildProcess;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The stall workload's pause ({@link Workload#STALL}): a thread that stops the server process
 * with SIGSTOP, for {@link Workload#STALL_MILLIS} ms, then lets it go on with SIGCONT; the cost
 * is one thread and two {@code kill} processes. A pause of the whole process is what a long GC
 * pause, a page-fault storm or a descheduled VM does to a server: nothing it could code around.
 *
 * <p>Threads: the pauser thread sends both signals; {@link #close} (the trial's thread) waits
 * for it, so the server is never left stopped, whatever happened to the client meanwhile.
 */
final class Stall implements AutoCloseable {
    private final long pid;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final Thread pauser;
    /** When the server was stopped and let go, on this JVM's clock; 0 until then. Written by the pauser. */
    private volatile long stoppedAt, resumedAt;
    private volatile String failure = "";

    private Stall(long pid, ChildProcess client, long afterMillis, long limitMillis) {
        this.pid = pid;
        this.pauser = Thread.ofPlatform().name("stall-" + pid).daemon()
                .unstarted(() -> pause(client, afterMillis, limitMillis));
    }

    /**
     * Pauses process {@code pid} once, {@code afterMillis} after the load client says its
     * measured run starts (its {@code # warm-up done} line), if it says so within {@code limitMillis}.
     */
    static Stall start(long pid, ChildProcess client, long afterMillis, long limitMillis) {
        Stall s = new Stall(pid, client, afterMillis, limitMillis);
        s.pauser.start();
        return s;
    }

    private void pause(ChildProcess client, long afterMillis, long limitMillis) {
        try {
            if (client.awaitLine(l -> l.startsWith("# warm-up done"), limitMillis) == null) return;
            // Waiting on a latch rather than sleeping: close() ends the wait at once when the
            // client finished (or died) before the pause was due.
            if (cancelled.await(afterMillis, TimeUnit.MILLISECONDS)) return;
            if (!signal("STOP")) return;
            stoppedAt = System.nanoTime();
            try {
                // The pause itself, the one wait here that is a duration and not an event; the
                // latch only cuts it short if the trial is being torn down.
                cancelled.await(Workload.STALL_MILLIS, TimeUnit.MILLISECONDS);
            } finally {
                signal("CONT");                       // never leave the server stopped
                resumedAt = System.nanoTime();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code kill -SIG pid}, bounded in time; false (and a note) if it failed. */
    private boolean signal(String sig) {
        try {
            Process kill = new ProcessBuilder(List.of("kill", "-" + sig, String.valueOf(pid)))
                    .redirectErrorStream(true).start();
            if (kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0) return true;
            kill.destroyForcibly();
            failure = "kill -" + sig + " failed";
        } catch (IOException e) {
            failure = "kill -" + sig + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "kill -" + sig + " interrupted";
        }
        return false;
    }

    /**
     * A note for the row: empty when the pause fell inside the measured window
     * ({@code start}..{@code end}, this JVM's clock), else what went wrong.
     */
    String judge(long start, long end) {
        if (!failure.isEmpty()) return "no stall: " + failure;
        if (stoppedAt == 0) return "no stall: the run ended before it was due";
        if (stoppedAt - start < 0 || resumedAt - end > 0) return "the stall fell outside the measured window";
        return "";
    }

    /** Ends the pause early if it is still going, and waits until the server has had its SIGCONT. */
    @Override
    public void close() throws InterruptedException {
        cancelled.countDown();
        pauser.join(10_000);
    }
}
