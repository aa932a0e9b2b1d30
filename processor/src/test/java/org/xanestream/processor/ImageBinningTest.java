package org.xanestream.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ImageBinningTest {
    @Test
    void blockMeansIgnoreNanAndAllNanBlocksStayNan() {
        float nan = Float.NaN;
        float[] src = {
            1, 3, nan, nan, 5,
            5, 7, nan, nan, 7,
            2, nan, 4, 4, 9,
        };
        float[] dst = new float[3 * 2];
        ImageBinning.binNanMean(src, 5, 3, 2, dst, new double[3], new int[3]);
        assertArrayEquals(new float[] {4, nan, 6, 2, 4, 9}, dst);
    }

    @Test
    void rowRangesTogetherEqualTheWholeImageForEveryBin() {
        Random rnd = new Random(3);
        int w = 41;
        int h = 23;
        float[] src = new float[w * h];
        for (int i = 0; i < src.length; i++) {
            src[i] = rnd.nextInt(10) == 0 ? Float.NaN : (float) rnd.nextGaussian();
        }
        for (int bin = 1; bin <= 5; bin++) {
            int ow = ImageBinning.binnedSize(w, bin);
            int oh = ImageBinning.binnedSize(h, bin);
            float[] whole = new float[ow * oh];
            ImageBinning.binNanMean(src, w, h, bin, whole, new double[ow], new int[ow]);
            float[] parts = new float[ow * oh];
            int mid = oh / 2;
            ImageBinning.binNanMean(src, w, h, bin, parts, new double[ow], new int[ow], mid, oh);
            ImageBinning.binNanMean(src, w, h, bin, parts, new double[ow], new int[ow], 0, mid);
            assertArrayEquals(whole, parts, "bin " + bin);
            if (bin == 1) {
                assertArrayEquals(src, whole);
            }
        }
    }

    /**
     * The 2×2 case runs vector lanes over the full blocks of two rows: bit for bit the plain loop, for
     * widths around the lane count (odd ones have a half block at the right), a partial bottom row, NaN
     * in a few pixels and in whole blocks, and values of very different magnitudes.
     */
    @Test
    void twoByTwoVectorLanesEqualThePlainLoopBitForBit() {
        SplittableRandom r = new SplittableRandom(17);
        for (int h : new int[] {5, 6}) {
            for (int w = 1; w <= 41; w++) {
                float[] src = new float[w * h];
                for (int i = 0; i < src.length; i++) {
                    int kind = r.nextInt(8);
                    src[i] = kind == 0 ? Float.NaN : (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-6, 7)));
                }
                if (w >= 6) {
                    // one whole block of NaN
                    src[4] = src[5] = src[w + 4] = src[w + 5] = Float.NaN;
                }
                int ow = ImageBinning.binnedSize(w, 2);
                int oh = ImageBinning.binnedSize(h, 2);
                // outputs followed by sentinels that must stay untouched
                float[] got = new float[ow * oh + 8];
                java.util.Arrays.fill(got, 12345f);
                ImageBinning.binNanMean(src, w, h, 2, got, new double[ow], new int[ow]);
                float[] want = new float[ow * oh + 8];
                java.util.Arrays.fill(want, 12345f);
                for (int oy = 0; oy < oh; oy++) {
                    int r1 = 2 * oy + 1 < h ? (2 * oy + 1) * w : -1;
                    ImageBinning.binPairRowsPlain(src, 2 * oy * w, r1, w, want, oy * ow, 0);
                }
                for (int i = 0; i < want.length; i++) {
                    assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                            "height " + h + ", width " + w + ", output " + i + ": " + want[i] + " vs " + got[i]);
                }
                if (w >= 6) {
                    assertTrue(Float.isNaN(got[2]), "an all-NaN block stays NaN");
                }
            }
        }
    }

    @Test
    void refusesABinBelowOne() {
        assertThrows(IllegalArgumentException.class,
                () -> ImageBinning.binNanMean(new float[4], 2, 2, 0, new float[4], new double[2], new int[2]));
    }

    @Test
    void binFactorBringsTheLongerSideWithinTheLimit() {
        assertEquals(1, ImageBinning.binFactor(1024, 1024, 1024));
        assertEquals(2, ImageBinning.binFactor(2048, 2048, 1024));
        assertEquals(2, ImageBinning.binFactor(2048, 100, 1024));
        assertEquals(4, ImageBinning.binFactor(3200, 3200, 1024));
        assertEquals(1, ImageBinning.binFactor(4096, 4096, 0));
        for (int side = 1; side < 5000; side += 37) {
            int bin = ImageBinning.binFactor(side, 7, 1024);
            assertTrue(ImageBinning.binnedSize(side, bin) <= 1024, "side " + side);
            assertTrue(bin == 1 || ImageBinning.binnedSize(side, bin - 1) > 1024, "bin not minimal for side " + side);
        }
    }

    @Test
    void binningIsTheMeanOfTheNonNanPixelsOfEachBlockIncludingPartialEdgeBlocks() {
        checkBinning(13, 10, 3);
        checkBinning(13, 11, 2);
        checkBinning(12, 9, 2);
        checkBinning(7, 5, 7);
    }

    private static void checkBinning(int w, int h, int bin) {
        SplittableRandom r = new SplittableRandom(7);
        float[] src = new float[w * h];
        for (int i = 0; i < src.length; i++) {
            src[i] = r.nextInt(5) == 0 ? Float.NaN : (float) r.nextDouble(-2, 2);
        }
        for (int y = 0; y < Math.min(bin, h); y++) {
            for (int x = 0; x < Math.min(bin, w); x++) {
                src[y * w + x] = Float.NaN; // a whole block of NaN stays NaN
            }
        }
        int ow = ImageBinning.binnedSize(w, bin);
        int oh = ImageBinning.binnedSize(h, bin);
        assertEquals((w + bin - 1) / bin, ow);
        assertEquals((h + bin - 1) / bin, oh);
        float[] dst = new float[ow * oh];
        ImageBinning.binNanMean(src, w, h, bin, dst, new double[ow], new int[ow]);
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                double s = 0;
                int n = 0;
                for (int y = oy * bin; y < Math.min(h, oy * bin + bin); y++) {
                    for (int x = ox * bin; x < Math.min(w, ox * bin + bin); x++) {
                        if (!Float.isNaN(src[y * w + x])) {
                            s += src[y * w + x];
                            n++;
                        }
                    }
                }
                float expected = n == 0 ? Float.NaN : (float) (s / n);
                assertEquals(expected, dst[oy * ow + ox], 1e-6f, "bin " + bin + " block " + ox + "," + oy);
            }
        }
        assertTrue(Float.isNaN(dst[0]));
    }
}
