package fourways.coursework;

import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A channel group of a server's own, for the NIO2 exercises: a fixed pool that runs every
 * completion handler, made by a factory that remembers each thread so that {@link #shutdown} can
 * wait for them (rule 14); the cost is {@code threads} platform threads, however many connect.
 *
 * <p>Never the JVM's default group, whose threads outlive every server. Threads: any thread may
 * make threads through the factory (the pool replaces one that died); {@link #shutdown} is
 * called once, by the closing thread, never by a handler.
 */
public final class OwnGroup {
    /** Rule 14 wants the whole process gone within 5 s; the group gets at most this long. */
    private static final long SHUTDOWN_SECONDS = 4;

    private final Queue<Thread> started = new ConcurrentLinkedQueue<>();
    private final AsynchronousChannelGroup group;

    public OwnGroup(String name, int threads) throws IOException {
        ThreadFactory platform = Thread.ofPlatform().name(name + "-", 0).factory();
        this.group = AsynchronousChannelGroup.withFixedThreadPool(threads, task -> {
            Thread t = platform.newThread(task);
            started.add(t);
            return t;
        });
    }

    public AsynchronousChannelGroup group() {
        return group;
    }

    /** Closes every channel of the group (their pending operations fail), then waits for its threads. */
    public void shutdown() {
        try {
            group.shutdownNow();
        } catch (IOException ignored) {
            // It only closes channels; they are gone either way.
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_SECONDS);
        for (Thread t : started) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) break;
            try {
                t.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();   // told to stop waiting: every thread was told to end
                break;
            }
        }
    }
}
