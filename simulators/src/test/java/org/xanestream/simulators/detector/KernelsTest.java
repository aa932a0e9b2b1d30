package org.xanestream.simulators.detector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelsTest {
    @Test
    void vectorAndScalarExpectationKernelsAreBitIdentical() {
        assertTrue(ScalarKernels.VECTOR, "tests run with jdk.incubator.vector (surefire argLine)");
        int w = 203;
        SplittableRandom r = new SplittableRandom(3);
        float[] mu = new float[w];
        float[] rel = new float[w];
        float[] off = new float[w];
        float[] hot = new float[w];
        for (int x = 0; x < w; x++) {
            mu[x] = (float) (r.nextDouble() * 3);
            rel[x] = (float) (0.5 + r.nextDouble());
            off[x] = (float) (100 + r.nextDouble());
            hot[x] = x == 17 ? 900f : 0f;
        }
        float[][] a = new float[4][w];
        float[][] b = new float[4][w];
        boolean sa = ScalarKernels.expectationRow(mu, rel, off, hot, 0, w, 20000f, 19000f, 4f, a[0], a[1], a[2], a[3]);
        boolean sb = VectorKernels.expectationRow(mu, rel, off, hot, 0, w, 20000f, 19000f, 4f, b[0], b[1], b[2], b[3]);
        assertEquals(sa, sb);
        for (int k = 0; k < 4; k++) {
            assertArrayEquals(a[k], b[k], "array " + k);
        }
        // a tiny photon count anywhere is reported
        rel[100] = 1e-4f;
        assertTrue(VectorKernels.expectationRow(mu, rel, off, hot, 0, w, 20000f, 19000f, 4f, b[0], b[1], b[2], b[3]));
        assertTrue(ScalarKernels.expectationRow(mu, rel, off, hot, 0, w, 20000f, 19000f, 4f, a[0], a[1], a[2], a[3]));
    }

    @Test
    void portableExponentialIsAccurateAndMatchesItsVectorForm() {
        float[] xs = new float[4096];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -30f + 35f * i / xs.length;
        }
        float[] v = new float[xs.length];
        for (int i = 0; i < xs.length; i += jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length()) {
            VectorKernels.exp(jdk.incubator.vector.FloatVector.fromArray(
                    jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, xs, i)).intoArray(v, i);
        }
        for (int i = 0; i < xs.length; i++) {
            float e = ScalarKernels.exp(xs[i]);
            double exact = Math.exp(xs[i]);
            assertEquals(exact, e, exact * 5e-7, "exp(" + xs[i] + ")");
            assertEquals(Float.floatToRawIntBits(e), Float.floatToRawIntBits(v[i]), "vector exp(" + xs[i] + ")");
        }
        assertEquals(1f, ScalarKernels.exp(0f));
        assertTrue(ScalarKernels.exp(-200f) >= 0f && ScalarKernels.exp(-200f) < 1e-37f);
    }

    @Test
    void fastNoisePathEqualsTheGeneralPathWhenNoMeanIsSmall() {
        int w = 37;
        int h = 9;
        float[] mean = new float[w * h];
        float[] sd = new float[w * h];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = 100 + 20000 * (i % 5 + 1) / 5f;
            sd[i] = (float) Math.sqrt(mean[i] - 100 + 4);
        }
        assertTrue(!NoiseRenderer.needsExactPoisson(sd, 4f, 0, sd.length));
        byte[] fast = new byte[2 * w * h];
        byte[] general = new byte[2 * w * h];
        NoiseRenderer.renderRows(mean, sd, 4f, w, 0, h, 42, fast, false);
        NoiseRenderer.renderRows(mean, sd, 4f, w, 0, h, 42, general, true);
        assertArrayEquals(general, fast);
        // rows rendered separately (another band split) give the same bytes
        byte[] split = new byte[2 * w * h];
        NoiseRenderer.renderRows(mean, sd, 4f, w, 0, 4, 42, split, false);
        NoiseRenderer.renderRows(mean, sd, 4f, w, 4, h, 42, split, false);
        assertArrayEquals(fast, split);
    }

    @Test
    void displacementMovesFeaturesTowardPositiveDrift() {
        int w = 8;
        int h = 6;
        float[] src = new float[w * h];
        src[2 * w + 3] = 1f;
        float[] dst = new float[w * h];
        SubPixelShift.bilinear(src, w, h, 1.0, 2.0, dst);
        assertEquals(1f, dst[4 * w + 4]);
        SubPixelShift.bilinear(src, w, h, 0.25, 0, dst);
        assertEquals(0.75f, dst[2 * w + 3], 1e-6);
        assertEquals(0.25f, dst[2 * w + 4], 1e-6);
    }

    @Test
    void exactPoissonSamplerHasPoissonMoments() {
        double lambda = 3;
        int n = 200_000;
        double s = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            int k = NoiseRenderer.poisson((float) lambda, 99, i);
            s += k;
            s2 += (double) k * k;
        }
        double mean = s / n;
        assertEquals(lambda, mean, 0.02);
        assertEquals(lambda, s2 / n - mean * mean, 0.05);
    }
}
