package fourways.protocol;

import java.time.Duration;

/**
 * What a load run does (rules 17 and 19).
 *
 * @param connections how many connections, all open at once
 * @param messages frames each connection sends
 * @param size payload bytes per frame
 * @param pipeline at most this many frames waiting for their reply, per connection
 * @param rate frames per second per connection on a fixed schedule (open loop); 0 for a closed loop
 * @param timeout the whole run's limit; what has not arrived by then counts as errors
 */
public record LoadPlan(int connections, int messages, int size, int pipeline, double rate, Duration timeout) {

    public static final int DEFAULT_SIZE = 64;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
    /** Rule 17: below this a payload cannot carry its message and connection numbers. */
    public static final int MIN_SIZE = Payloads.HEAD;
    /** Rule 17: the numbers a payload can spell, 62^3 connections and 62^5 messages. */
    public static final int MAX_CONNECTIONS = Payloads.CONNECTIONS, MAX_MESSAGES = Payloads.MESSAGES;
    /** Each frame in flight keeps a start time: more than this is memory, not pipelining. */
    public static final int MAX_PIPELINE = 1 << 16;
    /** The longest run: a year, far inside what nanoTime arithmetic holds. */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(365);

    public LoadPlan {
        if (connections < 1) throw new IllegalArgumentException("connections < 1");
        if (messages < 1) throw new IllegalArgumentException("messages < 1");
        if (size < 0) throw new IllegalArgumentException("size < 0");
        if (pipeline < 1) throw new IllegalArgumentException("pipeline < 1");
        if (rate < 0 || Double.isNaN(rate)) throw new IllegalArgumentException("rate < 0");
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout <= 0");
    }

    /** Closed loop, ping-pong, 64-byte payloads. */
    public static LoadPlan of(int connections, int messages) {
        return new LoadPlan(connections, messages, DEFAULT_SIZE, 1, 0, DEFAULT_TIMEOUT);
    }

    public LoadPlan withMessages(int m) {
        return new LoadPlan(connections, m, size, pipeline, rate, timeout);
    }

    public LoadPlan withSize(int s) {
        return new LoadPlan(connections, messages, s, pipeline, rate, timeout);
    }

    public LoadPlan withPipeline(int k) {
        return new LoadPlan(connections, messages, size, k, rate, timeout);
    }

    public LoadPlan withRate(double r) {
        return new LoadPlan(connections, messages, size, pipeline, r, timeout);
    }

    public LoadPlan withTimeout(Duration t) {
        return new LoadPlan(connections, messages, size, pipeline, rate, t);
    }

    public boolean openLoop() {
        return rate > 0;
    }

    /** Bytes of one frame on the wire. */
    public int frameBytes() {
        return size + Frames.DELIMITER.length;
    }

    /** Bytes of one echo reply on the wire. */
    public int replyBytes() {
        return Frames.ECHO_PREFIX.length + size + Frames.DELIMITER.length;
    }
}
