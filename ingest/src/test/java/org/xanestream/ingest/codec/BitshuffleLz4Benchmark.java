package org.xanestream.ingest.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
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

/**
 * Decoding throughput of bitshuffle-LZ4 detector frames, one thread. A frame is 2048×2048 uint16 =
 * exactly 8 MiB, and each invocation counts as 8 operations, so <b>the score in ops/s is MiB/s of
 * decoded pixels</b>.
 *
 * <p>Content: a smooth absorbing "sample" (a disc and a gradient) under a flat beam of ~20000 counts,
 * with Poisson noise (normal approximation, σ = √mean) — the bit rows of the top 2-3 bits compress,
 * the lower ~8 are noise, as in real TXM frames.
 *
 * <ul>
 *   <li>{@code decode}: {@link BitshuffleLz4#decompressWithHeader} into a heap buffer, as the DECTRIS decoder does;</li>
 *   <li>{@code lz4Only}: the LZ4 part alone (every block into one scratch block);</li>
 *   <li>{@code unshuffleOnly}: the bit transpose alone over already decompressed blocks;</li>
 *   <li>{@code unshuffleScalarOnly}: the same without the Vector API kernel (the fallback when
 *       {@code jdk.incubator.vector} is absent).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(8)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class BitshuffleLz4Benchmark {
    static final int WIDTH = 2048;
    static final int HEIGHT = 2048;

    @Param({"20000"})
    public int meanCounts;

    ByteBuffer compressed;
    ByteBuffer out;
    int[] blockOffsets;
    int[] blockLengths;
    byte[] shuffled;
    byte[] blockScratch;
    ByteBuffer blockScratchView;
    long[] words;
    int elemSize = 2;
    int block = BitshuffleLz4.defaultBlockElements(2);

    @Setup
    public void setUp() throws InterruptedException {
        boolean warm = BitshuffleLz4.awaitWarmUp(120_000);
        System.out.printf("%nvector kernel warm-up finished: %b, in use for uint16: %b%n", warm,
                BitshuffleLz4.vectorKernelInUse(2));
        byte[] raw = frame(meanCounts, 42);
        ByteBuffer c = ByteBuffer.allocate(BitshuffleLz4.maxCompressedLength(raw.length, elemSize, block));
        int len = BitshuffleLz4.compress(ByteBuffer.wrap(raw), c, 0, elemSize, block, true);
        compressed = ByteBuffer.wrap(c.array(), 0, len).slice();
        out = ByteBuffer.allocate(raw.length).order(ByteOrder.LITTLE_ENDIAN);
        System.out.printf("%nframe %dx%d uint16, mean %d counts: %d bytes compressed (ratio %.2f)%n",
                WIDTH, HEIGHT, meanCounts, len, raw.length / (double) len);

        int blocks = raw.length / (block * elemSize);
        blockOffsets = new int[blocks];
        blockLengths = new int[blocks];
        int pos = BitshuffleLz4.HEADER_BYTES;
        for (int b = 0; b < blocks; b++) {
            blockLengths[b] = compressed.getInt(pos);
            blockOffsets[b] = pos + 4;
            pos += 4 + blockLengths[b];
        }
        shuffled = new byte[raw.length];
        BitTranspose.shuffle(raw, 0, shuffled, 0, raw.length / elemSize, elemSize, new long[BitTranspose.SCRATCH_LONGS]);
        blockScratch = new byte[block * elemSize];
        blockScratchView = ByteBuffer.wrap(blockScratch);
        words = new long[BitTranspose.SCRATCH_LONGS];
    }

    /** A TXM-like uint16 frame with Poisson noise around {@code mean} (normal approximation). */
    public static byte[] frame(int mean, long seed) {
        Random rnd = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(WIDTH * HEIGHT * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                double dx = x - WIDTH * 0.5;
                double dy = y - HEIGHT * 0.45;
                double transmission = (dx * dx + dy * dy < 600.0 * 600.0) ? 0.55 + 0.1 * x / WIDTH : 1.0;
                double lambda = mean * (0.9 + 0.1 * y / HEIGHT) * transmission;
                long v = Math.round(lambda + Math.sqrt(lambda) * rnd.nextGaussian());
                b.putShort((short) Math.max(0, Math.min(65535, v)));
            }
        }
        return b.array();
    }

    @Benchmark
    public ByteBuffer decode() throws CodecException {
        BitshuffleLz4.decompressWithHeader(compressed, out, 0, out.capacity(), elemSize);
        return out;
    }

    @Benchmark
    public byte[] lz4Only() throws CodecException {
        int len = block * elemSize;
        for (int b = 0; b < blockOffsets.length; b++) {
            Lz4Block.decompress(compressed, blockOffsets[b], blockLengths[b], blockScratchView, 0, len);
        }
        return blockScratch;
    }

    @Benchmark
    public ByteBuffer unshuffleOnly() {
        int len = block * elemSize;
        byte[] dst = out.array();
        for (int off = 0; off < shuffled.length; off += len) {
            BitTranspose.unshuffle(shuffled, off, dst, off, block, elemSize, words);
        }
        return out;
    }

    @Benchmark
    public ByteBuffer unshuffleScalarOnly() {
        int len = block * elemSize;
        byte[] dst = out.array();
        for (int off = 0; off < shuffled.length; off += len) {
            BitTranspose.unshuffleScalar(shuffled, off, dst, off, block, elemSize, words);
        }
        return out;
    }
}
