package org.xanestream.processor.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

class AccumulateKernelTest {
    /**
     * The bulk kernel (vector body when the incubator module is present, as under surefire) against its
     * plain loops and against one {@link AccumulateKernel#accumulate} per image: same bits, for every
     * number of terms (square-only, grouped, and single linear passes) and for lengths that are not
     * multiples of the vector pair.
     */
    @Test
    void regionKernelEqualsPlainLoopsAndOneImageAtATimeBitForBit() {
        Random rnd = new Random(11);
        int m = 13;
        int p0 = 5;
        for (int terms = 0; terms <= 6; terms++) {
            for (int len : new int[] {1, 7, 8, 9, 16, 37, 64}) {
                int pixels = p0 + len + 3;
                float[][] mu = new float[m][pixels];
                for (float[] img : mu) {
                    for (int i = 0; i < pixels; i++) {
                        img[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(7) - 3));
                    }
                }
                mu[4][p0 + len / 2] = Float.NaN;
                // every other image of the batch belongs to the region, in arrival order
                int n = (m + 1) / 2;
                int stride = len + AccumulateKernel.ROW_PAD;
                float[] packed = new float[m * stride];
                for (int e = 0; e < m; e++) {
                    System.arraycopy(mu[e], p0, packed, e * stride, len);
                }
                int[] rowOff = new int[n];
                double[] w = new double[n * terms];
                for (int j = 0; j < n; j++) {
                    rowOff[j] = 2 * j * stride;
                    for (int t = 0; t < terms; t++) {
                        w[j * terms + t] = rnd.nextGaussian() * 3;
                    }
                }
                double[][] start = new double[terms + 1][pixels];
                for (double[] plane : start) {
                    for (int i = 0; i < pixels; i++) {
                        plane[i] = rnd.nextGaussian();
                    }
                }
                double[][] kernel = copy(start);
                double[][] plain = copy(start);
                double[][] single = copy(start);
                AccumulateKernel.accumulateRegion(packed,
                        new AccumulateKernel.RegionBatch(rowOff, w, part(kernel, terms), kernel[terms]), p0, len);
                AccumulateKernel.regionPlain(packed,
                        new AccumulateKernel.RegionBatch(rowOff, w, part(plain, terms), plain[terms]), 0, terms,
                        true, p0, 0, len);
                for (int j = 0; j < n; j++) {
                    double[] wj = java.util.Arrays.copyOfRange(w, j * terms, (j + 1) * terms);
                    AccumulateKernel.accumulate(mu[2 * j], part(single, terms), wj, terms, new double[][] {single[terms]},
                            1, p0, p0 + len);
                }
                for (int t = 0; t <= terms; t++) {
                    String what = "terms " + terms + ", len " + len + ", plane " + t;
                    assertArrayEquals(single[t], kernel[t], what + " (kernel vs one image at a time)");
                    assertArrayEquals(single[t], plain[t], what + " (plain loops vs one image at a time)");
                }
            }
        }
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static double[][] part(double[][] planes, int terms) {
        return java.util.Arrays.copyOf(planes, terms);
    }
}
