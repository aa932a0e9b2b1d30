package org.xanestream.ingest.dectris;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.RejectedMessageException;
import org.xanestream.ingest.codec.BitshuffleLz4;
import org.xanestream.ingest.codec.BitshuffleLz4Benchmark;

/**
 * The whole DECTRIS image path on one thread: parse the four JSON parts and the appendix, take a
 * pooled frame, decode 2048×2048 uint16 pixels, release the frame. Same noisy frame as
 * {@link BitshuffleLz4Benchmark}; 8 operations per invocation, so <b>the score in ops/s is MiB/s of
 * decoded pixels</b>.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(8)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class DectrisDecodeBenchmark {
    @Param({"BITSHUFFLE_LZ4", "LZ4", "RAW"})
    public DectrisEncoding encoding;

    private DectrisStreamDecoder decoder;
    private ListParts message;

    @Setup
    public void setUp() throws Exception {
        BitshuffleLz4.awaitWarmUp(120_000);
        int w = 2048;
        int h = 2048;
        DectrisStreamEncoder enc = new DectrisStreamEncoder(DectrisEncoderConfig.defaults().withEncoding(encoding)
                .withHeaderDetail(HeaderDetail.ALL));
        decoder = new DectrisStreamDecoder("bench", DectrisConfig.defaults(), new FramePool(64L << 20));
        decoder.decode(ListParts.heap(enc.beginScan("bench", w, h, PixelType.UINT16).get(0)));
        byte[] raw = BitshuffleLz4Benchmark.frame(20000, 42);
        List<byte[]> parts = enc.encodeFrame(new FrameHeader("bench", "bench", -1, FrameKind.SAMPLE, 8333.0, w, h,
                PixelType.UINT16, 0L, Map.of()), ByteBuffer.wrap(raw));
        message = ListParts.heap(ListParts.copy(parts));
    }

    @Benchmark
    public int decode() throws RejectedMessageException, InterruptedException {
        Frame f = (Frame) decoder.decode(message);
        int n = f.pixels().limit();
        f.release();
        return n;
    }
}
