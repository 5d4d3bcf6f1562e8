package fourways.coursework.e7_tlsengine.solution;

import fourways.coursework.e7_tlsengine.EngineConnection;
import fourways.coursework.e7_tlsengine.TlsSelectorServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;

/**
 * Exercise 7's reference solution: a TLS echo connection on the selector whose engine loop does
 * what the bytes at hand allow and returns to {@code select()}; it never waits on the selector
 * thread, for bytes or for a delegated task, so one slow client costs only itself.
 */
public final class TlsEcho extends EngineConnection {
    /** A turn that makes no progress ends the loop; this many turns means a bug, and closes. */
    private static final int MAX_TURNS = 10_000;
    private boolean taskAway;

    public TlsEcho(SocketChannel channel, SSLEngine engine, TlsSelectorServer server) {
        super(channel, engine, server);
    }

    @Override
    protected void onReady(SelectionKey key) throws IOException {
        if (key.isWritable() && !flush()) return;    // still full: OP_WRITE again
        if (key.isReadable() && channel.read(netIn) < 0) {
            close();                                  // the client is done: close_notify, close
            return;
        }
        advance();
    }

    // tag::advance[]
    /** Handshake steps, records and replies, as far as the bytes at hand go; then back to select(). */
    private void advance() throws IOException {
        for (int turn = 0; !taskAway; turn++) {
            if (turn == MAX_TURNS) throw new IOException("no progress after " + turn + " turns");
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> offload();
                case NEED_WRAP -> {
                    engine.wrap(EMPTY, netOut);
                    if (!flush()) return;             // OP_WRITE brings us back
                }
                default -> {                          // NEED_UNWRAP, or done: records
                    if (!unwrap()) return;            // no whole record: wait for OP_READ, do not spin
                }
            }
        }
    }

    private boolean unwrap() throws IOException {
        netIn.flip();
        SSLEngineResult r = engine.unwrap(netIn, appIn);
        netIn.compact();                              // what is left is the next record's: keep it
        switch (r.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                return false;                         // a partial record: its rest comes with a later read
            }
            case BUFFER_OVERFLOW -> {                 // more plaintext than room: make room, go again
                appIn = ByteBuffer.allocate(appIn.capacity() * 2).put(appIn.flip());
                return true;
            }
            case CLOSED -> {
                close();                              // the client's close_notify: ours, then close
                return false;
            }
            default -> { }
        }
        if (appIn.position() > 0) {
            echo();
            flush();                                  // what the socket does not take waits for OP_WRITE
        }
        return r.bytesConsumed() > 0;
    }
    // end::advance[]

    // tag::offload[]
    /** The delegated tasks run off the loop; the connection waits, without interest, until they are done. */
    private void offload() {
        taskAway = true;
        key.interestOps(0);                           // else a full netIn stays readable: a spin
        List<Runnable> tasks = new ArrayList<>();
        for (Runnable t; (t = engine.getDelegatedTask()) != null; ) tasks.add(t);
        server.offLoop().execute(() -> {
            tasks.forEach(Runnable::run);             // a signature, a certificate check: maybe slow
            server.execute(this::resume);             // back on the loop thread, through its mailbox
        });
    }

    private void resume() {
        taskAway = false;
        try {
            key.interestOps(SelectionKey.OP_READ);
            advance();
        } catch (IOException | RuntimeException e) {
            abort();                                  // a failed handshake costs this connection only
        }
    }
    // end::offload[]
}
