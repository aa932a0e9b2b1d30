package org.xanestream.publisher.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class RowBandsTest {

    @Test
    void binFactorBringsTheLongerSideWithinTheLimit() {
        assertEquals(1, RowBands.binFactor(1024, 1024, 1024));
        assertEquals(2, RowBands.binFactor(2048, 2048, 1024));
        assertEquals(2, RowBands.binFactor(2048, 100, 1024));
        assertEquals(4, RowBands.binFactor(3200, 3200, 1024));
        assertEquals(1, RowBands.binFactor(4096, 4096, 0));
        for (int side = 1; side < 5000; side += 37) {
            int bin = RowBands.binFactor(side, 7, 1024);
            assertTrue(RowBands.binnedSize(side, bin) <= 1024, "side " + side);
            assertTrue(bin == 1 || RowBands.binnedSize(side, bin - 1) > 1024, "bin not minimal for side " + side);
        }
    }

    @Test
    void bandsOfA2048WideMapStayBelow900KiB() {
        int rows = RowBands.rowsPerBand(2048, 900 * 1024);
        assertEquals(112, rows);
        assertTrue(rows * 2048 * 4 <= 900 * 1024);
        assertEquals(19, RowBands.bandCount(2048, rows));
        assertEquals(1, RowBands.rowsPerBand(300_000, 900 * 1024), "a row wider than the limit still makes a band");
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
        int ow = RowBands.binnedSize(w, bin);
        int oh = RowBands.binnedSize(h, bin);
        assertEquals((w + bin - 1) / bin, ow);
        assertEquals((h + bin - 1) / bin, oh);
        float[] dst = new float[ow * oh];
        RowBands.binNanMean(src, w, h, bin, dst, new double[ow], new int[ow]);
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

    @Test
    void encodesRowsAsLittleEndianFloat32BitExact() {
        float[] src = {1.5f, Float.NaN, -0f, Float.MIN_VALUE, 3e38f, -7.25f};
        byte[] band = RowBands.encodeRows(src, 2, 1, 2);
        assertEquals(16, band.length);
        ByteBuffer b = ByteBuffer.wrap(band).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            assertEquals(Float.floatToRawIntBits(src[2 + i]), b.getInt(4 * i));
        }
    }
}
