package org.xanestream.processor.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xanestream.processor.RowParallel;

class ShiftApplierTest {
    private static final RowParallel ROWS = new RowParallel(2);
    private final ShiftApplier applier = new ShiftApplier(ROWS);

    @AfterAll
    static void close() {
        ROWS.close();
    }

    private static float[] ramp(int w, int h) {
        float[] img = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img[y * w + x] = x + 100 * y;
            }
        }
        return img;
    }

    @Test
    void integerShiftCopiesPixelsAndFillsShiftedInBordersWithNaNWithoutWrapping() {
        int w = 10;
        int h = 6;
        float[] src = ramp(w, h);
        float[] out = new float[w * h];
        applier.apply(src, w, h, 2, -1, out); // sample moved +2 columns, -1 row: content comes back from there
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = out[y * w + x];
                if (y == 0 || x >= w - 2) {
                    assertTrue(Float.isNaN(v), "(" + x + "," + y + ") should be NaN, was " + v);
                } else {
                    assertEquals(src[(y - 1) * w + x + 2], v, "(" + x + "," + y + ")");
                }
            }
        }
    }

    @Test
    void fractionalShiftInterpolatesBilinearlyAndNaNsTheLastColumnAndRow() {
        int w = 9;
        int h = 5;
        float[] src = ramp(w, h);
        float[] out = new float[w * h];
        applier.apply(src, w, h, 0.25, 0.5, out);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = out[y * w + x];
                if (x == w - 1 || y == h - 1) {
                    assertTrue(Float.isNaN(v));
                } else {
                    assertEquals(x + 0.25 + 100 * (y + 0.5), v, 1e-3);
                }
            }
        }
        applier.apply(src, w, h, -1.75, 0, out);
        assertTrue(Float.isNaN(out[0]) && Float.isNaN(out[1]));
        assertEquals(2 - 1.75, out[2], 1e-5);
        assertEquals(w - 1 - 1.75, out[w - 1], 1e-5);
    }

    @Test
    void invalidSourcePixelSpoilsOnlyTheOutputsThatUseIt() {
        int w = 8;
        int h = 8;
        float[] src = ramp(w, h);
        src[3 * w + 3] = Float.NaN;
        float[] out = new float[w * h];
        applier.apply(src, w, h, 0.5, 0, out); // out(x) uses src(x), src(x+1)
        assertTrue(Float.isNaN(out[3 * w + 2]));
        assertTrue(Float.isNaN(out[3 * w + 3]));
        assertEquals(4.5f + 300, out[3 * w + 4], 1e-4);
        assertEquals(3.5f + 200, out[2 * w + 3], 1e-4);
        applier.apply(src, w, h, 1, 0, out); // integer: exactly one output uses it
        assertTrue(Float.isNaN(out[3 * w + 2]));
        assertEquals(4f + 300, out[3 * w + 3]);
    }

    @Test
    void shiftBeyondTheImageGivesAllNaN() {
        float[] src = ramp(6, 4);
        float[] out = new float[24];
        applier.apply(src, 6, 4, 1e6, -3.5, out);
        for (float v : out) {
            assertTrue(Float.isNaN(v));
        }
    }

    @Test
    void correctingAKnownDisplacementRestoresTheReferenceInTheInterior() {
        int w = 96;
        int h = 80;
        SyntheticScene scene = new SyntheticScene(w, h, 12, 21);
        float[] ref = new float[w * h];
        float[] moved = new float[w * h];
        float[] out = new float[w * h];
        scene.render(w, h, 0, 0, 1, 1, ref);
        scene.render(w, h, 3.4, -2.3, 1, 1, moved);
        applier.apply(moved, w, h, 3.4, -2.3, out);
        double maxErr = 0;
        int nan = 0;
        for (int i = 0; i < out.length; i++) {
            if (Float.isNaN(out[i])) {
                nan++;
            } else {
                maxErr = Math.max(maxErr, Math.abs(out[i] - ref[i]));
            }
        }
        assertTrue(maxErr < 0.08, "bilinear error on sharp-edged disks " + maxErr);
        assertEquals(4 * h + 3 * w - 12, nan, "4 columns and 3 rows shifted in");
    }
}
