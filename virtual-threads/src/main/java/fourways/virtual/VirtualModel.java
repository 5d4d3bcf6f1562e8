package fourways.virtual;

import fourways.blocking.BlockingClient;
import fourways.blocking.BlockingServer;
import fourways.blocking.ThreadPerConnection;
import fourways.protocol.Link;
import fourways.protocol.LoadRun;
import fourways.protocol.Model;
import fourways.protocol.Server;
import fourways.protocol.ServerConfig;
import fourways.protocol.TlsClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * Model 3 behind the seam: blocking-io's code, every line of it, on a virtual thread per
 * connection; a connection costs its buffers and a virtual thread (about 3 KB of heap while it
 * waits in {@code read()}), and the operating system sees a few carrier threads however many
 * connect.
 *
 * <p>You keep writing plain blocking code: {@code read()} blocks, {@code write()} blocks, and
 * the JDK, not the code, turns each block into a park that gives the carrier thread back to
 * the scheduler, with an epoll registration behind it. So this module is only what changes:
 *
 * <ul>
 *   <li><b>A virtual thread per task, never a pool of them.</b> A pool rations something
 *       expensive; a virtual thread is not, and a pool of them would only bring back the queue
 *       in front of it. {@code Thread.ofVirtual().factory()} is what
 *       {@code Executors.newVirtualThreadPerTaskExecutor()} is made of; blocking-io's code
 *       starts and joins its own {@code Thread}s, so it takes the factory. Every thread the
 *       server starts comes from it: the accept loop, the idle sweeper, each connection, each
 *       chat writer. What still needs rationing is rationed by what it is, as before: the
 *       backlog limit per connection (rule 10), the listen backlog, the open files.
 *   <li><b>Small buffers, and only while busy.</b> With a thread at a megabyte of stack,
 *       blocking-io's 32 KiB of buffers per connection cost little; with a thread at 3 KB, the
 *       buffers are the connection. Ten thousand connections would hold 320 MB of them, most of
 *       the heap; 8 KiB each way, held for good, still 160 MB. So a read waits on a floor of
 *       128 bytes and a reply buffer is 256 (protocol's {@code ElasticBuffer}, the Loom C5M
 *       experiment's 16-byte reads in spirit): a burst that fills the floor is read on into a
 *       buffer of what is waiting, up to 8 KiB each way, given back when the burst ends.
 *       Replies still gather into one write per burst, and rule 11's backpressure still comes
 *       from the blocked write, at most 8 KiB from the socket.
 *   <li><b>Locks that park.</b> See {@code package-info.java}: on Java 21 a virtual thread
 *       blocked inside {@code synchronized} holds its carrier. The one lock in the path that
 *       guarded blocking I/O with a monitor, the sink's, is now a {@code ReentrantLock}.
 *   <li><b>A slow chat reader</b> is handled as in blocking-io, and that design is now the
 *       natural one instead of a compromise: each chat connection has a second thread, its
 *       {@code ChatWriter}, the only one that blocks on that reader's socket, behind a queue
 *       bounded by the backlog limit; a reader that falls further behind is dropped (rule 12).
 *       With platform threads that second thread doubled a chat room's threads; here it costs
 *       another 3 KB, parked in {@code write()} for as long as the reader stalls, and the
 *       sender's thread never waits for it. A thread per delivery would be cheap too, but
 *       would lose rule 9's order; a thread per receiver keeps it.
 * </ul>
 *
 * <p>Over TLS (rules 21 to 26) it is blocking-io's code again: an {@code SSLSocket} layered
 * on each socket, its handshake on the connection's own virtual thread. The JDK's TLS guards
 * its records with {@code ReentrantLock}s, not monitors, so a virtual thread blocked in a TLS
 * read or write parks and gives its carrier back, as it does on a plain socket.
 *
 * <p>The load client is blocking-io's too: two virtual threads per connection, one sending and
 * one receiving, so {@code --connections 10000} is twenty thousand threads that all connect
 * at once, where blocking-io's own client would need twenty thousand platform threads. The
 * connect storm lands on the server's listen backlog (4,096): a server that accepts faster
 * than the storm fills it, as this one's virtual accept loop does, drops no SYN; one that
 * falls behind drops them, and those connects wait for the kernel's SYN retransmits (1 s,
 * then 3 s, then 7 s), within the run's --timeout.
 */
public final class VirtualModel implements Model {
    /** The most the server's buffers grow to during a burst, each way; see above. */
    // tag::threads[]
    static final int BUFFER = 8 * 1024;

    private final ThreadFactory serverThreads;
    private final ThreadFactory clientThreads;

    public VirtualModel() {
        this(Thread.ofVirtual().name("virtual-", 0).factory(),
                Thread.ofVirtual().name("virtual-load-", 0).factory());
    }
    // end::threads[]

    /** For tests, which count and join every thread the model starts. */
    VirtualModel(ThreadFactory serverThreads, ThreadFactory clientThreads) {
        this.serverThreads = serverThreads;
        this.clientThreads = clientThreads;
    }

    @Override
    public String name() {
        return "virtual-threads";
    }

    @Override
    // tag::start[]
    public Server start(ServerConfig config) throws IOException {
        return new BlockingServer(config, new ThreadPerConnection("virtual", serverThreads, BUFFER, BUFFER));
    }
    // end::start[]

    /** Rule 16: one blocking socket, as in blocking-io; message mode runs on the main thread. */
    @Override
    public Link connect(InetSocketAddress server) throws IOException {
        return connect(server, null);
    }

    /** Rule 23: blocking-io's SSLSocket, as it is; its blocking calls park a virtual thread like a socket's. */
    @Override
    // tag::tls-connect[]
    public Link connect(InetSocketAddress server, TlsClient tls) throws IOException {
        return BlockingClient.connect(server, tls);
    }
    // end::tls-connect[]

    @Override
    public void load(InetSocketAddress server, LoadRun run) throws InterruptedException {
        load(server, run, null);
    }

    @Override
    public void load(InetSocketAddress server, LoadRun run, TlsClient tls) throws InterruptedException {
        new BlockingClient(clientThreads).load(server, run, tls);
    }
}
