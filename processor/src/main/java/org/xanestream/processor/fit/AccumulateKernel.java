package org.xanestream.processor.fit;

/**
 * The per-energy accumulator update of the incremental fits: for pixels {@code [from, to)},
 * {@code lin[t][i] += w[t]·mu[i]} and {@code sq[u][i] += mu[i]²}, in double precision.
 *
 * <p>Memory-bound: pixels are processed in L1-sized chunks, one plane at a time, so each loop is a
 * simple streaming loop the JIT vectorizes and {@code mu} is read from memory once.
 *
 * <p>Stateless, thread safe for disjoint pixel ranges; allocates nothing.
 */
final class AccumulateKernel {
    private static final int CHUNK = 512;

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
        for (int c0 = from; c0 < to; c0 += CHUNK) {
            int c1 = Math.min(to, c0 + CHUNK);
            for (int t = 0; t < nLin; t++) {
                double[] a = lin[t];
                double wt = w[t];
                for (int i = c0; i < c1; i++) {
                    a[i] += wt * mu[i];
                }
            }
            for (int u = 0; u < nSq; u++) {
                double[] a = sq[u];
                for (int i = c0; i < c1; i++) {
                    double m = mu[i];
                    a[i] += m * m;
                }
            }
        }
    }
}
