package fourways.blocking;

import java.util.concurrent.ThreadFactory;

/**
 * What a thread-per-connection server is made of, besides its code: the threads that run it and
 * the buffers each connection may grow to while it is busy. blocking-io picks platform threads;
 * the virtual-threads module runs every line of this package with virtual threads instead, and
 * smaller buffers. Neither is held while a connection waits: once a thread costs a few kilobytes
 * the buffers would be what a connection costs, so a waiting thread holds a floor of a few
 * hundred bytes (protocol's {@code ElasticBuffer}), and only a burst gets more.
 *
 * @param name prefix of the server's own thread names ({@code blocking-accept})
 * @param threads makes every thread the server and its connections start
 * @param readBuffer the most bytes one read takes, during a burst only
 * @param writeBuffer the most bytes of replies gathered before a write (rule 11's backlog),
 *     during a burst only
 */
// tag::record[]
public record ThreadPerConnection(String name, ThreadFactory threads, int readBuffer, int writeBuffer) {

    public ThreadPerConnection {
        if (readBuffer < 1 || writeBuffer < 1) throw new IllegalArgumentException("buffer < 1 byte");
    }

    /** Starts one of the server's own threads (the accept loop, the idle sweeper), named by its role. */
    Thread start(String role, boolean daemon, Runnable task) {
        Thread t = threads.newThread(task);
        t.setName(name + "-" + role);
        if (daemon) t.setDaemon(true);                // a virtual thread is always one; a platform one may be
        t.start();
        return t;
    }
}
// end::record[]
