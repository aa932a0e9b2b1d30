package org.xanestream.processor.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.TestFrames;

class FrameAccumulatorTest {
    private static final RowParallel ROWS = new RowParallel(2);

    @AfterAll
    static void close() {
        ROWS.close();
    }

    /** Values each type can hold exactly, including the top of the unsigned ranges. */
    private static double[] valuesFor(PixelType type, int n, SplittableRandom rnd) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            switch (type) {
                case INT8: v[i] = rnd.nextInt(-128, 128); break;
                case UINT8: v[i] = rnd.nextInt(0, 256); break;
                case INT16: v[i] = rnd.nextInt(-32768, 32768); break;
                case UINT16: v[i] = rnd.nextInt(0, 65536); break;
                case INT32: v[i] = rnd.nextInt(-1_000_000, 1_000_000); break;
                case UINT32: v[i] = i % 7 == 0 ? 4_000_000_000.0 : rnd.nextInt(0, 1_000_000); break;
                case INT64: v[i] = rnd.nextInt(-1_000_000, 1_000_000); break;
                case UINT64: v[i] = i % 7 == 0 ? 1.8e19 : rnd.nextInt(0, 1_000_000); break;
                case FLOAT32: case FLOAT64: v[i] = rnd.nextDouble(-1e4, 1e4); break;
                default: throw new IllegalArgumentException(type.toString());
            }
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(PixelType.class)
    void sumsEveryPixelTypeIncludingUnsignedTopRange(PixelType type) {
        int w = 37;
        int h = 5; // odd width: exercises the scalar loop tails after the vector loops
        SplittableRandom rnd = new SplittableRandom(type.ordinal());
        FrameAccumulator acc = new FrameAccumulator(w, h, ROWS);
        double[] a = valuesFor(type, w * h, rnd);
        double[] b = valuesFor(type, w * h, rnd);
        acc.add(TestFrames.frame(TestFrames.header("s", "scan", FrameKind.SAMPLE, 8000, w, h, type), a));
        acc.add(TestFrames.frame(TestFrames.header("s", "scan", FrameKind.SAMPLE, 8000, w, h, type), b));
        assertEquals(2, acc.frames());
        for (int i = 0; i < w * h; i++) {
            double expected = (double) (float) a[i] + (float) b[i];
            assertEquals(expected, acc.sum()[i], Math.abs(expected) * 1e-6 + 1e-3, type + " pixel " + i);
        }
        float[] mean = new float[w * h];
        acc.meanInto(mean);
        assertEquals(((float) a[3] + (float) b[3]) / 2, mean[3], Math.abs(a[3] + b[3]) * 1e-6 + 1e-3);
        acc.clear();
        assertEquals(0, acc.frames());
        assertEquals(0f, acc.sum()[10]);
        acc.add(TestFrames.frame(TestFrames.header("s", "scan", FrameKind.SAMPLE, 8000, w, h, type), a));
        acc.clear();
        // the first frame after a clear overwrites the old sums
        acc.add(TestFrames.frame(TestFrames.header("s", "scan", FrameKind.SAMPLE, 8000, w, h, type), b));
        for (int i = 0; i < w * h; i++) {
            assertEquals((float) b[i], acc.sum()[i], Math.abs(b[i]) * 1e-6 + 1e-3, type + " pixel " + i + " after clear");
        }
    }

    @Test
    void afterClearTheNextFramesStartFromZeroEvenThoughTheSumsAreClearedLazily() {
        int w = 21;
        int h = 6;
        FrameAccumulator acc = new FrameAccumulator(w, h, ROWS);
        double[] a = new double[w * h];
        double[] b = new double[w * h];
        for (int i = 0; i < a.length; i++) {
            a[i] = 1000 + i;
            b[i] = 7 * i;
        }
        acc.add(TestFrames.frame(TestFrames.header("s", "scan", FrameKind.SAMPLE, 8000, w, h, PixelType.UINT16), a));
        acc.add(TestFrames.frame(TestFrames.header("s", "scan", FrameKind.SAMPLE, 8000, w, h, PixelType.UINT16), a));
        acc.clear();
        acc.add(TestFrames.frame(TestFrames.header("s", "scan", FrameKind.SAMPLE, 8001, w, h, PixelType.UINT16), b));
        acc.add(TestFrames.frame(TestFrames.header("s", "scan", FrameKind.SAMPLE, 8001, w, h, PixelType.UINT16), b));
        float[] mean = new float[w * h];
        acc.meanInto(mean);
        for (int i = 0; i < a.length; i++) {
            assertEquals(2 * b[i], acc.sum()[i], "sum " + i);
            assertEquals(b[i], mean[i], "mean " + i);
        }
        acc.clear();
        acc.clear();
        for (int i = 0; i < a.length; i++) {
            assertEquals(0f, acc.sum()[i], "cleared sum " + i);
        }
    }

    @Test
    void uint16ReadsValuesAboveShortMaxAsUnsigned() {
        FrameAccumulator acc = new FrameAccumulator(16, 1, ROWS);
        double[] v = new double[16];
        java.util.Arrays.fill(v, 65535);
        acc.add(TestFrames.frame(TestFrames.header("s", "scan", FrameKind.FLAT, 8000, 16, 1, PixelType.UINT16), v));
        assertEquals(65535f, acc.sum()[0]);
        assertEquals(65535f, acc.sum()[15]);
    }

    @Test
    void rejectsFrameOfAnotherSizeWithoutAddingIt() {
        FrameAccumulator acc = new FrameAccumulator(8, 8, ROWS);
        var other = TestFrames.frame(TestFrames.header("s", "scan", FrameKind.SAMPLE, 8000, 8, 4, PixelType.UINT16),
                new double[32]);
        assertThrows(IllegalArgumentException.class, () -> acc.add(other));
        assertEquals(0, acc.frames());
    }

    @Test
    void meanOfNoFramesIsNaN() {
        FrameAccumulator acc = new FrameAccumulator(4, 2, ROWS);
        float[] out = new float[8];
        acc.meanInto(out);
        assertEquals(Float.NaN, out[5]);
    }
}
