package fourways.protocol;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Everything a server of any model is started with (rule 20's options). Immutable; the
 * {@code with...} methods return a changed copy, so tests and benchmarks read as sentences:
 * {@code ServerConfig.defaults().withPort(0).withService(Service.CHAT)}.
 *
 * @param threads the model's own thread setting (nio-selector's reactors, nio2-async's group
 *     threads); 0 means the model's default, and models without one ignore it
 * @param sinkOutput where sink writes its lines (rule 8): standard output, or a test's buffer
 * @param tls the server's TLS (rule 21), or null for plain TCP
 */
public record ServerConfig(
        String host,
        int port,
        Service service,
        boolean oneShot,
        int maxFrame,
        int maxBacklog,
        Duration idleTimeout,
        int threads,
        OutputStream sinkOutput,
        TlsServer tls) {

    public enum Service { ECHO, SINK, CHAT }

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 11_000;
    public static final int DEFAULT_MAX_BACKLOG = 1 << 20;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The largest {@code --max-frame}: its echo reply (15 + 1 GiB + 5 bytes) and the decoder's
     * {@code maxFrame + 4} must still fit one array, whose size is an int.
     */
    public static final int MAX_FRAME_LIMIT = 1 << 30;
    /** The longest idle timeout: a year, far inside what nanoTime arithmetic holds (292 years). */
    public static final Duration MAX_IDLE_TIMEOUT = Duration.ofDays(365);
    /** The most reactors or group threads: each is a thread, and a reactor a selector too. */
    public static final int MAX_THREADS = 1_024;

    /** Standard output as raw bytes: sink lines are UTF-8 whatever the locale (rule 8). */
    public static final OutputStream STDOUT = new FileOutputStream(FileDescriptor.out);

    public ServerConfig {
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("port " + port);
        if (maxFrame < 0 || maxFrame > MAX_FRAME_LIMIT) throw new IllegalArgumentException("maxFrame " + maxFrame);
        if (maxBacklog < 1) throw new IllegalArgumentException("maxBacklog " + maxBacklog);
        if (idleTimeout.isNegative() || idleTimeout.compareTo(MAX_IDLE_TIMEOUT) > 0) throw new IllegalArgumentException("idleTimeout " + idleTimeout);
        if (threads < 0 || threads > MAX_THREADS) throw new IllegalArgumentException("threads " + threads);
        if (oneShot && service != Service.ECHO) throw new IllegalArgumentException("oneShot needs ECHO");
    }

    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, Service.ECHO, false, Frames.DEFAULT_MAX_FRAME,
                DEFAULT_MAX_BACKLOG, DEFAULT_IDLE_TIMEOUT, 0, STDOUT, null);
    }

    /** Rule 13: zero turns the idle timeout off. */
    public boolean idleTimeoutEnabled() {
        return !idleTimeout.isZero();
    }

    /** Rule 21: whether connections speak TLS. */
    public boolean tlsEnabled() {
        return tls != null;
    }

    /**
     * For a model that has no TLS server yet: refuses a config that asks for one, rather than
     * serve plain TCP to clients that expect TLS.
     */
    public void requirePlain(String model) {
        if (tls != null) throw new UnsupportedOperationException(model + " has no TLS server yet");
    }

    public ServerConfig withHost(String h) {
        return new ServerConfig(h, port, service, oneShot, maxFrame, maxBacklog, idleTimeout, threads, sinkOutput, tls);
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(host, p, service, oneShot, maxFrame, maxBacklog, idleTimeout, threads, sinkOutput, tls);
    }

    public ServerConfig withService(Service s) {
        return new ServerConfig(host, port, s, oneShot, maxFrame, maxBacklog, idleTimeout, threads, sinkOutput, tls);
    }

    public ServerConfig withOneShot(boolean o) {
        return new ServerConfig(host, port, service, o, maxFrame, maxBacklog, idleTimeout, threads, sinkOutput, tls);
    }

    public ServerConfig withMaxFrame(int m) {
        return new ServerConfig(host, port, service, oneShot, m, maxBacklog, idleTimeout, threads, sinkOutput, tls);
    }

    public ServerConfig withMaxBacklog(int b) {
        return new ServerConfig(host, port, service, oneShot, maxFrame, b, idleTimeout, threads, sinkOutput, tls);
    }

    public ServerConfig withIdleTimeout(Duration d) {
        return new ServerConfig(host, port, service, oneShot, maxFrame, maxBacklog, d, threads, sinkOutput, tls);
    }

    public ServerConfig withThreads(int t) {
        return new ServerConfig(host, port, service, oneShot, maxFrame, maxBacklog, idleTimeout, t, sinkOutput, tls);
    }

    public ServerConfig withSinkOutput(OutputStream o) {
        return new ServerConfig(host, port, service, oneShot, maxFrame, maxBacklog, idleTimeout, threads, o, tls);
    }

    public ServerConfig withTls(TlsServer t) {
        return new ServerConfig(host, port, service, oneShot, maxFrame, maxBacklog, idleTimeout, threads, sinkOutput, t);
    }
}
