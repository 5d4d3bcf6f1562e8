package fourways.testsuite;

import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import fourways.protocol.TlsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deliberately wrong echo server: every reply has one payload byte changed. A load client
 * that does not check replies byte for byte would report success against it (rule 18).
 */
public final class WrongServer implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();

    private final TlsServer tls;

    public WrongServer() throws IOException {
        this(null);
    }

    /** Over TLS when {@code tls} is not null, so that the lie comes through a TLS client's checks. */
    public WrongServer(TlsServer tls) throws IOException {
        this.tls = tls;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.add(Thread.ofPlatform().name("wrong-accept").start(this::accept));
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void accept() {
        try {
            while (true) {
                Socket plain = listener.accept();
                Socket s = tls == null ? plain : tls.wrap(plain);
                sockets.add(plain);                     // the TCP socket: closing it never waits on TLS
                threads.add(Thread.ofPlatform().name("wrong-conn").start(() -> serve(s)));
            }
        } catch (IOException closed) {
            // close() closed the listener
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            FrameDecoder decoder = new FrameDecoder(1 << 20);
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                decoder.decode(ByteBuffer.wrap(buffer, 0, n), payload -> {
                    ByteBuffer reply = Frames.echoReply(payload);
                    int last = reply.limit() - Frames.DELIMITER.length - 1;
                    if (last >= Frames.ECHO_PREFIX.length) reply.put(last, (byte) (reply.get(last) ^ 1));   // the lie
                    try {
                        out.write(reply.array(), 0, reply.limit());
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                out.flush();
            }
        } catch (IOException | RuntimeException | FrameDecoder.FrameTooLongException e) {
            // the client went away: this connection ends
        }
    }

    @Override
    public void close() throws Exception {
        listener.close();
        for (Socket s : sockets) s.close();
        for (Thread t : threads) t.join();
    }
}
