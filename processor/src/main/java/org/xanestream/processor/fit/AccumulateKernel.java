package org.xanestream.processor.fit;

/**
 * The per-energy accumulator update of the incremental fits: for pixels {@code [from, to)},
 * {@code lin[t][i] += w[t]·mu[i]} and {@code sq[u][i] += mu[i]²}, in double precision.
 *
 * <p>Memory-bound: pixels are processed in L1-sized chunks; the chunk of {@code mu} is converted to
 * double once into a per-thread scratch array, then each plane is updated by a vector loop
 * ({@link Convert#axpy}), one plane at a time (few concurrent memory streams).
 *
 * <p>Thread safe for disjoint pixel ranges; allocates one scratch array per thread, once.
 */
final class AccumulateKernel {
    private static final int CHUNK = 512;
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[2 * CHUNK]);

    private AccumulateKernel() {
    }

    /**
     * @param mu   image; not modified
     * @param lin  planes updated with weighted mu; modified in {@code [from, to)}
     * @param w    weights of {@code lin}; not modified
     * @param sq   planes updated with mu²; modified in {@code [from, to)}
     */
    static void accumulate(float[] mu, double[][] lin, double[] w, int nLin, double[][] sq, int nSq, int from,
                           int to) {
        double[] scratch = SCRATCH.get();
        for (int c0 = from; c0 < to; c0 += CHUNK) {
            int len = Math.min(CHUNK, to - c0);
            Convert.toDouble(mu, c0, scratch, len);
            for (int c = 0; c < len; c++) {
                double m = scratch[c];
                scratch[CHUNK + c] = m * m;
            }
            for (int t = 0; t < nLin; t++) {
                Convert.axpy(lin[t], c0, w[t], scratch, 0, len);
            }
            for (int u = 0; u < nSq; u++) {
                Convert.add(sq[u], c0, scratch, CHUNK, len);
            }
        }
    }
}
