package org.xanestream.processor.fit;

/**
 * The accumulator updates of the incremental fits, in double precision: {@code lin[t][i] += w[t]·mu[i]}
 * and {@code sq[u][i] += mu[i]²}, each one fused multiply-add where the CPU has the instruction
 * ({@link Convert#FUSED}: one rounding, and on the bulk path's register-bound loop about a third faster, as
 * it halves the floating-point operations), else a multiply and an add.
 *
 * <p>One image ({@link #accumulate}) is memory-bound: pixels are processed in L1-sized chunks; the chunk
 * of {@code mu} is converted to double once into a per-thread scratch array, then each plane is updated
 * by a vector loop ({@link Convert#axpy}), one plane at a time (few concurrent memory streams).
 *
 * <p>Many images ({@link #accumulateRegion}, the bulk path) are register-blocked instead: for a few
 * pixels, the accumulators of one region stay in registers while all the region's images stream by in
 * arrival order, and each plane is loaded and stored once per batch rather than once per image. The
 * caller first packs a block of pixels of every image into one scratch array whose rows are padded by a
 * cache line (the images themselves lie a multiple of 4 KiB apart, so the same pixel of a hundred images
 * would compete for one L1 set). Per pixel and plane the operations and their order are those of
 * {@link #accumulate} called once per image, so both give the same bits.
 *
 * <p>Thread safe for disjoint pixel ranges; {@link #accumulate} allocates one scratch array per thread,
 * once; {@link #accumulateRegion} allocates nothing.
 */
final class AccumulateKernel {
    private static final int CHUNK = 512;
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[CHUNK]);

    /** Floats of padding after each packed image row of {@link #accumulateRegion}: one cache line. */
    static final int ROW_PAD = 16;

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
            for (int t = 0; t < nLin; t++) {
                Convert.axpy(lin[t], c0, w[t], scratch, 0, len);
            }
            for (int u = 0; u < nSq; u++) {
                Convert.addSquares(sq[u], c0, scratch, 0, len);
            }
        }
    }

    /**
     * The images of one region in a bulk batch, in arrival order: where each sits in the packed block and
     * its basis values; plus the region's planes. Immutable once built, shared by the bands.
     */
    static final class RegionBatch {
        final int terms;
        final int n;
        /** Per image, the offset of its row in the packed block. */
        final int[] rowOff;
        /** Per image j and term t, {@code w[j·terms + t]}. */
        final double[] w;
        final double[][] b;
        final double[] s;

        /** {@code b} holds one plane per term, {@code rowOff} one offset per image. */
        RegionBatch(int[] rowOff, double[] w, double[][] b, double[] s) {
            this.terms = b.length;
            this.n = rowOff.length;
            this.rowOff = rowOff;
            this.w = w;
            this.b = b;
            this.s = s;
        }
    }

    /**
     * Adds the images of {@code batch} to its planes at pixels {@code [p0, p0 + len)}.
     *
     * @param packed the block of pixels {@code [p0, p0 + len)} of every image of the batch, image e at
     *               {@code batch.rowOff[j] + c}; not modified
     * @param batch  images, weights and planes; planes modified in {@code [p0, p0 + len)}
     */
    static void accumulateRegion(float[] packed, RegionBatch batch, int p0, int len) {
        if (Convert.VECTOR) {
            VectorAccumulateKernel.region(packed, batch, p0, len);
        } else {
            regionPlain(packed, batch, 0, batch.terms, true, p0, 0, len);
        }
    }

    /**
     * Scalar body of {@link #accumulateRegion} for terms {@code [t0, t1)} (and the squares if
     * {@code withSquares}) and block pixels {@code [cFrom, cTo)}: one pixel at a time, its accumulators in
     * locals while the images stream by.
     */
    static void regionPlain(float[] packed, RegionBatch batch, int t0, int t1, boolean withSquares, int p0,
                            int cFrom, int cTo) {
        int terms = batch.terms;
        int n = batch.n;
        int[] rowOff = batch.rowOff;
        double[] w = batch.w;
        for (int t = t0; t < t1; t++) {
            double[] plane = batch.b[t];
            for (int c = cFrom; c < cTo; c++) {
                double a = plane[p0 + c];
                for (int j = 0, q = t; j < n; j++, q += terms) {
                    double m = packed[rowOff[j] + c];
                    a = Convert.madd(m, w[q], a);
                }
                plane[p0 + c] = a;
            }
        }
        if (withSquares) {
            double[] plane = batch.s;
            for (int c = cFrom; c < cTo; c++) {
                double a = plane[p0 + c];
                for (int j = 0; j < n; j++) {
                    double m = packed[rowOff[j] + c];
                    a = Convert.madd(m, m, a);
                }
                plane[p0 + c] = a;
            }
        }
    }
}
