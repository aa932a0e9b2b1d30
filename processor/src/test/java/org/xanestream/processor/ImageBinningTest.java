package org.xanestream.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

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

    @Test
    void binFactorIsTheSmallestThatFits() {
        assertEquals(1, ImageBinning.binFactor(1024, 1024, 1024));
        assertEquals(2, ImageBinning.binFactor(2048, 100, 1024));
        assertEquals(4, ImageBinning.binFactor(3200, 3200, 1024));
        assertEquals(1, ImageBinning.binFactor(4096, 4096, 0));
        assertThrows(IllegalArgumentException.class,
                () -> ImageBinning.binNanMean(new float[4], 2, 2, 0, new float[4], new double[2], new int[2]));
        assertTrue(ImageBinning.binnedSize(2049, 2) == 1025);
    }
}
