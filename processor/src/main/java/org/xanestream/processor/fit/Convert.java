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
     * One step of the energy-major search for the first upward 0.5 crossing inside {@code [lo, hi]}:
     * for c in [0, len) where {@code edge[c]} is still NaN, {@code prevRow[c] < 0.5 <= row[c]} and the
     * interpolated energy {@code ec = e0 + (0.5 − prev)/(v − prev)·de} lies in {@code [lo, hi]}, sets
     * {@code edge[c] = ec}.
     */
    static void crossingStep(double[] prevRow, double[] row, double e0, double de, double lo, double hi,
                             double[] edge, int len) {
        if (VECTOR) {
            VectorConvert.crossingStep(prevRow, row, e0, de, lo, hi, edge, len);
        } else {
            crossingStepPlain(prevRow, row, e0, de, lo, hi, edge, 0, len);
        }
    }

    static void crossingStepPlain(double[] prevRow, double[] row, double e0, double de, double lo, double hi,
                                  double[] edge, int from, int len) {
        for (int c = from; c < len; c++) {
            double prev = prevRow[c];
            double v = row[c];
            if (prev < 0.5 && v >= 0.5 && Double.isNaN(edge[c])) {
                double ec = e0 + (0.5 - prev) / (v - prev) * de;
                if (ec >= lo && ec <= hi) {
                    edge[c] = ec;
                }
            }
        }
    }
}
