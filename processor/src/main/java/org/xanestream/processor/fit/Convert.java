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

    /** {@code t[c] = src[from + c] − (c0[c] + c1[c]·x)} for c in [0, len): measured minus a line. */
    static void aboveLine(float[] src, int from, double[] c0, double[] c1, double x, double[] t, int len) {
        if (VECTOR) {
            VectorConvert.aboveLine(src, from, c0, c1, x, t, len);
        } else {
            aboveLinePlain(src, from, c0, c1, x, t, 0, len);
        }
    }

    static void aboveLinePlain(float[] src, int from, double[] c0, double[] c1, double x, double[] t, int start,
                               int len) {
        for (int c = start; c < len; c++) {
            t[c] = src[from + c] - (c0[c] + c1[c] * x);
        }
    }

    /**
     * One step of the search for the first upward 0.5 crossing of the normalized mu {@code t/jump} (t = mu
     * minus the pre-edge line), made for the consecutive energy pairs from the last to the first so that
     * the record left at the end is the first crossing. For c in [0, len) with
     * {@code prev[c] < half[c] <= cur[c]} ({@code half = jump/2}: the test {@code prev/jump < 0.5 <= cur/jump}
     * without a division; the two differ only where the quotient rounds onto 0.5) and, when {@code check},
     * the {@link #crossingEnergy} inside {@code [lo, hi]}: records {@code at[0..2][c] = prev, cur, step}.
     * Pairs inside the window need no check: the interpolated energy lies between their energies.
     *
     * @param step the pair's index (the energy index of {@code cur})
     * @param at   the record (t before, t after, step index); modified where a crossing is found
     */
    static void crossingStep(double[] prev, double[] cur, double[] half, double[] jump, int step, double e0,
                             double de, boolean check, double lo, double hi, double[][] at, int len) {
        if (VECTOR) {
            VectorConvert.crossingStep(prev, cur, half, jump, step, e0, de, check, lo, hi, at, len);
        } else {
            crossingStepPlain(prev, cur, half, jump, step, e0, de, check, lo, hi, at, 0, len);
        }
    }

    static void crossingStepPlain(double[] prev, double[] cur, double[] half, double[] jump, int step, double e0,
                                  double de, boolean check, double lo, double hi, double[][] at, int from, int len) {
        for (int c = from; c < len; c++) {
            double p = prev[c];
            double v = cur[c];
            double h = half[c];
            if (p < h && v >= h) {
                double ec = crossingEnergy(p, v, jump[c], e0, de);
                if (!check || (ec >= lo && ec <= hi)) {
                    at[0][c] = p;
                    at[1][c] = v;
                    at[2][c] = step;
                }
            }
        }
    }

    /**
     * Vertex, height and delta-method error of the quadratic whiteline {@code c0 + c1·x + c2·x²} for
     * c in [0, len), NaN where the curvature is not negative or the vertex energy lies outside the window.
     *
     * @param coef    c0, c1, c2 rows; not modified
     * @param s       Σmu² of the window; not modified
     * @param proj    {@code cᵀb}; not modified
     * @param q       window middle and half width (eV), window lo and hi (eV), G⁻¹ entries g11, g12, g22,
     *                1/(n − 3) (NaN: no error); not modified
     * @param maps    rows 0, 1, 2 receive the vertex energy (eV), height and its error (eV)
     * @param scratch at least {@code len} long; overwritten
     */
    static void quadraticVertex(double[][] coef, double[] s, double[] proj, double[] q, double[][] maps,
                                double[] scratch, int len) {
        if (VECTOR) {
            VectorConvert.quadraticVertex(coef, q, maps, scratch, len);
        } else {
            quadraticVertexPlain(coef, q, maps, scratch, 0, len);
        }
        quadraticError(coef[2], s, proj, q, maps, scratch, len);
    }

    /** Vertex position x (into x0), energy and height of {@link #quadraticVertex} for c in [from, len). */
    static void quadraticVertexPlain(double[][] coef, double[] q, double[][] maps, double[] x0, int from, int len) {
        double[] c0 = coef[0];
        double[] c1 = coef[1];
        double[] c2 = coef[2];
        double[] ev = maps[0];
        double[] height = maps[1];
        double mid = q[0];
        double half = q[1];
        double lo = q[2];
        double hi = q[3];
        double nan = Double.NaN;
        for (int c = from; c < len; c++) {
            double a2 = c2[c];
            double x = -c1[c] / (2 * a2);
            x0[c] = x;
            double e = mid + half * x;
            double h = c0[c] + x * (c1[c] + a2 * x);
            // invalid: NaN by adding NaN (as the vector body); a valid vertex energy is finite
            double bad = a2 < 0 & e >= lo & e <= hi ? 0.0 : nan;
            ev[c] = e + bad;
            height[c] = h + bad;
        }
    }

    /**
     * The vertex error of {@link #quadraticVertex} from the vertex positions x0, NaN where the vertex energy
     * is NaN: straight-line arithmetic without selects, which the JIT vectorizes.
     */
    static void quadraticError(double[] c2, double[] s, double[] proj, double[] q, double[][] maps, double[] x0,
                               int len) {
        double[] ev = maps[0];
        double[] sigma = maps[2];
        double half = q[1];
        double g11 = q[4];
        double g12 = q[5];
        double g22 = q[6];
        double invDof = q[7];
        for (int c = 0; c < len; c++) {
            double sigma2 = Math.max(s[c] - proj[c], 0.0) * invDof;
            // d(vertex)/dc1 = −1/(2c2), d(vertex)/dc2 = −x/c2
            double d1 = -1 / (2 * c2[c]);
            double d2 = 2 * d1 * x0[c];
            double var = sigma2 * (d1 * d1 * g11 + 2 * d1 * d2 * g12 + d2 * d2 * g22);
            double e = ev[c];
            sigma[c] = half * Math.sqrt(var) + (e - e);
        }
    }

    /**
     * One subset of the non-negative LCF search, for c in [0, len): where the subset is feasible
     * ({@code minC[c] >= 0}) and it is the first feasible one ({@code bestSub[c] < 0}) or explains more
     * than the best so far by more than the resolution ({@code proj > bestProj + resolution·s}), it
     * becomes the best: {@code bestProj[c] = proj[c]}, {@code bestSub[c] = sub}.
     *
     * @param bestProj modified
     * @param bestSub  modified
     */
    static void keepBest(double[] minC, double[] proj, double[] s, double resolution, int sub, double[] bestProj,
                         double[] bestSub, int len) {
        if (VECTOR) {
            VectorConvert.keepBest(minC, proj, s, resolution, sub, bestProj, bestSub, len);
        } else {
            keepBestPlain(minC, proj, s, resolution, sub, bestProj, bestSub, 0, len);
        }
    }

    static void keepBestPlain(double[] minC, double[] proj, double[] s, double resolution, int sub,
                              double[] bestProj, double[] bestSub, int from, int len) {
        for (int c = from; c < len; c++) {
            boolean better = minC[c] >= 0 & (bestSub[c] < 0 | proj[c] > bestProj[c] + resolution * s[c]);
            bestProj[c] = better ? proj[c] : bestProj[c];
            bestSub[c] = better ? sub : bestSub[c];
        }
    }

    /** Linear interpolation of the 0.5 crossing of the normalized mu between t values p (at e0) and v (at e0 + de). */
    static double crossingEnergy(double p, double v, double jump, double e0, double de) {
        double pn = p / jump;
        double vn = v / jump;
        return e0 + (0.5 - pn) / (vn - pn) * de;
    }
}
