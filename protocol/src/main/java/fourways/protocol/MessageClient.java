package fourways.protocol;

import java.io.ByteArrayOutputStream;
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
        Reply reply = new Reply();
        ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
        while (reply.payload == null) {
            buffer.clear();
            int n;
            try {
                n = link.receive(buffer);
            } catch (IOException reset) {
                n = -1;                                // a reset ends the reply as a close does
            }
            if (n < 0) {
                closeLink();                           // the next message needs a new connection
                if (reply.raw.size() == 0) {
                    return false;                      // the server was gone before we spoke
                }
                print(reply.raw.toByteArray());        // rule 16: the close ended this reply
                return true;
            }
            reply.accept(buffer.flip());
        }
        print(reply.payload);
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

    /** One reply: its payload once {@code <EOF>} has come, and every raw byte in case it never does. */
    private static final class Reply implements FrameDecoder.Handler {
        final FrameDecoder decoder = new FrameDecoder(MAX_REPLY);
        final ByteArrayOutputStream raw = new ByteArrayOutputStream();
        byte[] payload;

        void accept(ByteBuffer in) throws IOException {
            raw.write(in.array(), in.arrayOffset() + in.position(), in.remaining());
            try {
                decoder.decode(in, this);
            } catch (FrameDecoder.FrameTooLongException e) {
                throw new IOException("reply longer than " + MAX_REPLY + " bytes", e);
            }
        }

        @Override
        public void onFrame(ByteBuffer p) {
            if (payload != null) return;               // one message, one reply: later frames are not ours
            payload = new byte[p.remaining()];
            p.get(payload);
        }
    }
}
