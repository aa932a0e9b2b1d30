package org.xanestream.processor.bench;

import java.util.Map;
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
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.normalize.FrameAccumulator;

/**
 * Per-frame cost: adding one 2048×2048 frame to a running sum (target ≤ 5 ms). Run with {@code -prof gc} to see
 * that nothing is allocated per frame (RowParallel hands bands to its workers without allocating; JMH itself
 * reports some 20 B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class FrameAccumulationBenchmark {
    @Param({"UINT16", "FLOAT32", "UINT32"})
    public PixelType type;

    @Param({"1", "2"})
    public int threads;

    private RowParallel rows;
    private FrameAccumulator acc;
    private Frame frame;

    @Setup(Level.Trial)
    public void setUp() {
        rows = new RowParallel(threads);
        acc = new FrameAccumulator(BenchData.W, BenchData.H, rows);
        FrameHeader h = new FrameHeader("bench", "scan", 1, FrameKind.SAMPLE, 8333, BenchData.W, BenchData.H, type,
                0, Map.of());
        frame = Frame.unpooled(h);
        byte[] b = frame.pixels().array();
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < h.payloadBytes(); i += type.bytes()) {
            // Small positive values valid in every type (and finite as float32: the high byte stays 0x00..0x3F).
            b[i] = (byte) rnd.nextInt(256);
            if (type.bytes() > 1) {
                b[i + 1] = (byte) rnd.nextInt(64);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rows.close();
    }

    @Benchmark
    public int accumulate() {
        if (acc.frames() >= 256) {
            acc.clear();
        }
        acc.add(frame);
        return acc.frames();
    }
}
