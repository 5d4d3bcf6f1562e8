package fourways.coursework.e6_fixedpool.starter;

import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Exercise 6's starter: the fifth model's server, a fixed pool of threads for any number of
 * connections; not written yet, so it costs nothing and serves no one.
 *
 * <p>Your task: make {@code ./mvnw -q -pl coursework -am test -Dexercise=e6} pass. It runs the
 * whole shared suite (every rule of PROTOCOL.md) against {@link PoolModel}, and one test more:
 * fifty clients connected at once, all served. The thread budget: the workers, plus at most
 * three threads of the server's own (a selector, a timer, one to spare), however many clients.
 * {@code config.threads()} is the pool's size ({@code --workers}); 0 means your default.
 *
 * <p>In five steps, each its own run, {@code -Dmilestone=1} to {@code 5} (each runs the checks of
 * the steps before it too): 1, echo and framing; 2, half-close and backpressure; 3, idle; 4, chat;
 * 5, lifecycle and thread budget.
 *
 * <p>One design (the reference solution's): non-blocking channels; a selector thread that only
 * accepts and waits, and for each ready key empties its interest set and hands the connection to
 * the pool; a {@link fourways.coursework.e6_fixedpool.SerialExecutor} per connection, so that its
 * reads, writes and chat deliveries run one at a time, in order, on whichever worker is free;
 * {@code fourways.protocol.Services}, {@code Session} and {@code OutboundQueue} for the protocol,
 * as every model uses them; a timer thread for rule 7's linger and rule 13's idle sweep. Read
 * nio-selector's {@code SelectorConnection} first: most of it carries over.
 */
public final class PoolServer implements Server {

    public PoolServer(ServerConfig config) throws IOException {
        throw new UnsupportedOperationException("exercise 6: the fixed-pool server is yours to write");
    }

    @Override
    public InetSocketAddress address() {
        throw new UnsupportedOperationException("exercise 6");
    }

    @Override
    public void close() {
        // Rule 14: stop accepting, close every connection, end every thread, then return.
    }
}
