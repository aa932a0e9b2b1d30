package org.xanestream.simulators.detector;

/**
 * Plain-Java kernels of the frame synthesizer, and the fallback when the Vector API module is absent.
 * Both kernels produce bit-identical results (same IEEE operations in the same order, no fused
 * multiply-add), so frames do not depend on whether the Vector API is available or compiled yet.
 *
 * <p>Stateless, thread safe, no allocation.
 */
final class ScalarKernels {
    /** Whether the {@code jdk.incubator.vector} module is in the boot layer (then {@link VectorKernels} is used). */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** 1.5·2^23: adding it rounds a float of magnitude below 2^22 to an integer. */
    static final float ROUND_MAGIC = 12582912f;
    static final int ROUND_MAGIC_BITS = 0x4B400000;
    static final float LOG2E = 1.44269504f;
    /** ln 2 split so that {@code k·LN2_HI} is exact for the k that occur. */
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float EXP_MIN_ARG = -87f;
    static final float EXP_MAX_ARG = 88f;
    static final float C2 = 1f / 2;
    static final float C3 = 1f / 6;
    static final float C4 = 1f / 24;
    static final float C5 = 1f / 120;
    static final float C6 = 1f / 720;
    static final float C7 = 1f / 5040;

    private ScalarKernels() {
    }

    /**
     * {@code e^x} in float from IEEE basic operations only (range reduction by ln 2, degree-7 Taylor
     * polynomial, exponent built from bits), accurate to a few ulp. Unlike {@link Math#exp} and the
     * Vector API's EXP, whose last bits may differ between interpreted and compiled code, it gives the
     * same bits everywhere, and {@link VectorKernels} computes exactly the same sequence per lane.
     */
    static float exp(float x) {
        float a = Math.max(EXP_MIN_ARG, Math.min(EXP_MAX_ARG, x));
        float shifted = a * LOG2E + ROUND_MAGIC;
        float k = shifted - ROUND_MAGIC;
        int ki = Float.floatToRawIntBits(shifted) - ROUND_MAGIC_BITS;
        float r = (a - k * LN2_HI) - k * LN2_LO;
        float p = 1f + r * (1f + r * (C2 + r * (C3 + r * (C4 + r * (C5 + r * (C6 + r * C7))))));
        return Float.intBitsToFloat(Float.floatToRawIntBits(p) + (ki << 23));
    }

    /**
     * Expected sample and flat values of one row: photon means {@code λs = sampleScale·rel·exp(−mu) + hot},
     * {@code λf = flatScale·rel + hot}; mean = offset + λ, sd = sqrt(λ + readVar).
     *
     * @param muRow  absorbance of the row (already displaced); not modified
     * @param relRow relative beam (already displaced, with dust); not modified
     * @param base   index of the row's first pixel in the image arrays
     * @return true if some photon mean is below {@link NoiseRenderer#EXACT_POISSON_BELOW} (possibly needing exact sampling)
     */
    static boolean expectationRow(float[] muRow, float[] relRow, float[] off, float[] hot, int base, int width,
                                  float sampleScale, float flatScale, float readVar,
                                  float[] sampleMean, float[] sampleSd, float[] flatMean, float[] flatSd) {
        return expectationRange(muRow, relRow, off, hot, base, 0, width, sampleScale, flatScale, readVar, sampleMean,
                sampleSd, flatMean, flatSd);
    }

    static boolean expectationRange(float[] muRow, float[] relRow, float[] off, float[] hot, int base, int x0, int x1,
                                    float sampleScale, float flatScale, float readVar,
                                    float[] sampleMean, float[] sampleSd, float[] flatMean, float[] flatSd) {
        boolean small = false;
        for (int x = x0; x < x1; x++) {
            int i = base + x;
            float t = exp(-muRow[x]);
            float lamS = relRow[x] * sampleScale * t + hot[i];
            float lamF = relRow[x] * flatScale + hot[i];
            sampleMean[i] = off[i] + lamS;
            sampleSd[i] = (float) Math.sqrt(lamS + readVar);
            flatMean[i] = off[i] + lamF;
            flatSd[i] = (float) Math.sqrt(lamF + readVar);
            small |= lamS < NoiseRenderer.EXACT_POISSON_BELOW || lamF < NoiseRenderer.EXACT_POISSON_BELOW;
        }
        return small;
    }
}
