package fourways.protocol;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The three services of PROTOCOL.md (rules 5, 8, 9), as logic that knows nothing of how bytes
 * are waited for. One instance per server: it holds what connections share (the chat room,
 * the sink's output). Each accepted connection gets a {@link Session} from {@link #open}.
 */
public final class Services {

    /** One service's reaction to frames. Implementations are shared by all connections. */
    interface Service {
        void onFrame(Connection from, ByteBuffer payload);

        default void onClosed(Connection connection) {}
    }

    private final ServerConfig config;
    private final Service service;
    /** Sink's printer, kept to be closed (rule 14); null for the other services. */
    private final SinkPrinter printer;

    public Services(ServerConfig config) {
        this.config = config;
        this.printer = config.service() == ServerConfig.Service.SINK ? new SinkPrinter(config.sinkOutput()) : null;
        this.service = switch (config.service()) {
            case ECHO -> null;                        // one Echo per connection: see open()
            case SINK -> printer::print;
            case CHAT -> new ChatRoom();
        };
    }

    /**
     * Rule 14, first thing in a server's close: sink lines still waiting for a stalled standard
     * output are dropped (and said so on standard error), so no thread waits for them.
     */
    public void close() {
        if (printer != null) printer.close();
    }

    /** A new connection arrived; chat counts it as a member from now on. */
    public Session open(Connection connection) {
        if (service instanceof ChatRoom room) {
            room.join(connection);
        }
        Service s = service != null ? service : new Echo();
        return new Session(connection, s, config.oneShot(), config.maxFrame());
    }

    /**
     * Rule 5: the reply is the payload's own bytes behind the 15-byte prefix, built in a small
     * buffer reused for every frame, since the transport copies a reply before reply() returns:
     * a pipelined echo of small frames then makes no garbage at all (161 bytes a 64-byte frame
     * before, a buffer per reply; measured in B05_Allocation). The buffer is the thread's where a
     * thread serves many connections (a selector loop, an NIO2 group thread), so that a held
     * connection holds none (issue 25); a virtual thread serves one, and a ThreadLocal there would
     * cost as much with a map besides, so there the connection keeps its own, made at its first
     * frame. A long reply gets a buffer of its own rather than growing either.
     */
    // tag::echo[]
    static final class Echo implements Service {
        /** Replies up to this size reuse the buffer: a 64-byte frame's reply is 84 bytes. */
        private static final int REUSED = 256;
        private static final ThreadLocal<ByteBuffer> THREADS = ThreadLocal.withInitial(() -> ByteBuffer.allocate(REUSED));
        private ByteBuffer own;

        @Override
        public void onFrame(Connection from, ByteBuffer payload) {
            int length = Frames.echoReplyLength(payload);
            if (length > REUSED) {
                from.reply(Frames.echoReply(payload));
                return;
            }
            from.reply(Frames.echoReply(payload, scratch()));
        }

        private ByteBuffer scratch() {
            if (!Thread.currentThread().isVirtual()) return THREADS.get();
            if (own == null) own = ByteBuffer.allocate(REUSED);
            return own;
        }
    }
    // end::echo[]

    /** Rule 9: every other member gets the frame; rule 12: one that cannot take it is dropped. */
    static final class ChatRoom implements Service {
        private final Set<Connection> members = ConcurrentHashMap.newKeySet();

        void join(Connection connection) {
            members.add(connection);
        }

        @Override
        // tag::chat-room[]
        public void onFrame(Connection from, ByteBuffer payload) {
            // One copy for all receivers. Each gets its own duplicate, so positions are theirs and
            // the bytes are shared: a transport never writes into a buffer it was given.
            ByteBuffer frame = Frames.frame(payload);
            for (Connection member : members) {
                if (member == from) {
                    continue;                         // rule 9: never back to the sender
                }
                if (!member.deliver(frame.duplicate())) {
                    // Rule 12: this receiver is too far behind. Dropping it costs the sender
                    // nothing, where waiting for it would stall the whole room.
                    members.remove(member);
                    member.abort();
                }
            }
        }
        // end::chat-room[]

        @Override
        public void onClosed(Connection connection) {
            members.remove(connection);
        }
    }
}
