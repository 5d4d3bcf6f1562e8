package fourways.coursework.e5_connectionlimit;

import static org.junit.jupiter.api.Assertions.fail;

import fourways.coursework.Trap;
import fourways.protocol.Frames;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.testsuite.Bytes;
import fourways.testsuite.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Exercise 5's checker: in each of the four models, a server with room for three clients serves
 * three, closes the fourth at once without a reply, and has room for one more each time one of
 * the three leaves, by a close, a reset or a half-close.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@Trap("A server without a limit takes connections until it runs out of threads or descriptors: the one too many is accepted and closed at once, and a place comes free whenever a connection ends, however it ends.")
abstract class ConnectionLimitChecker {
    private static final int LIMIT = 3;

    private final LimitedServer blockingIo;
    private final LimitedServer nioSelector;
    private final LimitedServer nio2Async;
    private final LimitedServer virtualThreads;
    private final BlockingWithThreads blockingWithThreads;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** The blocking server's own constructor, whose thread factory a check may make fail. */
    @FunctionalInterface
    interface BlockingWithThreads {
        Server start(ServerConfig config, int maxConnections, ThreadFactory threads) throws IOException;
    }

    ConnectionLimitChecker(LimitedServer blockingIo, LimitedServer nioSelector, LimitedServer nio2Async,
                           LimitedServer virtualThreads, BlockingWithThreads blockingWithThreads) {
        this.blockingIo = blockingIo;
        this.nioSelector = nioSelector;
        this.nio2Async = nio2Async;
        this.virtualThreads = virtualThreads;
        this.blockingWithThreads = blockingWithThreads;
    }

    @Test
    void blockingIo_servesThreeAtOnceAndClosesTheFourth() throws Exception {
        limitHolds(blockingIo);
    }

    @Test
    void nioSelector_servesThreeAtOnceAndClosesTheFourth() throws Exception {
        limitHolds(nioSelector);
    }

    @Test
    void nio2Async_servesThreeAtOnceAndClosesTheFourth() throws Exception {
        limitHolds(nio2Async);
    }

    @Test
    void virtualThreads_servesThreeAtOnceAndClosesTheFourth() throws Exception {
        limitHolds(virtualThreads);
    }

    /**
     * Chapter 4's trap, provoked boundedly: the blocking server's thread factory makes a thread
     * whose {@code start()} fails, as it does in a process out of threads. That connection must
     * be closed, its place come back, and the accept thread live on. (A real process out of
     * threads would take the test JVM with it; a factory is the seam that makes it one test.)
     */
    @Test
    void blockingIo_aConnectionWhoseThreadFailsToStartIsClosedAndGivesBackItsPlace() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory failsOnce = r -> {
            // The first thread is the accept thread; the second, the first connection's, fails
            // to start as a thread does when the process has no more.
            boolean fail = made.incrementAndGet() == 2;
            Thread t = new Thread(r, "e5-check-" + made.get()) {
                @Override
                public synchronized void start() {
                    if (fail) throw new OutOfMemoryError("unable to create native thread: possibly out of memory (the check's)");
                    super.start();
                }
            };
            t.setDaemon(true);                                // a starter's stuck thread must not hold the JVM
            // A server that lets the refused start() escape loses the thread that called it: one
            // line on it, not a stack trace that reads like the checker's own crash.
            t.setUncaughtExceptionHandler((dead, e) -> System.err.println("e5 check: the server's thread " + dead.getName()
                    + " ended with " + e + ", thrown by the Thread.start() this check refused"));
            return t;
        };
        Server server = later(blockingWithThreads.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0), 1,
                failsOnce));
        try (Socket first = new Socket()) {
            first.connect(server.address(), 5000);
            first.setSoTimeout(5000);
            try {
                first.getInputStream().read();                // -1: closed, as it must be
            } catch (SocketTimeoutException open) {
                fail("Thread.start() failed for this connection's thread, and the connection stayed open for 5 s:"
                        + " close it, give its place back, and keep the accept thread accepting");
            } catch (SocketException reset) {
                // a reset is a close too
            }
        }
        // The limit is one: only a place given back lets the second in, and only a living
        // accept thread takes it.
        admittedOnceThereIsRoom(server, "the first connection's thread failed to start");
    }

    private void limitHolds(LimitedServer model) throws Exception {
        Server server = later(model.start(ServerConfig.defaults().withPort(0), LIMIT));
        List<RawClient> admitted = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            RawClient c = later(RawClient.connect(server.address()));
            c.sendFrame("client " + i);
            c.expectEcho("client " + i);                      // served, so surely counted
            admitted.add(c);
        }
        expectRefused(server, "a fourth client, while three are connected,");
        expectRefused(server, "a fifth client");              // a refusal gives back no place
        for (RawClient c : admitted) {                        // and costs the three nothing
            c.sendFrame("still here");
            c.expectEcho("still here");
        }

        admitted.remove(0).close();                           // one leaves: a place for one more
        admitted.add(admittedOnceThereIsRoom(server, "a client closed"));
        expectRefused(server, "one too many, after a client left and another came,");

        admitted.remove(0).reset();                           // rule 15: an abrupt leaving frees it too
        admitted.add(admittedOnceThereIsRoom(server, "a client reset its connection"));

        RawClient leaving = admitted.remove(0);               // rule 6: and so does a half-close
        leaving.shutdownOutput();
        leaving.readToEnd();
        admitted.add(admittedOnceThereIsRoom(server, "a client half-closed and the server closed"));
        expectRefused(server, "one too many, at the end,");
    }

    /** The server must close this one without a reply: it is one too many. */
    private static void expectRefused(Server server, String who) throws IOException {
        try (RawClient c = RawClient.connect(server.address())) {
            if (replyOrClose(c) != null) {
                fail(who + " was served: the server lets more than " + LIMIT + " clients in at once");
            }
        } catch (SocketTimeoutException silent) {
            fail(who + " was neither served nor closed: accept the one too many and close it at once,"
                    + " so that it knows");
        }
    }

    /**
     * A place comes back when the server learns of the close, a moment after the client's: try,
     * every 10 ms for 10 s, until a newcomer is served. Each try the server refuses costs it nothing.
     */
    private RawClient admittedOnceThereIsRoom(Server server, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int tries = 1; ; tries++) {
            RawClient c = RawClient.connect(server.address());
            if (replyOrClose(c) != null) return later(c);
            c.close();
            if (System.nanoTime() - deadline > 0) {
                fail(what + ", but no newcomer was served in " + tries + " tries over 10 s: the server does"
                        + " not give a place back when a connection ends that way");
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }

    /** Sends a frame; returns its echo, or null if the server closed (or reset) instead. */
    private static byte[] replyOrClose(RawClient c) throws IOException {
        byte[] expected = Frames.frame(Bytes.echoOf(Bytes.utf8("may I?")));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            c.sendFrame("may I?");
            InputStream in = c.input();
            byte[] buffer = new byte[expected.length];
            while (got.size() < expected.length) {
                int n = in.read(buffer, 0, expected.length - got.size());
                if (n < 0) return null;                       // closed: refused
                got.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException silent) {
            throw silent;
        } catch (SocketException reset) {
            return null;                                      // reset: refused
        }
        Bytes.assertBytes(expected, got.toByteArray(), "rule 5: the echo");
        return got.toByteArray();
    }

    private <T extends AutoCloseable> T later(T c) {
        toClose.add(c);
        return c;
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) toClose.get(i).close();
        toClose.clear();
    }
}
