package fourways.testsuite;

import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A standard output that nobody reads (rule 14's trap for sink): every write blocks, deaf to
 * interrupts as a write to a full pipe is, until {@link #close} lets them all through.
 */
final class StalledOutput extends OutputStream {
    /** No permit until close(); then each stuck write takes it and hands it on to the next. */
    private final Semaphore released = new Semaphore(0);
    private final CountDownLatch blocked = new CountDownLatch(1);

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        blocked.countDown();
        released.acquireUninterruptibly();            // a pipe's write ignores interrupts too
        released.release();
    }

    /** True once a write is stuck in here. */
    boolean awaitBlocked(Duration limit) throws InterruptedException {
        return blocked.await(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The reader finally reads: every stuck write returns. */
    @Override
    public void close() {
        released.release();
    }
}
