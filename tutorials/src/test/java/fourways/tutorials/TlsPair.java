package fourways.tutorials;

import static java.nio.charset.StandardCharsets.UTF_8;

import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import fourways.testsuite.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;

/**
 * A TLS connection in memory, for chapter 10's pitfalls: a client that trusts the tests' CA
 * (always ours, {@link EngineLoop}, everything on the caller's thread), a server engine with
 * the tests' certificate (the one under test, naive or ours), and the two {@link Wire}s between
 * them. No socket and no thread of its own: a test decides when each side runs, and which bytes
 * have arrived.
 */
final class TlsPair {
    /** Runs a task at once, on the caller's thread: for the client, which serves no one else. */
    static final Executor INLINE = Runnable::run;
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 12000);

    final Wire toServer = new Wire();
    final Wire toClient = new Wire();
    final SSLEngine serverEngine;
    final EngineLoop client;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    TlsPair(SSLEngine serverEngine) {
        this.serverEngine = serverEngine;
        this.client = new EngineLoop(TestPki.get().client().newEngine(SERVER), toClient, toServer, INLINE, INLINE,
                bytes -> received.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining()));
    }

    /** A pair whose server shows the tests' certificate. */
    static TlsPair withTestCertificate() {
        return new TlsPair(TestPki.get().server().newEngine());
    }

    /** Ours on the server side, an echo (rule 5): each whole frame back with its prefix. */
    EngineLoop ours(Executor offLoop, Executor loop) {
        FrameDecoder decoder = new FrameDecoder(Frames.DEFAULT_MAX_FRAME);
        EngineLoop[] server = new EngineLoop[1];
        server[0] = new EngineLoop(serverEngine, toServer, toClient, offLoop, loop, bytes -> {
            try {
                decoder.decode(bytes, payload -> send(server[0], Frames.echoReply(payload)));
            } catch (FrameDecoder.FrameTooLongException e) {
                throw new IllegalStateException("the tests send short frames", e);
            }
        });
        return server[0];
    }

    /** The client's ClientHello, on the wire to the server. */
    void clientHello() throws IOException {
        client.engine().beginHandshake();
        client.advance();
    }

    /** Ours on both sides, all inline, until neither has anything to do: a whole handshake. */
    EngineLoop established() throws IOException {
        EngineLoop server = ours(INLINE, INLINE);
        clientHello();
        serverEngine.beginHandshake();
        for (int turn = 0; turn < 20 && (toServer.pending() > 0 || toClient.pending() > 0); turn++) {
            server.onReadable();
            client.onReadable();
        }
        return server;
    }

    /** The client sends one frame. */
    void send(String text) throws IOException {
        client.send(ByteBuffer.wrap(Frames.frame(text.getBytes(UTF_8))));
    }

    /** The client reads what has arrived; returns everything it has received so far, as text. */
    String received() throws IOException {
        client.onReadable();
        client.onReadable();                          // and the end, if it has come: -1 needs a read of its own
        return received.toString(UTF_8);
    }

    private static void send(EngineLoop end, ByteBuffer bytes) {
        try {
            end.send(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Pitfall 5's scene, on a new established pair: the server (ours) answers "hi"; if there will
     * be a cut, one more frame too; it closes, with close_notify or without; a cut drops every byte
     * after the first answer. Returns what the client received, and how it saw the end.
     */
    static String endSeenByClient(boolean closeNotify, boolean cut) throws IOException {
        TlsPair pair = TlsPair.withTestCertificate();
        EngineLoop server = pair.established();
        pair.send("hi");
        server.onReadable();
        int before = pair.toClient.pending();
        if (cut) pair.send("more");                             // its reply will be lost on the way
        server.onReadable();
        if (closeNotify) server.close();
        else NaiveEngines.close(pair.toClient);
        if (cut) pair.toClient.cut(pair.toClient.pending() - before);   // everything after the first reply
        String text = pair.received();
        return text + (pair.client.peerClosed ? " ended by close_notify" : pair.client.truncated ? " cut" : " open");
    }

    /** A step a test hands to another thread (the loop's); what it throws fails the future. */
    interface Step {
        void run() throws Exception;
    }

    static Runnable task(Step step) {
        return () -> {
            try {
                step.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
