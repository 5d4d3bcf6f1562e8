package fourways.async;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLEngineResult.Status;
import javax.net.ssl.SSLException;

/**
 * The receiving half of an {@link AsyncTls}: records read into one buffer, unwrapped into
 * another, handed out as plaintext. It costs a connection two buffers that start small (4 KiB)
 * and grow, once, when a record needs more; a copy of every byte out of the second.
 *
 * <p>Threads: one read at a time, the handshake's or the reader's; each completion follows the
 * read that began it, so the buffers need no lock.
 */
final class AsyncTlsInput {
    /** Enough for small frames; a whole 16 KiB record makes a buffer grow, once. */
    private static final int FIRST_BUFFER = 4 * 1024;

    private final AsynchronousSocketChannel channel;
    private final SSLEngine engine;
    /** Records read, not yet unwrapped; ready for the next channel read (write mode). */
    private ByteBuffer netIn = ByteBuffer.allocate(FIRST_BUFFER);
    /** Plaintext unwrapped, not yet handed out (read mode). */
    private ByteBuffer appIn = ByteBuffer.allocate(FIRST_BUFFER).flip();

    AsyncTlsInput(AsynchronousSocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
    }

    boolean hasPlaintext() {
        return appIn.hasRemaining();
    }

    /** As much plaintext as {@code dst} takes; the rest waits for the next read. */
    int deliver(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), appIn.remaining());
        dst.put(dst.position(), appIn, appIn.position(), n).position(dst.position() + n);
        appIn.position(appIn.position() + n);
        return n;
    }

    /**
     * Every whole record netIn holds, while appIn has room: several records of one read (a frame
     * sent a byte per record, data sent with the last handshake message) make one delivery.
     * NEED_WRAP here (a KeyUpdate to answer) stops it too: the answer goes out, through the
     * writer, before another record is unwrapped (rule 24), so a flood of them holds at most one.
     */
    // tag::tls-unwrap-all[]
    SSLEngineResult unwrapAll() throws SSLException {
        SSLEngineResult r;
        do {
            r = unwrap();
        } while (r.getStatus() == Status.OK && r.bytesConsumed() > 0 && r.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING);
        return r;
    }

    /** One record from netIn into appIn; both are left in their resting modes. */
    SSLEngineResult unwrap() throws SSLException {
        netIn.flip();
        appIn.compact();
        try {
            return engine.unwrap(netIn, appIn);
        } finally {
            netIn.compact();                          // a partial record stays, at the front
            appIn.flip();
        }
    }
    // end::tls-unwrap-all[]

    // tag::tls-room[]
    /** BUFFER_OVERFLOW: room for what appIn holds and a whole record more. Never an error. */
    void makeRoom() {
        int size = appIn.remaining() + engine.getSession().getApplicationBufferSize();
        appIn = ByteBuffer.allocate(size).put(appIn).flip();
    }

    /**
     * BUFFER_UNDERFLOW: BeginReceive of more records, behind the bytes held (half a record is
     * kept, never dropped); netIn grows first if a record fills it whole.
     */
    void fill(Consumer<Integer> then, Consumer<Throwable> failed) {
        if (!netIn.hasRemaining()) {
            int size = Math.max(engine.getSession().getPacketBufferSize(), 2 * netIn.capacity());
            netIn = ByteBuffer.allocate(size).put(netIn.flip());
        }
        channel.read(netIn, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void v) {
                then.accept(n);                       // -1: the peer's FIN
            }

            @Override
            public void failed(Throwable e, Void v) {
                failed.accept(e);                     // a reset, or our own close (the idle timeout)
            }
        });
    }
    // end::tls-room[]
}
