package fourways.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * An echo server and a network in memory, for load-mode tests: it takes the frames each
 * {@link LoadConnection} writes, answers them as rule 5 says, and feeds the replies back in
 * reads of 3 bytes, so that replies arrive split, as TCP may split them.
 */
final class InMemoryEcho {
    private static final int READ = 3;

    private InMemoryEcho() {}

    /** Runs a closed-loop run to its end, every reply correct. */
    static void drive(LoadRun run) throws Exception {
        drive(run, -1, -1);
    }

    /**
     * Runs a closed-loop run to its end, with one byte flipped: byte {@code byteIndex} of the
     * replies to connection {@code badConnection} (-1: none).
     */
    static void drive(LoadRun run, int badConnection, long byteIndex) throws Exception {
        int count = run.plan().connections();
        LoadConnection[] clients = new LoadConnection[count];
        FrameDecoder[] servers = new FrameDecoder[count];
        long[] replyBytesSent = new long[count];
        for (int id = 0; id < count; id++) {
            clients[id] = run.connection(id);
            servers[id] = new FrameDecoder(run.plan().size());
        }
        run.allConnected();
        ByteBuffer wire = ByteBuffer.allocate(64 * 1024);
        for (int round = 0; !run.allFinished(); round++) {
            if (round > 1_000_000) throw new AssertionError("the run did not finish");
            for (int id = 0; id < count; id++) {
                if (clients[id].done()) continue;
                wire.clear();
                clients[id].writeFrames(wire, System.nanoTime());
                ByteArrayOutputStream replies = new ByteArrayOutputStream();
                servers[id].decode(wire.flip(), p -> replies.writeBytes(TestBytes.remaining(Frames.echoReply(p))));
                byte[] r = replies.toByteArray();
                if (id == badConnection && byteIndex >= replyBytesSent[id] && byteIndex < replyBytesSent[id] + r.length) {
                    r[(int) (byteIndex - replyBytesSent[id])] ^= 1;
                }
                replyBytesSent[id] += r.length;
                for (int from = 0; from < r.length; from += READ) {
                    clients[id].onBytes(ByteBuffer.wrap(r, from, Math.min(READ, r.length - from)));
                }
            }
        }
    }
}
