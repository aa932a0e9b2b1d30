package org.xanestream.processor.fit;

/**
 * float ↔ double conversion and the two-array double kernels of the fits (the JIT does not vectorize
 * loops over two double arrays at different offsets: it cannot prove they do not alias). Uses the incubating Vector API when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (as tests and the launcher do), else plain loops with the
 * same results.
 *
 * <p>Stateless, thread safe, allocation-free.
 */
final class Convert {
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("xanestream.fit.scalar");

    private Convert() {
    }

    /** {@code dst[0..len) = src[from..from+len)}. */
    static void toDouble(float[] src, int from, double[] dst, int len) {
        if (VECTOR) {
            VectorConvert.toDouble(src, from, dst, len);
        } else {
            for (int c = 0; c < len; c++) {
                dst[c] = src[from + c];
            }
        }
    }

    /** {@code a[aOff + c] += w · x[xOff + c]} for c in [0, len). */
    static void axpy(double[] a, int aOff, double w, double[] x, int xOff, int len) {
        if (VECTOR) {
            VectorConvert.axpy(a, aOff, w, x, xOff, len);
        } else {
            for (int c = 0; c < len; c++) {
                a[aOff + c] += w * x[xOff + c];
            }
        }
    }

    /** {@code a[aOff + c] += x[xOff + c]} for c in [0, len). */
    static void add(double[] a, int aOff, double[] x, int xOff, int len) {
        if (VECTOR) {
            VectorConvert.add(a, aOff, x, xOff, len);
        } else {
            for (int c = 0; c < len; c++) {
                a[aOff + c] += x[xOff + c];
            }
        }
    }

    /** {@code dst[to..to+len) = (float) src[0..len)}. */
    static void toFloat(double[] src, float[] dst, int to, int len) {
        if (VECTOR) {
            VectorConvert.toFloat(src, dst, to, len);
        } else {
            for (int c = 0; c < len; c++) {
                dst[to + c] = (float) src[c];
            }
        }
    }

    /**
     * One step of the search for the first upward 0.5 crossing of the normalized mu {@code t/jump} (t = mu
     * minus the pre-edge line), made for the consecutive energy pairs from the last to the first so that
     * the record left at the end is the first crossing. For c in [0, len) with
     * {@code prev[c] < half[c] <= cur[c]} ({@code half = jump/2}: the test {@code prev/jump < 0.5 <= cur/jump}
     * without a division; the two differ only where the quotient rounds onto 0.5) and, when {@code check},
     * the {@link #crossingEnergy} inside {@code [lo, hi]}: records {@code at[0..3][c] = prev, cur, e0, de}.
     * Pairs inside the window need no check: the interpolated energy lies between their energies.
     *
     * @param at the record (t before, t after, e0, de); modified where a crossing is found
     */
    static void crossingStep(double[] prev, double[] cur, double[] half, double[] jump, double e0, double de,
                             boolean check, double lo, double hi, double[][] at, int len) {
        if (VECTOR) {
            VectorConvert.crossingStep(prev, cur, half, jump, e0, de, check, lo, hi, at, len);
        } else {
            crossingStepPlain(prev, cur, half, jump, e0, de, check, lo, hi, at, 0, len);
        }
    }

    static void crossingStepPlain(double[] prev, double[] cur, double[] half, double[] jump, double e0, double de,
                                  boolean check, double lo, double hi, double[][] at, int from, int len) {
        for (int c = from; c < len; c++) {
            double p = prev[c];
            double v = cur[c];
            double h = half[c];
            if (p < h && v >= h) {
                double ec = crossingEnergy(p, v, jump[c], e0, de);
                if (!check || (ec >= lo && ec <= hi)) {
                    at[0][c] = p;
                    at[1][c] = v;
                    at[2][c] = e0;
                    at[3][c] = de;
                }
            }
        }
    }

    /** Linear interpolation of the 0.5 crossing of the normalized mu between t values p (at e0) and v (at e0 + de). */
    static double crossingEnergy(double p, double v, double jump, double e0, double de) {
        double pn = p / jump;
        double vn = v / jump;
        return e0 + (0.5 - pn) / (vn - pn) * de;
    }
}
