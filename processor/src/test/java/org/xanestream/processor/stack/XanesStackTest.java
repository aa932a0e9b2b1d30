package org.xanestream.processor.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class XanesStackTest {
    private static float[] constant(float v, int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void unsortedEnergiesAreServedInAscendingOrderAndRepeatsAreKeptInArrivalOrder() {
        XanesStack stack = new XanesStack(3, 2);
        float[] a = constant(1, 6);
        float[] b = constant(2, 6);
        float[] c = constant(3, 6);
        float[] d = constant(4, 6);
        stack.add(8350, a);
        stack.add(8330, b);
        stack.add(8350, c); // repeat: kept as a second entry
        stack.add(8340, d);
        assertEquals(4, stack.size());
        assertArrayEquals(new double[]{8330, 8340, 8350, 8350}, stack.energiesSorted());
        assertSame(b, stack.image(0));
        assertSame(d, stack.image(1));
        assertSame(a, stack.image(2));
        assertSame(c, stack.image(3));
        double[] e = new double[4];
        float[] mu = new float[4];
        assertEquals(4, stack.spectrum(2, 1, e, mu));
        assertArrayEquals(new float[]{2, 4, 1, 3}, mu);
        assertEquals(4L * 6 * 4, stack.imageBytes());
    }

    @Test
    void tracksMeanOfFiniteValuesAndPixelsValidAtEveryEnergy() {
        XanesStack stack = new XanesStack(2, 2);
        double m1 = stack.add(8000, new float[]{1, 2, Float.NaN, 4});
        assertEquals(7.0 / 3, m1, 1e-9);
        stack.add(8010, new float[]{3, Float.NaN, Float.NaN, 6});
        float[] mean = new float[4];
        stack.meanImageInto(mean);
        assertEquals(2f, mean[0]);
        assertEquals(2f, mean[1]);
        assertTrue(Float.isNaN(mean[2]));
        assertEquals(5f, mean[3]);
        assertArrayEquals(new byte[]{1, 0, 0, 1}, stack.validInAll());
        assertTrue(Double.isNaN(stack.add(8020, new float[]{Float.NaN, Float.NaN, Float.NaN, Float.NaN})));
    }

    @Test
    void growsBeyondItsInitialCapacity() {
        XanesStack stack = new XanesStack(1, 1);
        for (int k = 0; k < 100; k++) {
            stack.add(9000 - k, new float[]{k});
        }
        assertEquals(100, stack.size());
        assertEquals(8901, stack.energyEv(0));
        assertEquals(99f, stack.image(0)[0]);
    }

    @Test
    void rowBandsAndVectorLanesGiveTheScalarMeansAndMaskAtAnyWidth() {
        int w = 37;
        int h = 11;
        java.util.Random rnd = new java.util.Random(4);
        try (org.xanestream.processor.RowParallel rows = new org.xanestream.processor.RowParallel(2)) {
            XanesStack stack = new XanesStack(w, h, rows);
            double[] sum = new double[w * h];
            int[] count = new int[w * h];
            for (int e = 0; e < 5; e++) {
                float[] mu = new float[w * h];
                double s = 0;
                int n = 0;
                for (int i = 0; i < mu.length; i++) {
                    mu[i] = rnd.nextInt(9) == 0 ? Float.NaN : (float) rnd.nextGaussian();
                    if (mu[i] == mu[i]) {
                        s += mu[i];
                        n++;
                        sum[i] += mu[i];
                        count[i]++;
                    }
                }
                assertEquals(s / n, stack.add(8300 + e, mu), 1e-6);
            }
            float[] mean = new float[w * h];
            stack.meanImageInto(mean);
            for (int i = 0; i < mean.length; i++) {
                if (count[i] == 0) {
                    assertTrue(Float.isNaN(mean[i]), "pixel " + i);
                } else {
                    assertEquals(sum[i] / count[i], mean[i], 1e-5, "pixel " + i);
                }
                assertEquals(count[i] == 5 ? 1 : 0, stack.validInAll()[i], "valid at " + i);
            }
        }
    }
}
