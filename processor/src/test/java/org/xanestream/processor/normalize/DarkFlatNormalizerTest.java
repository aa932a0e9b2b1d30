package org.xanestream.processor.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xanestream.processor.RowParallel;

class DarkFlatNormalizerTest {
    private static final RowParallel ROWS = new RowParallel(2);
    private final DarkFlatNormalizer normalizer = new DarkFlatNormalizer(ROWS);

    @AfterAll
    static void close() {
        ROWS.close();
    }

    @Test
    void matchesDoublePrecisionBeerLambertOnRandomCounts() {
        int w = 53;
        int h = 7;
        int n = w * h;
        SplittableRandom rnd = new SplittableRandom(4);
        float[] sum = new float[n];
        float[] flat = new float[n];
        float[] dark = new float[n];
        for (int i = 0; i < n; i++) {
            dark[i] = (float) rnd.nextDouble(90, 110);
            flat[i] = (float) rnd.nextDouble(20_000, 40_000);
            sum[i] = 3 * (float) rnd.nextDouble(500, 20_000);
        }
        float[] mu = new float[n];
        normalizer.normalize(sum, 3, flat, dark, null, mu, w, h);
        for (int i = 0; i < n; i++) {
            double expected = -Math.log(((double) sum[i] / 3 - dark[i]) / ((double) flat[i] - dark[i]));
            assertEquals(expected, mu[i], 2e-6 * Math.max(1, Math.abs(expected)), "pixel " + i);
        }
    }

    @Test
    void nonPositiveNumeratorOrDenominatorNaNInputsAndMaskedPixelsGiveNaNNeverInfinity() {
        int w = 19;
        int h = 2;
        int n = w * h;
        float[] sum = new float[n];
        float[] flat = new float[n];
        float[] dark = new float[n];
        byte[] invalid = new byte[n];
        java.util.Arrays.fill(sum, 500);
        java.util.Arrays.fill(flat, 1000);
        java.util.Arrays.fill(dark, 100);
        sum[0] = 100;                 // I == D: numerator 0
        sum[1] = 50;                  // I < D: numerator negative
        flat[2] = 100;                // F == D: denominator 0
        flat[3] = 10;                 // F < D: denominator negative
        sum[4] = Float.NaN;           // NaN input
        flat[5] = Float.NaN;
        dark[6] = Float.NaN;
        sum[7] = 100.0001f;           // tiny positive numerator: large but finite mu
        sum[8] = 3e38f;               // ratio overflows to +inf: mu would be -inf
        flat[8] = 100.00001f;
        sum[9] = Float.POSITIVE_INFINITY;
        invalid[10] = 1;
        sum[18] = 50;                 // in the scalar tail (width 19)
        float[] mu = new float[n];
        normalizer.normalize(sum, 1, flat, dark, invalid, mu, w, h);
        for (int i : new int[]{0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 18}) {
            assertTrue(Float.isNaN(mu[i]), "pixel " + i + " should be NaN, was " + mu[i]);
        }
        assertTrue(Float.isFinite(mu[7]) && mu[7] > 5, "tiny numerator gives a large finite mu, got " + mu[7]);
        for (int i = 11; i < n; i++) {
            if (i != 18) {
                assertEquals(-Math.log(400.0 / 900.0), mu[i], 1e-6, "pixel " + i);
            }
        }
        for (float v : mu) {
            assertFalse(Float.isInfinite(v));
        }
    }

    @Test
    void missingDarkMeansZeroOffset() {
        float[] sum = {200, 400, 800, 1600, 10, 20, 30, 40, 50};
        float[] flat = {800, 800, 800, 800, 800, 800, 800, 800, 800};
        float[] mu = new float[9];
        normalizer.normalize(sum, 2, flat, null, null, mu, 9, 1);
        assertEquals(-Math.log(100.0 / 800), mu[0], 1e-6);
        assertEquals(0.0, mu[3], 1e-6);
        assertEquals(-Math.log(25.0 / 800), mu[8], 1e-6);
    }

    @Test
    void transmissionGivesMinusLogTAndNaNForNonPositive() {
        float[] sum = {0.5f, 1f, 0f, -0.2f, Float.NaN, 0.25f, 2f, 0.8f, 0.1f, 0.9f, 0.3f};
        float[] mu = new float[sum.length];
        normalizer.transmission(sum, 1, null, mu, sum.length, 1);
        assertEquals(-Math.log(0.5), mu[0], 1e-6);
        assertEquals(0.0, mu[1], 1e-7);
        assertTrue(Float.isNaN(mu[2]));
        assertTrue(Float.isNaN(mu[3]));
        assertTrue(Float.isNaN(mu[4]));
        assertEquals(-Math.log(2.0), mu[6], 1e-6);
        assertEquals(-Math.log(0.3), mu[10], 1e-6);
    }
}
