package org.xanestream.processor.fit;

/**
 * float ↔ double conversion, the two-array double kernels of the fits (the JIT does not vectorize
 * loops over two double arrays at different offsets: it cannot prove they do not alias) and the snapshot
 * kernels whose lane selects it does not vectorize (edge crossing, quadratic vertex, best LCF subset).
 * Uses the incubating Vector API when the JVM was started with {@code --add-modules jdk.incubator.vector}
 * (as tests and the launcher do), else plain loops with the same results.
 *
 * <p>Stateless, thread safe, allocation-free.
 */
final class Convert {
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("xanestream.fit.scalar");

    /**
     * Accumulator updates {@code acc + x·y} as one fused multiply-add (one rounding, half the operations) when
     * the JVM compiles {@code Math.fma} to the CPU's instruction ({@code -XX:+UseFMA}, set by the JVM where the
     * CPU has one); else as a multiply and an add: without the instruction {@code Math.fma} is computed in
     * software, a thousand times slower. {@code -Dxanestream.fit.fma=true|false} overrides the detection
     * (tests run both). Every accumulation path uses {@link #madd} or its vector twin, so the per-image and
     * bulk paths agree bit for bit either way.
     */
    static final boolean FUSED = fusedMultiplyAdd();

    private Convert() {
    }

    /** {@code acc + x·y}, fused if {@link #FUSED}. */
    static double madd(double x, double y, double acc) {
        return FUSED ? Math.fma(x, y, acc) : acc + x * y;
    }

