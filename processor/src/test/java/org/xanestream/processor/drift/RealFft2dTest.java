package org.xanestream.processor.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RealFft2dTest {
    /** Forward transform, all passes at once (one band each). */
    private static void forward(RealFft2d fft, float[] a, float[] re, float[] im) {
        fft.forwardRows(a, 0, fft.rows());
        fft.forwardColumns(a, 0, fft.columnBlocks(), re, im);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"8, 8", "16, 64", "64, 16", "32, 64"})
    void halfSpectrumMatchesADirectDft(int rows, int cols) {
        Random rnd = new Random(rows * 31L + cols);
        double[] img = new double[rows * cols];
        float[] a = new float[rows * cols];
        for (int i = 0; i < img.length; i++) {
            img[i] = rnd.nextGaussian();
            a[i] = (float) img[i];
        }
        RealFft2d fft = new RealFft2d(rows, cols);
        int hw = cols / 2;
        float[] re = new float[rows * hw];
        float[] im = new float[rows * hw];
        forward(fft, a, re, im);
        double scale = Math.sqrt(rows * cols); // rms magnitude of a coefficient
        for (int u = 0; u < rows; u++) {
            for (int v = 0; v < hw; v++) {
                double sr = 0;
                double si = 0;
                for (int y = 0; y < rows; y++) {
                    for (int x = 0; x < cols; x++) {
                        double ph = -2 * Math.PI * ((double) u * y / rows + (double) v * x / cols);
                        sr += img[y * cols + x] * Math.cos(ph);
                        si += img[y * cols + x] * Math.sin(ph);
                    }
                }
                assertEquals(sr, re[u * hw + v], 1e-5 * scale * Math.log(rows * cols), "re(" + u + ", " + v + ")");
                assertEquals(si, im[u * hw + v], 1e-5 * scale * Math.log(rows * cols), "im(" + u + ", " + v + ")");
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"8, 16", "32, 32", "256, 128"})
    void inverseReturnsTheImageScaledByItsSizeWhenTheNyquistColumnIsEmpty(int rows, int cols) {
        float[] a = new float[rows * cols];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                // no energy at the column Nyquist frequency: the dropped coefficient is zero
                a[y * cols + x] = (float) (Math.sin(2 * Math.PI * 3 * x / cols + y) + 0.3 * Math.cos(2 * Math.PI * y / rows)
                        + 0.2 * Math.cos(2 * Math.PI * (x + 2 * y) / cols));
            }
        }
        float[] original = a.clone();
        RealFft2d fft = new RealFft2d(rows, cols);
        float[] re = new float[rows * cols / 2];
        float[] im = new float[rows * cols / 2];
        forward(fft, a, re, im);
        float[] back = new float[rows * cols];
        fft.inverseColumns(re, im, 0, fft.columnBlocks(), back);
        fft.inverseRows(back, 0, rows);
        // unscaled: the column pass multiplies by rows, JTransforms' real row inverse by cols / 2
        double gain = back[0] / original[0];
        for (int i = 0; i < a.length; i++) {
            assertEquals(original[i], back[i] / gain, 1e-4, "pixel " + i);
        }
        assertEquals(rows * cols / 2.0, gain, rows * cols * 1e-4);
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"12, 16", "16, 24", "2, 16", "16, 2"})
    void rejectsSizesThatAreNotPowersOfTwoOfAtLeastFour(int rows, int cols) {
        assertThrows(IllegalArgumentException.class, () -> new RealFft2d(rows, cols));
    }
}
