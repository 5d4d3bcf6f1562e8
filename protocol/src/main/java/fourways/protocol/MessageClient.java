package fourways.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLHandshakeException;

/**
 * Message mode (rule 16), the same in every model: the module supplies only the {@link Link}.
 * It reproduces the seed's C# client, which expects a server that may answer once and close.
 */
public final class MessageClient {
    private static final int RECEIVE_BUFFER = 8192;
    /** The client trusts its server more than a server trusts its clients, but not without end. */
    private static final int MAX_REPLY = 64 << 20;

    /** Rule 16: how long a reply may take before the message counts as unanswered. */
    public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

    /** How one exchange ended; only the first two may be retried (rule 16). */
    private enum Outcome {
        /** The frame could not be written: the server never saw the whole of it. */
        UNSENT,
        /** Written, and the server closed before one reply byte came. */
        CLOSED_SILENTLY,
        /** Written, and no reply came within {@link #REPLY_TIMEOUT}. */
        TIMED_OUT,
        ANSWERED
    }

    private final Model model;
    private final InetSocketAddress server;
    private final PrintStream out;
    private final Duration replyTimeout;
    private final TlsClient tls;
    private Link link;

    public MessageClient(Model model, InetSocketAddress server, PrintStream out) {
        this(model, server, null, out);
    }

    /** Over TLS (rule 23), or plain TCP when {@code tls} is null. */
    public MessageClient(Model model, InetSocketAddress server, TlsClient tls, PrintStream out) {
        this(model, server, tls, out, REPLY_TIMEOUT);
    }

    MessageClient(Model model, InetSocketAddress server, PrintStream out, Duration replyTimeout) {
        this(model, server, null, out, replyTimeout);
    }

    private MessageClient(Model model, InetSocketAddress server, TlsClient tls, PrintStream out, Duration replyTimeout) {
        this.model = model;
        this.server = server;
        this.out = out;
        this.replyTimeout = replyTimeout;
        this.tls = tls;
    }

    /** Sends each message and prints each reply; returns how many got no reply. */
    public int run(List<String> messages) throws IOException {
        int unanswered = 0;
        // One daemon thread, for the reply deadline: it closes the link, which ends the wait.
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("message-reply-deadline").daemon().unstarted(r));
        try {
            for (String message : messages) {
                byte[] frame = Frames.frame(message.getBytes(StandardCharsets.UTF_8));
                boolean reused = link != null;
                Outcome outcome = exchange(frame, timer);
                // Rule 16: sent once more only when the server cannot have taken it: the frame was
                // not written, or it went over a connection kept from an earlier message that the
                // server had closed before it came. On a fresh connection, a close without a reply
                // may follow a frame the server did take (a sink line printed, a chat message
                // delivered): sending it again would do that twice.
                if (outcome == Outcome.UNSENT || (reused && outcome == Outcome.CLOSED_SILENTLY)) {
                    outcome = exchange(frame, timer);
                }
                if (outcome != Outcome.ANSWERED) {
                    unanswered++;
                }
            }
        } finally {
            timer.shutdownNow();
            closeLink();
        }
        return unanswered;
    }

    /** One send and its reply. */
    private Outcome exchange(byte[] frame, ScheduledExecutorService timer) throws IOException {
        if (link == null) {
            try {
                link = model.connect(server, tls);
            } catch (SocketTimeoutException e) {
                // Rule 23: over TLS, a connect that timed out is a handshake nobody answered,
                // whichever model's words say so: most likely a server without --tls.
                throw tls == null ? e : TlsClient.unanswered(e);
            }
        }
        try {
            link.send(ByteBuffer.wrap(frame));
        } catch (IOException closedUnderUs) {
            closeLink();                               // a reset or broken pipe: the server had closed
            return Outcome.UNSENT;
        }
        Link waiting = link;
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> deadline = timer.schedule(() -> {
            late.set(true);
            Closing.quietly(waiting);                  // ends the receive below, in every model
        }, replyTimeout.toNanos(), TimeUnit.NANOSECONDS);
        try {
            Outcome outcome = receive();
            return late.get() && outcome == Outcome.CLOSED_SILENTLY ? Outcome.TIMED_OUT : outcome;
        } finally {
            // Should the deadline fire anyway, between the reply and this line, it closes a
            // link that had answered: the next message then finds it UNSENT, and goes anew.
            deadline.cancel(false);
        }
    }

    private Outcome receive() throws IOException {
        Reply reply = new Reply();
        ByteBuffer buffer = ByteBuffer.allocate(RECEIVE_BUFFER);
        while (reply.payload == null) {
            buffer.clear();
            int n;
            try {
                n = link.receive(buffer);
            } catch (SSLHandshakeException refused) {
                // Rule 26: over TLS 1.3 a server's refusal (no client certificate, rule 22) comes
                // after the client's side of the handshake, at this first read. It is no reply,
                // nor a close to retry after: it ends the run with the server's reason.
                closeLink();
                throw new IOException("TLS handshake failed: " + refused.getMessage(), refused);
            } catch (IOException reset) {
                n = -1;                                // a reset ends the reply as a close does
            }
            if (n < 0) {
                closeLink();                           // the next message needs a new connection
                if (reply.raw.size() == 0) {
                    return Outcome.CLOSED_SILENTLY;
                }
                byte[] raw = reply.raw.toByteArray();
                if (tls == null && isTlsAlert(raw)) {
                    // Rule 26: a TLS server's answer to a plain client is an alert record, then the
                    // close. Printed, it would look like a reply of five strange bytes.
                    throw new IOException("the server answered with a TLS alert: it speaks TLS (rule 21);"
                            + " connect with --tls --trust FILE");
                }
                print(raw);                            // rule 16: the close ended this reply
                return Outcome.ANSWERED;
            }
            reply.accept(buffer.flip());
        }
        print(reply.payload);
        return Outcome.ANSWERED;
    }

    /** An alert record (type 21, version 3.x, two bytes of alert) and nothing else. */
    private static boolean isTlsAlert(byte[] raw) {
        return raw.length == 7 && raw[0] == 0x15 && raw[1] == 0x03 && raw[3] == 0x00 && raw[4] == 0x02;
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
