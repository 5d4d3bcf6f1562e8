/**
 * Model 3: blocking-io's code on a virtual thread per connection ({@link fourways.virtual.VirtualModel}).
 *
 * <h2>What pins a carrier thread on Java 21, path by path</h2>
 *
 * <p>A virtual thread that blocks unmounts and gives its carrier (one per core) back, unless it
 * is <em>pinned</em>: on Java 21, while it holds a monitor ({@code synchronized}) or runs a
 * native frame. A pinned thread that blocks blocks its carrier with it, and so does, on 21, a
 * virtual thread waiting to <em>enter</em> a monitor; with two cores, two of them stop every
 * other virtual thread of the process. Java 24 (JEP 491) lets virtual threads block in and on
 * monitors without pinning. The JDK here is 25, which no longer has
 * {@code -Djdk.tracePinnedThreads}, and no JDK 21 could be installed, so this list comes from
 * reading the JDK 21 sources along every path blocking-io's code takes:
 *
 * <ul>
 *   <li>{@code read()}, {@code write()}, {@code accept()}, {@code connect()} on a socket:
 *       {@code NioSocketImpl} (JEP 353, since Java 13) waits under its {@code readLock}
 *       (accept and connect use it too) or its {@code writeLock}, both {@code ReentrantLock}s,
 *       and a virtual thread parks there, registered with the JDK's poller. Its one monitor,
 *       {@code stateLock}, is held for bookkeeping before and after the wait, never across it.
 *       Not pinned.
 *   <li>Replies through {@code BufferedOutputStream}: on 21 an instance of that exact class
 *       locks an internal {@code ReentrantLock}, not its monitor (a subclass would fall back to
 *       {@code synchronized}: do not subclass it here). Not pinned.
 *   <li>Chat: {@code ChatWriter} waits on a {@code ReentrantLock}'s {@code Condition}, written
 *       so for this module; the chat room is a {@code ConcurrentHashMap}, whose bin monitors
 *       are held for a few instructions and never across I/O. Not pinned.
 *   <li>Sink: {@code SinkPrinter} wrote standard output inside {@code synchronized (out)}.
 *       <b>Pinned</b>: the write is a native call, which pins on any version (the JDK adds a
 *       carrier for its duration, {@code Blocker.begin} in {@code FileOutputStream.write}),
 *       but every other sink connection queued on the monitor also held a carrier, with no
 *       compensation. Fixed in {@code protocol/}: a {@code ReentrantLock}.
 *   <li>{@code Thread.join()}: on 21, joining a <em>platform</em> thread waits in
 *       {@code Object.wait()} inside {@code synchronized (thread)}, pinned; joining a virtual
 *       thread parks. Every thread this server starts is virtual (the accept loop and the
 *       sweeper too, which is why blocking-io now takes them from the model's factory), so the
 *       joins in blocking-io (a connection joining its chat writer, {@code close()} joining
 *       the accept loop) never pin.
 *   <li>The idle sweeper sleeps; the load client waits on {@code CountDownLatch},
 *       {@code Semaphore} and {@code LockSupport.parkNanos}, and records latencies in
 *       HdrHistogram's {@code Recorder} without a lock. Not pinned.
 *   <li>{@code Socket.close()} takes monitors, but closing without {@code SO_LINGER} does not
 *       block: it wakes the thread parked on the socket, which cleans up.
 * </ul>
 *
 * <p>On a Java 21 JVM, {@code -Djdk.tracePinnedThreads=full} prints a stack whenever a virtual
 * thread parks while pinned, and JFR's {@code jdk.VirtualThreadPinned} event records it.
 */
package fourways.virtual;
