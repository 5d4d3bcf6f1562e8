package fourways.bench;

import fourways.protocol.FrameDecoder;
import fourways.protocol.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lesson 4: decoding one frame that arrives in many reads, three ways, no sockets involved.
 *
 * <p>Measures: the time to turn one frame of {@code messageSize} payload bytes, delivered in
 * {@code chunkSize} pieces as TCP might deliver it, into its payload:
 * <ul>
 *   <li>{@code frameDecoder}: protocol's {@link FrameDecoder}, which looks at each byte once
 *       and remembers how much of {@code <EOF>} it has matched (rule 3): linear in the size.
 *   <li>{@code naive}: the C# original's way: decode each chunk to text, append it to a
 *       StringBuilder, turn the whole builder into a string, and search all of it for
 *       {@code <EOF>} again. Each chunk costs as much as everything received so far, so a frame
 *       costs size² / chunk: quadruple the size, sixteen times the time. (It is also wrong: a
 *       UTF-8 character split between two reads is garbled, rule 3.)
 *   <li>{@code nettyDelimiter}: Netty's stock {@code DelimiterBasedFrameDecoder}, as the
 *       baseline server uses it, fed as its {@code ByteToMessageDecoder} feeds it (each read
 *       appended to one buffer, then decode). It never decodes text, but it too searches the
 *       whole buffered frame again on each read.
 * </ul>
 * Compare the rows of one method across sizes: the growth is the lesson, not the constant.
 *
 * <p>Does not measure: frames that arrive whole (then all three are fast), the cost of the
 * read system calls, or the garbage each way leaves behind (add {@code -prof gc} to see it).
 *
 * <p>Run it: {@code java -jar benchmarks/target/benchmarks.jar B04 -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Thread)
public class B04_Decoder {

    /** Up to the default maximum frame (rule 4). */
    @Param({"1024", "16384", "65536"})
    public int messageSize;

    /** A small packet, an Ethernet segment's payload, a large read. */
    @Param({"64", "1460", "16384"})
    public int chunkSize;

    private byte[][] chunks;
    private ByteBuffer[] buffers;
    private FrameDecoder decoder;
    private NettyDecoder netty;
    private ByteBuf cumulation;

    @Setup(Level.Trial)
    public void split() {
        byte[] payload = new byte[messageSize];
        Arrays.fill(payload, (byte) 'x');
        byte[] frame = Frames.frame(payload);
        int n = (frame.length + chunkSize - 1) / chunkSize;
        chunks = new byte[n][];
        buffers = new ByteBuffer[n];
        for (int i = 0; i < n; i++) {
            chunks[i] = Arrays.copyOfRange(frame, i * chunkSize, Math.min(frame.length, (i + 1) * chunkSize));
            buffers[i] = ByteBuffer.wrap(chunks[i]);
        }
        decoder = new FrameDecoder(messageSize);
        netty = new NettyDecoder(messageSize);
        cumulation = Unpooled.buffer(messageSize + Frames.DELIMITER.length);
    }

    @Benchmark
    public void frameDecoder(Blackhole bh) throws FrameDecoder.FrameTooLongException {
        for (ByteBuffer chunk : buffers) {
            chunk.rewind();
            decoder.decode(chunk, payload -> bh.consume(payload.remaining()));
        }
    }

    @Benchmark
    public void naive(Blackhole bh) {
        StringBuilder received = new StringBuilder();
        for (byte[] chunk : chunks) {
            received.append(new String(chunk, StandardCharsets.UTF_8));
            String content = received.toString();     // the C# sample's sb.ToString(), on every read
            int end = content.indexOf("<EOF>");
            if (end > -1) {
                bh.consume(content.substring(0, end));
            }
        }
    }

    @Benchmark
    public void nettyDelimiter(Blackhole bh) throws Exception {
        // What ByteToMessageDecoder does on each read: append to the cumulation, then decode.
        cumulation.clear();
        for (byte[] chunk : chunks) {
            cumulation.writeBytes(chunk);
            Object payload = netty.decodeNow(cumulation);
            if (payload != null) {
                bh.consume(((ByteBuf) payload).readableBytes());
                ((ByteBuf) payload).release();
            }
        }
    }

    /**
     * The stock decoder, its protected {@code decode} opened up: the pipeline around it
     * (an {@code EmbeddedChannel}) would cost more than the decoding, and hide it.
     */
    private static final class NettyDecoder extends DelimiterBasedFrameDecoder {
        NettyDecoder(int maxFrame) {
            super(maxFrame, true, Unpooled.wrappedBuffer(Frames.DELIMITER));
        }

        Object decodeNow(ByteBuf in) throws Exception {
            return decode(null, in);              // the delimiter path never uses its context
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        cumulation.release();
    }
}
