package org.xanestream.simulators.detector;

/**
 * Plain-Java kernels of the frame synthesizer, and the fallback when the Vector API module is absent.
 *
 * <p>Stateless, thread safe, no allocation.
 */
final class ScalarKernels {
    /** Whether the {@code jdk.incubator.vector} module is in the boot layer (then {@link VectorKernels} is used). */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private ScalarKernels() {
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
            float t = (float) Math.exp(-muRow[x]);
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
