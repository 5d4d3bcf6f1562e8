package fourways.tutorials;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * Ours, in chapter 10's pitfall tests: one end of a TLS connection driving its {@link SSLEngine}
 * as a non-blocking server must, over an in-memory {@link Wire} so that a test owns every byte.
 * Each call does what the bytes that have arrived allow and returns: it never waits, never
 * spins, and never runs a delegated task on its caller's thread, the event loop's.
 *
 * <p>Threads: everything runs on the loop (the {@code loop} executor), except the delegated
 * tasks, which run on {@code offLoop} and come back through the loop's mailbox.
 */
final class EngineLoop {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** A read's worth of records is far fewer turns; more means a bug, said loudly. */
    private static final int MAX_TURNS = 10_000;

    private final SSLEngine engine;
    private final Wire in;
    private final Wire out;
    private final Executor offLoop;
    private final Executor loop;
    private final Consumer<ByteBuffer> onPlaintext;
    /** Ciphertext read and not unwrapped yet: a partial record waits here for its rest. */
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;
    private boolean taskAway;
    /** The peer's bytes ended without close_notify: a cut, not an end (rule 24). */
    boolean truncated;
    /** The peer's close_notify arrived: its data is complete. */
    boolean peerClosed;
    volatile IOException failure;

    EngineLoop(SSLEngine engine, Wire in, Wire out, Executor offLoop, Executor loop, Consumer<ByteBuffer> onPlaintext) {
        this.engine = engine;
        this.in = in;
        this.out = out;
        this.offLoop = offLoop;
        this.loop = loop;
        this.onPlaintext = onPlaintext;
        netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    SSLEngine engine() {
        return engine;
    }

    /** The loop's read event: take what has arrived, then go as far as it allows. */
    void onReadable() throws IOException {
        if (in.read(netIn) < 0) {
            if (peerClosed) return;                   // close_notify, then FIN: a clean end
            try {
                engine.closeInbound();                // throws: the bytes stopped before close_notify
            } catch (SSLException e) {
                truncated = true;                     // pitfall 5: a cut, whatever came before it
            }
            return;
        }
        advance();
    }

    // tag::advance[]
    /** Everything the bytes at hand allow: handshake steps, records, replies; then return. */
    void advance() throws IOException {
        for (int turn = 0; !taskAway; turn++) {
            if (turn == MAX_TURNS) throw new IllegalStateException("no progress after " + turn + " turns");
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> offload();          // pitfall 2: never on this thread
                case NEED_WRAP -> wrap(EMPTY);
                default -> {                          // NEED_UNWRAP, or handshake done: records
                    if (!unwrap()) return;            // pitfall 1: no whole record, so stop, not spin
                }
            }
        }
    }

    private boolean unwrap() throws IOException {
        netIn.flip();
        SSLEngineResult r = engine.unwrap(netIn, appIn);
        netIn.compact();                              // pitfall 4: the rest stays, for the next turn
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {                // pitfall 3: a partial record; wait for its rest
                int packet = engine.getSession().getPacketBufferSize();
                if (netIn.capacity() < packet) netIn = grow(netIn, packet);
                return false;
            }
            case BUFFER_OVERFLOW -> {                 // the plaintext needs more room: make it, go again
                appIn = grow(appIn, appIn.capacity() + engine.getSession().getApplicationBufferSize());
                return true;
            }
            case CLOSED -> {                          // the peer's close_notify: answer with ours
                peerClosed = true;
                if (!engine.isOutboundDone()) close();
                return false;
            }
            default -> { }
        }
        if (appIn.position() > 0) {
            onPlaintext.accept(appIn.flip());
            appIn.clear();
        }
        return r.bytesConsumed() > 0;
    }
    // end::advance[]

    // tag::offload[]
    /** The delegated tasks run elsewhere; the loop comes back to this connection through its mailbox. */
    private void offload() {
        taskAway = true;                              // no unwrap or wrap until they are done
        List<Runnable> tasks = new ArrayList<>();
        for (Runnable t; (t = engine.getDelegatedTask()) != null; ) tasks.add(t);
        offLoop.execute(() -> {
            tasks.forEach(Runnable::run);             // a certificate check, a signature: maybe slow
            loop.execute(this::resume);               // back on the loop thread, never here
        });
    }
    // end::offload[]

    private void resume() {
        taskAway = false;
        try {
            advance();
        } catch (IOException e) {
            failure = e;                              // the test reads it; a server would close
        }
    }

    /** Application data out: wrapped into records, which go to the wire. */
    void send(ByteBuffer plaintext) throws IOException {
        do wrap(plaintext); while (plaintext.hasRemaining());
    }

    // tag::close[]
    /** Rule 24: close_notify, then FIN; the peer can tell this end from a cut. */
    void close() throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) wrap(EMPTY);
        out.close();
    }
    // end::close[]

    private void wrap(ByteBuffer src) throws IOException {
        SSLEngineResult r = engine.wrap(src, netOut);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            netOut = grow(netOut, netOut.capacity() + engine.getSession().getPacketBufferSize());
        }
        out.write(netOut.flip());                     // in memory every byte is taken; a socket may take part
        netOut.clear();
    }

    private static ByteBuffer grow(ByteBuffer b, int capacity) {
        return ByteBuffer.allocate(capacity).put(b.flip());
    }
}
