package fourways.coursework.e7_tlsengine.starter;

import fourways.coursework.e7_tlsengine.EngineConnection;
import fourways.coursework.e7_tlsengine.TlsSelectorServer;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Exercise 7's starter: a TLS echo connection on the selector whose engine loop is the one most
 * examples show. It works for one quick client on a quiet network; it costs every other client
 * its service as soon as one is slow, and it drops a client whose record arrives in two reads.
 *
 * <p>Your task: make {@code ./mvnw -q -pl coursework -am test -Dexercise=e7} pass. Three bugs,
 * each marked below (chapter 10's pitfalls 1 to 3). For each: on which thread does this line
 * wait, and what else does that thread have to do meanwhile? Chapter 9's hints go on from there.
 */
public final class NaiveTlsEcho extends EngineConnection {

    public NaiveTlsEcho(SocketChannel channel, SSLEngine engine, TlsSelectorServer server) {
        super(channel, engine, server);
    }

    @Override
    protected void onReady(SelectionKey key) throws IOException {
        if (key.isWritable() && !flush()) return;    // replies still waiting for room in the socket
        if (engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING) handshake();
        read();
    }

    // tag::handshake[]
    /** The whole handshake, here and now: it returns only once the handshake is done. */
    private void handshake() throws IOException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_UNWRAP -> {
                    if (channel.read(netIn) < 0) throw new EOFException("the client left during the handshake");
                    if (netIn.position() == 0) continue;         // bug 1: nothing yet, so go round and read again
                    unwrap();
                }
                case NEED_WRAP -> {
                    engine.wrap(EMPTY, netOut);
                    flush();
                }
                case NEED_TASK -> engine.getDelegatedTask().run();  // bug 3: on the selector thread
                default -> {
                    return;                                      // FINISHED, NOT_HANDSHAKING
                }
            }
        }
    }
    // end::handshake[]

    /** Application data: every record read so far, unwrapped and echoed. */
    private void read() throws IOException {
        if (channel.read(netIn) < 0) {
            close();                                             // the client is done: close_notify, close
            return;
        }
        while (netIn.position() > 0) {
            unwrap();
            echo();
        }
        flush();
    }

    // tag::unwrap[]
    private void unwrap() throws IOException {
        netIn.flip();
        SSLEngineResult r = engine.unwrap(netIn, appIn);
        netIn.compact();
        if (r.getStatus() != SSLEngineResult.Status.OK) {
            throw new SSLException("bad TLS record: " + r.getStatus());   // bug 2: BUFFER_UNDERFLOW is no error
        }
    }
    // end::unwrap[]
}
