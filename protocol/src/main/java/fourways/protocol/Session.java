package fourways.protocol;

import java.nio.ByteBuffer;

/**
 * The protocol's side of one connection: decoding, the service, and what the transport must
 * do next. A transport feeds it the bytes it reads and obeys the {@link Next} it gets back;
 * it knows nothing of how those bytes were waited for.
 *
 * <p>Owned by the code that reads the connection: one thread (or one loop) at a time.
 */
public final class Session {

    /** What the transport does after a read. */
    public enum Next {
        /** Keep reading (if the backlog allows, rule 11). */
        READ_MORE,
        /** Stop reading; write everything queued, then close. */
        FLUSH_AND_CLOSE,
        /**
         * Stop answering; write everything queued, shut down output, then read and drop input
         * until the client closes or {@link #ONE_SHOT_LINGER_MILLIS} pass, then close (rules 4
         * and 7).
         */
        FLUSH_AND_LINGER
    }

    /** Rules 4 and 7: how long a server lingers for the client to close after its last bytes. */
    public static final long ONE_SHOT_LINGER_MILLIS = 2_000;

    private final Connection connection;
    private final Services.Service service;
    private final boolean oneShot;
    private final FrameDecoder decoder;
    /** Made once: {@code this::onFrame} written in onBytes would be a new object every read. */
    private final FrameDecoder.Handler onFrame = this::onFrame;
    private boolean answeredOnce;

    Session(Connection connection, Services.Service service, boolean oneShot, int maxFrame) {
        this.connection = connection;
        this.service = service;
        this.oneShot = oneShot;
        this.decoder = new FrameDecoder(maxFrame);
    }

    /** Rule 3: any slice of the stream, however it was split. Consumes all of {@code in}. */
    // tag::on-bytes[]
    public Next onBytes(ByteBuffer in) {
        try {
            decoder.decode(in, onFrame);
        } catch (FrameDecoder.FrameTooLongException e) {
            if (oneShot && answeredOnce) {
                // Rule 7: what follows the first frame is discarded, too long or not. An error
                // frame and a close without lingering could reset the client out of its reply.
                return Next.FLUSH_AND_LINGER;
            }
            // Rule 4: the replies owed for earlier frames are already queued, in order. Then
            // linger as rule 7 does: the client may still be sending the too-long frame, and a
            // close with its bytes unread would reset the connection, error frame and all.
            connection.reply(Frames.tooLong());
            return Next.FLUSH_AND_LINGER;
        }
        return answeredOnce && oneShot ? Next.FLUSH_AND_LINGER : Next.READ_MORE;
    }
    // end::on-bytes[]

    private void onFrame(ByteBuffer payload) {
        if (oneShot && answeredOnce) {
            return;                                   // rule 7: bytes after the first frame are discarded
        }
        answeredOnce = true;
        service.onFrame(connection, payload);
    }

    /** The connection is gone, for whatever reason. Idempotent. */
    public void onClosed() {
        service.onClosed(connection);
    }
}
