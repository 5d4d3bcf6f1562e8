package fourways.protocol;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Message mode (rule 16), the same in every model: the module supplies only the {@link Link}.
 * It reproduces the seed's C# client, which expects a server that may answer once and close.
 */
public final class MessageClient {
    private static final int RECEIVE_BUFFER = 8192;
    /** The client trusts its server more than a server trusts its clients, but not without end. */
    private static final int MAX_REPLY = 64 << 20;

    private final Model model;
    private final InetSocketAddress server;
    private final PrintStream out;
    private Link link;

    public MessageClient(Model model, InetSocketAddress server, PrintStream out) {
        this.model = model;
        this.server = server;
        this.out = out;
    }

    /** Sends each message and prints each reply; returns how many got no reply. */
    public int run(List<String> messages) throws IOException {
        int unanswered = 0;
        try {
            for (String message : messages) {
                byte[] frame = Frames.frame(message.getBytes(StandardCharsets.UTF_8));
                // Rule 16: a message that found the server already gone goes once more, anew.
                if (!exchange(frame) && !exchange(frame)) {
                    unanswered++;
                }
            }
        } finally {
            closeLink();
        }
        return unanswered;
    }

    /** One send and its reply; false when not one reply byte came because the server had closed. */
    private boolean exchange(byte[] frame) throws IOException {
        if (link == null) {
            link = model.connect(server);
        }
        try {
            link.send(ByteBuffer.wrap(frame));
        } catch (IOException closedUnderUs) {
            closeLink();                               // a reset or broken pipe: the server had closed
            return false;
        }
        ReplyReader reply = new ReplyReader();
        ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
        while (!reply.done) {
            buffer.clear();
            int n;
            try {
                n = link.receive(buffer);
            } catch (IOException reset) {
                n = -1;                                // a reset ends the reply as a close does
            }
            if (n < 0) {
                closeLink();                           // the next message needs a new connection
                if (reply.bytes.size() == 0) {
                    return false;
                }
                print(reply.bytes.toByteArray());      // rule 16: the close ended this reply
                return true;
            }
            buffer.flip();
            reply.accept(buffer);
        }
        return true;
    }

    private void print(byte[] payload) {
        out.write(payload, 0, payload.length);        // byte-exact, as the server sent it
        out.println();
        out.flush();
    }

    private void closeLink() throws IOException {
        if (link != null) {
            Link l = link;
            link = null;
            l.close();
        }
    }

    /** Collects one reply: the bytes up to its {@code <EOF>}. */
    private final class ReplyReader implements FrameDecoder.Handler {
        final FrameDecoder decoder = new FrameDecoder(MAX_REPLY);
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        boolean done;

        void accept(ByteBuffer in) throws IOException {
            int start = in.position();
            ByteBuffer raw = in.duplicate();
            try {
                decoder.decode(in, this);
            } catch (FrameDecoder.FrameTooLongException e) {
                throw new IOException("reply longer than " + MAX_REPLY + " bytes", e);
            }
            if (!done) {
                // Keep the raw bytes too: should the server close mid-reply, they are the reply.
                byte[] chunk = new byte[raw.limit() - start];
                raw.get(start, chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onFrame(ByteBuffer payload) {
            if (done) return;                          // one message, one reply: extra frames are not ours
            done = true;
            byte[] p = new byte[payload.remaining()];
            payload.get(p);
            print(p);
        }
    }
}
