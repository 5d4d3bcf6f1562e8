package fourways.tutorials;

import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The SSLEngine code most public examples show, on purpose, so that {@link TlsPitfallsTest} can
 * prove each of its five mistakes wrong beside {@link EngineLoop}, which gets them right.
 * Nothing outside the tests uses this class: it is a lesson in what not to do, and chapter 10
 * quotes it. It reads and writes an in-memory {@link Wire} where the examples use a
 * non-blocking {@code SocketChannel}; the calls are the same.
 */
final class NaiveEngines {
    private NaiveEngines() {}

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    // tag::handshake[]
    /**
     * The handshake as the examples write it: loop until the engine says it is done. Returns
     * how many turns it took; {@code budget} bounds them, for the test (the examples have none).
     */
    static int handshake(SSLEngine engine, Wire in, Wire out, int budget) throws IOException {
        // Pitfall 4: buffers of this method's own; what it reads past the handshake dies with them.
        ByteBuffer netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        ByteBuffer netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        int turns = 0;
        HandshakeStatus hs = engine.getHandshakeStatus();
        while (hs != HandshakeStatus.FINISHED && hs != HandshakeStatus.NOT_HANDSHAKING && turns < budget) {
            turns++;
            switch (hs) {
                case NEED_WRAP -> {
                    engine.wrap(EMPTY, netOut);
                    out.write(netOut.flip());
                    netOut.clear();
                }
                case NEED_UNWRAP -> {
                    in.read(netIn);                         // non-blocking: maybe nothing yet...
                    netIn.flip();
                    engine.unwrap(netIn, app);              // pitfall 1: ...unwrap anyway, and go round again
                    netIn.compact();
                }
                case NEED_TASK -> engine.getDelegatedTask().run();  // pitfall 2: on the event loop's thread
                default -> { }
            }
            hs = engine.getHandshakeStatus();
        }
        return turns;
    }
    // end::handshake[]

    // tag::underflow[]
    /** A read of application data: one read, one unwrap, and anything but OK is an error. */
    static ByteBuffer read(SSLEngine engine, Wire in, ByteBuffer netIn) throws IOException {
        in.read(netIn);
        netIn.flip();
        ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        SSLEngineResult r = engine.unwrap(netIn, app);
        netIn.compact();
        if (r.getStatus() != SSLEngineResult.Status.OK) {
            throw new SSLException("bad TLS record: " + r.getStatus());   // pitfall 3: BUFFER_UNDERFLOW is no error
        }
        return app.flip();
    }
    // end::underflow[]

    // tag::close[]
    /** The examples' close: the socket, and nothing for the engine. */
    static void close(Wire out) {
        out.close();                                        // pitfall 5: FIN without close_notify
    }
    // end::close[]
}
