package fourways.coursework.e5_connectionlimit.starter;

import fourways.coursework.e5_connectionlimit.LimitedServer;

/** Exercise 5's four models, as its checker starts them. */
public final class LimitedServers {
    private LimitedServers() {}

    public static final LimitedServer BLOCKING_IO =
            (config, max) -> new BlockingLimitServer(config, max,
                    Thread.ofPlatform().name("e5-blocking-", 0).factory());
    public static final LimitedServer NIO_SELECTOR = SelectorLimitServer::new;
    public static final LimitedServer NIO2_ASYNC = AsyncLimitServer::new;
    public static final LimitedServer VIRTUAL_THREADS =
            (config, max) -> new BlockingLimitServer(config, max, Thread.ofVirtual().name("e5-virtual-", 0).factory());
}
