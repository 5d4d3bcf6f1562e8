package fourways.tutorials;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chapter 4's pseudo-asynchronous server ({@link PseudoAsyncEchoServer}): a bounded pool holds
 * one thread per open connection, so idle clients starve a new one, and a full queue turns
 * clients away. Judged by the pool's own counts and the bytes on the wire, never by a timing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PseudoAsyncTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) c.close();
    }

    private Socket connect(PseudoAsyncEchoServer server) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
        s.setSoTimeout(20_000);                       // every read bounded; generous for a busy machine
        toClose.add(s);
        return s;
    }

    /** One frame out, its echo back, byte for byte. */
    private static void echo(Socket s, String payload) throws IOException {
        s.getOutputStream().write((payload + "<EOF>").getBytes(US_ASCII));
        assertEquals("Server return :" + payload + "<EOF>", read(s, 15 + payload.length() + 5));
    }

    private static String read(Socket s, int n) throws IOException {
        byte[] got = s.getInputStream().readNBytes(n);
        return new String(got, US_ASCII);
    }

    /** A bounded poll: the pool's counts change on its own threads, not on ours. */
    private static void await(IntSupplier count, int wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (count.getAsInt() != wanted) {
            assertTrue(System.nanoTime() < deadline, what + ": " + count.getAsInt() + ", wanted " + wanted);
            TimeUnit.MILLISECONDS.sleep(1);           // a poll's tick: a spin would starve the pool on two cores
        }
    }

    @Test
    void idleConnectionsHoldEveryThread_andANewClientWaitsUnansweredUntilOneCloses() throws Exception {
        PseudoAsyncEchoServer server = new PseudoAsyncEchoServer(0, 2, 10);
        toClose.add(server);
        Socket first = connect(server);
        Socket second = connect(server);
        echo(first, "one");
        echo(second, "two");                          // both threads now wait in read() on idle clients

        Socket third = connect(server);
        third.getOutputStream().write("three<EOF>".getBytes(US_ASCII));
        await(server::waiting, 1, "connections queued for a thread");
        assertEquals(2, server.serving(), "both threads held by clients that send nothing");

        first.close();                                // frees a thread: the third is served at last
        assertEquals("Server return :three<EOF>", read(third, 25));
        assertEquals(0, server.waiting());
    }

    @Test
    void withEveryThreadBusyAndTheQueueFull_aClientIsClosedUnanswered() throws Exception {
        PseudoAsyncEchoServer server = new PseudoAsyncEchoServer(0, 1, 1);
        toClose.add(server);
        echo(connect(server), "held");                // the one thread
        connect(server);
        await(server::waiting, 1, "connections queued for a thread");

        Socket turnedAway = connect(server);
        InputStream in = turnedAway.getInputStream();
        assertEquals(-1, in.read(), "closed by the server without a byte: the queue was full");
    }
}