    private static boolean fusedMultiplyAdd() {
        String forced = System.getProperty("xanestream.fit.fma");
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        try {
            com.sun.management.HotSpotDiagnosticMXBean vm = java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return vm != null && Boolean.parseBoolean(vm.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false; // not HotSpot, or no such flag on this platform: the safe choice
        }
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

    /** {@code a[aOff + c] += w · x[xOff + c]} for c in [0, len), each by {@link #madd}. */
    static void axpy(double[] a, int aOff, double w, double[] x, int xOff, int len) {
        if (VECTOR) {
            VectorConvert.axpy(a, aOff, w, x, xOff, len);
        } else {
            for (int c = 0; c < len; c++) {
                a[aOff + c] = madd(x[xOff + c], w, a[aOff + c]);
            }
        }
    }

    /** {@code a[aOff + c] += x[xOff + c]²} for c in [0, len), each by {@link #madd}. */
    static void addSquares(double[] a, int aOff, double[] x, int xOff, int len) {
        if (VECTOR) {
            VectorConvert.addSquares(a, aOff, x, xOff, len);
        } else {
            for (int c = 0; c < len; c++) {
                double v = x[xOff + c];
                a[aOff + c] = madd(v, v, a[aOff + c]);
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
     * First upward crossing of 0.5 of the normalized mu inside {@code [lo, hi]} for the pixels
     * {@code [from, from+len)} of the images, into {@code edge[0..len)} (NaN when none; the jump sign is
     * applied by the caller). Per pixel, energies in ascending order: {@code t = mean mu − (c0 + c1·x)}
     * (mu minus the pre-edge line), the first pair with {@code t_before < jump/2 <= t_after} (the test
     * {@code norm_before < 0.5 <= norm_after} without a division; the two differ only where the quotient
     * rounds onto 0.5) whose interpolated energy lies in {@code [lo, hi]}, its energy then
     * {@link #crossingEnergy}. Only pairs from {@link #firstCrossingPoint} to {@link #lastCrossingPoint}
     * are scanned: the others lie wholly outside the window. Of these only the first can reach below lo
     * and only the last above hi, so the window is tested for those two alone (the first before the scan:
     * a crossing below lo does not end the search; the last after it); pairs in between hold only
     * crossings inside. The window test needs no division either: with
     * {@code u = t_after − t_before > 0}, {@code e0 + de·(jump/2 − t_before)/u >= lo} is
     * {@code de·(jump/2 − t_before) >= (lo − e0)·u} (and likewise for hi); for finite values the two
     * forms can differ only for a crossing within rounding of a window end (infinite values never get here:
     * a pixel with a non-finite mu has all its maps NaN). The vector scan spends its time in the loop over
     * the pairs, which therefore holds no window test and no division.
     * NaN where the jump is not positive.
     *
     * @param images per distinct energy, its images (the mean is taken); not modified
     * @param x      per energy, the line abscissa; not modified
     * @param ev     per energy, eV, ascending; not modified
     * @param c0     pre-edge line at the edge, per pixel; not modified
     * @param c1     pre-edge slope per unit x, per pixel; not modified
     * @param jump   edge jump per pixel; not modified
     * @param edge   receives the crossing energies, eV
     */
    static void crossingScan(float[][][] images, double[] x, double[] ev, double lo, double hi, int from,
                             double[] c0, double[] c1, double[] jump, double[] edge, int len) {
        if (VECTOR) {
            VectorConvert.crossingScan(images, x, ev, lo, hi, from, c0, c1, jump, edge, len);
        } else {
            crossingScanPlain(images, x, ev, lo, hi, from, c0, c1, jump, edge, 0, len);
        }
    }

    static void crossingScanPlain(float[][][] images, double[] x, double[] ev, double lo, double hi, int from,
                                  double[] c0, double[] c1, double[] jump, double[] edge, int start, int len) {
        int first = firstCrossingPoint(ev, lo);
        int last = lastCrossingPoint(ev, hi);
        if (last - first < 1) {
            java.util.Arrays.fill(edge, start, Math.max(start, len), Double.NaN);
            return;
        }
        double loRel = ev[first] < lo ? lo - ev[first] : Double.NEGATIVE_INFINITY;
        double hiRel = ev[last] > hi ? hi - ev[last - 1] : Double.POSITIVE_INFINITY;
        for (int c = start; c < len; c++) {
            double h = 0.5 * jump[c];
            double prev = aboveLine(images[first], from + c, c0[c], c1[c], x[first]);
            double found = Double.NaN;
            // without a positive jump there is no edge
            boolean done = !(jump[c] > 0);
            for (int d = first + 1; d <= last && !done; d++) {
                double cur = aboveLine(images[d], from + c, c0[c], c1[c], x[d]);
                if (prev < h && cur >= h) {
                    double e0 = ev[d - 1];
                    double de = ev[d] - e0;
                    double t = (h - prev) * de;
                    double u = cur - prev;
                    boolean aboveLo = d > first + 1 || t >= u * loRel;
                    boolean belowHi = d < last || t <= u * hiRel;
                    if (aboveLo & belowHi) {
                        found = crossingEnergy(prev, cur, jump[c], e0, de);
                    }
                    // a crossing below lo: search on; beyond hi: there are no more pairs
                    done = aboveLo;
                }
                prev = cur;
            }
            edge[c] = found;
        }
    }

    /**
     * The normalization lines of a chunk with one pre-edge and one post-edge region, planes read in place at
     * {@code from}: pre-edge coefficients {@code c = G⁻¹b}, the residual sd {@code √(max(s − cᵀb, 0)/(n−2))},
     * the post-edge line at the edge {@code h00·b0 + h01·b1}, and the edge jump
     * ({@link SpectrumEstimators#edgeJump}) between the two lines at the edge.
     *
     * @param q g00, g01, g11 (pre-edge G⁻¹), 1/(n − 2), h00, h01 (post-edge G⁻¹ first row); not modified
     */
    static void edgeLines(double[] pre0, double[] pre1, double[] preS, double[] post0, double[] post1, int from,
                          double[] q, double[] c0Out, double[] c1Out, double[] sdOut, double[] jumpOut, int len) {
        int c = VECTOR ? VectorConvert.edgeLines(pre0, pre1, preS, post0, post1, from, q, c0Out, c1Out, sdOut,
                jumpOut, len) : 0;
        edgeLinesPlain(pre0, pre1, preS, post0, post1, from, q, c0Out, c1Out, sdOut, jumpOut, c, len);
    }

    static void edgeLinesPlain(double[] pre0, double[] pre1, double[] preS, double[] post0, double[] post1,
                               int from, double[] q, double[] c0Out, double[] c1Out, double[] sdOut,
                               double[] jumpOut, int start, int len) {
        double g00 = q[0];
        double g01 = q[1];
        double g11 = q[2];
        double invDof = q[3];
        double h00 = q[4];
        double h01 = q[5];
        for (int c = start; c < len; c++) {
            int i = from + c;
            double b0 = pre0[i];
            double b1 = pre1[i];
            double c0 = g00 * b0 + g01 * b1;
            double c1 = g01 * b0 + g11 * b1;
            double rss = preS[i] - (c0 * b0 + c1 * b1);
            c0Out[c] = c0;
            c1Out[c] = c1;
            sdOut[c] = Math.sqrt(Math.max(rss, 0.0) * invDof);
            jumpOut[c] = SpectrumEstimators.edgeJump(h00 * post0[i] + h01 * post1[i], c0);
        }
    }

    /**
     * {@code coef[j][c] = Σ_t gi[j·p + t]·b[t][from + c]} and {@code proj[c] = Σ_j coef[j][c]·b[j][from + c]}
     * for c in [0, len), each sum from 0 in index order with separate multiply and add; planes read in
     * place.
     *
     * @param b    p accumulator planes; not modified
     * @param gi   p×p inverse, row-major; not modified
     * @param coef p rows of at least {@code len}; overwritten
     * @param proj at least {@code len}; overwritten
     */
    static void polynomial(double[][] b, int from, double[] gi, int p, double[][] coef, double[] proj, int len) {
        int c = 0;
        if (VECTOR && p == 3) {
            c = VectorConvert.polynomial3(b, from, gi, coef, proj, len);
        } else if (VECTOR && p == 4) {
            c = VectorConvert.polynomial4(b, from, gi, coef, proj, len);
        }
        polynomialPlain(b, from, gi, p, coef, proj, c, len);
    }

    /** Whether {@link #polynomial} has a vector body for p planes (else plane-at-a-time loops are faster). */
    static boolean polynomialInPlace(int p) {
        return VECTOR && (p == 3 || p == 4);
    }

    static void polynomialPlain(double[][] b, int from, double[] gi, int p, double[][] coef, double[] proj,
                                int start, int len) {
        for (int c = start; c < len; c++) {
            double pr = 0;
            for (int j = 0; j < p; j++) {
                double cj = 0;
                for (int t = 0; t < p; t++) {
                    cj += gi[j * p + t] * b[t][from + c];
                }
                coef[j][c] = cj;
                pr += cj * b[j][from + c];
            }
            proj[c] = pr;
        }
    }

    /**
     * The first energy of the crossing scan: the last one below {@code lo} (its pair reaches into the
     * window), or the first if none is below. Energies ascending.
     */
    static int firstCrossingPoint(double[] ev, double lo) {
        int i = 0;
        while (i < ev.length && ev[i] < lo) {
            i++;
        }
        return Math.max(0, i - 1);
    }

    /**
     * The last energy of the crossing scan: the first one above {@code hi}, or the last if none is above.
     * Pairs between {@link #firstCrossingPoint} and this one lie inside {@code [lo, hi]} except perhaps the
     * first and the last; pairs outside them cannot hold a crossing inside the window.
     */
    static int lastCrossingPoint(double[] ev, double hi) {
        int i = ev.length - 1;
        while (i >= 0 && ev[i] > hi) {
            i--;
        }
        return Math.min(ev.length - 1, i + 1);
    }

    /** Mean of the images at pixel i minus the line {@code c0 + c1·x}. */
    private static double aboveLine(float[][] images, int i, double c0, double c1, double x) {
        double mu = images[0][i];
        if (images.length > 1) {
            for (int u = 1; u < images.length; u++) {
                mu += images[u][i];
            }
            mu /= images.length;
        }
        return mu - (c0 + c1 * x);
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
     * is NaN: straight-line arithmetic without selects. An explicit vector body when the incubator module is
     * present: C2 of JDK 17 vectorized the plain loop in some JVM runs and not in others (a snapshot's
     * whiteline pass then took three times as long).
     */
    static void quadraticError(double[] c2, double[] s, double[] proj, double[] q, double[][] maps, double[] x0,
                               int len) {
        if (VECTOR) {
            VectorConvert.quadraticError(c2, s, proj, q, maps, x0, len);
        } else {
            quadraticErrorPlain(c2, s, proj, q, maps, x0, 0, len);
        }
    }

    /** Scalar body of {@link #quadraticError} for c in [from, len). */
    static void quadraticErrorPlain(double[] c2, double[] s, double[] proj, double[] q, double[][] maps,
                                    double[] x0, int from, int len) {
        double[] ev = maps[0];
        double[] sigma = maps[2];
        double half = q[1];
        double g11 = q[4];
        double g12 = q[5];
        double g22 = q[6];
        double invDof = q[7];
        for (int c = from; c < len; c++) {
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
            keepBest(c, minC[c], proj[c], s, resolution, sub, bestProj, bestSub);
        }
    }

    /** {@link #keepBestPlain} for pixel c, its smallest reference weight and projection given. */
    private static void keepBest(int c, double minC, double proj, double[] s, double resolution, int sub,
                                 double[] bestProj, double[] bestSub) {
        boolean better = minC >= 0 & (bestSub[c] < 0 | proj > bestProj[c] + resolution * s[c]);
        bestProj[c] = better ? proj : bestProj[c];
        bestSub[c] = better ? sub : bestSub[c];
    }

    /** Whether {@link #subsetStep} has a fused vector body for a subset of ps columns. */
    static boolean subsetStepFused(int ps) {
        return VECTOR && (ps == 2 || ps == 3);
    }

    /**
     * One subset of the LCF subset search for the searched pixels [0, len): the subset's solution
     * {@code c = G_S⁻¹ b_S} (each weight summed from 0 in column order), its smallest reference weight
     * (the first {@code ps − 2} weights; 0 without references), the projection {@code cᵀb_S} (summed from
     * 0), then {@link #keepBest} — the same operations as the search's column-at-a-time loops, in one pass.
     *
     * @param b  the subset's ps columns of the compacted accumulators; not modified
     * @param gi G_S⁻¹, row-major; not modified
     */
    static void subsetStep(double[][] b, double[] gi, int ps, double[] s, double resolution, int sub,
                           double[] bestProj, double[] bestSub, int len) {
        int c = !subsetStepFused(ps) ? 0 : ps == 2
                ? VectorConvert.subsetStep2(b, gi, s, resolution, sub, bestProj, bestSub, len)
                : VectorConvert.subsetStep3(b, gi, s, resolution, sub, bestProj, bestSub, len);
        for (; c < len; c++) {
            double minC = 0;
            double proj = 0;
            for (int r = 0; r < ps; r++) {
                double cr = 0;
                for (int u = 0; u < ps; u++) {
                    cr += gi[r * ps + u] * b[u][c];
                }
                if (r == 0 && ps > 2) {
                    minC = cr;
                } else if (r < ps - 2) {
                    minC = Math.min(minC, cr);
                }
                proj += cr * b[r][c];
            }
            keepBest(c, minC, proj, s, resolution, sub, bestProj, bestSub);
        }
    }

    /** Linear interpolation of the 0.5 crossing of the normalized mu between t values p (at e0) and v (at e0 + de). */
    static double crossingEnergy(double p, double v, double jump, double e0, double de) {
        double pn = p / jump;
        double vn = v / jump;
        return e0 + (0.5 - pn) / (vn - pn) * de;
    }
}
