package fourways.protocol;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A transport without a socket: it records what the protocol asks of it, so that the services
 * can be tested byte for byte and without threads. Replies and deliveries are read to their
 * end as they come, as a transport that owns them moves their position when it writes them.
 */
final class FakeConnection implements Connection {
    private final InetSocketAddress remote;
    final List<byte[]> replies = new ArrayList<>();
    final List<byte[]> delivered = new ArrayList<>();
    /** Rule 12: while true, deliver refuses, as a transport whose backlog is full. */
    boolean full;
    int aborts;

    FakeConnection(int port) {
        this.remote = new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public InetSocketAddress remote() {
        return remote;
    }

    @Override
    public void reply(ByteBuffer bytes) {
        replies.add(drain(bytes));
    }

    @Override
    public boolean deliver(ByteBuffer frame) {
        if (full) return false;
        delivered.add(drain(frame));
        return true;
    }

    @Override
    public void abort() {
        aborts++;
    }

    /** Everything replied, in order, as the client would read it. */
    String repliedText() {
        return TestBytes.utf8(joined(replies));
    }

    /** Everything delivered, in order, as the client would read it. */
    String deliveredText() {
        return TestBytes.utf8(joined(delivered));
    }

    private static byte[] drain(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] joined(List<byte[]> parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        parts.forEach(all::writeBytes);
        return all.toByteArray();
    }
}
