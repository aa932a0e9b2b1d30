package org.xanestream.processor.fit;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API bodies of {@link Convert} and of the array kernels the JIT does not vectorize itself
 * (loops over two double arrays at different offsets, which it cannot prove do not alias); loaded
 * only when the incubator module is present.
 */
final class VectorConvert {
    // Constant vectors are made inside the loops (C2 hoists them): a vector made before a loop reaches an
    // on-stack-replacement compilation of that loop as an untyped object, and the JDK 17 intrinsics then
    // fall back to slow boxed Java code.

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.length() * Float.SIZE));

    private VectorConvert() {
    }

    /** {@code acc + x·y} lane-wise, fused if {@link Convert#FUSED}: the same bits as {@link Convert#madd}. */
    static DoubleVector madd(DoubleVector x, DoubleVector y, DoubleVector acc) {
        return Convert.FUSED ? x.fma(y, acc) : acc.add(x.mul(y));
    }

    static void toDouble(float[] src, int from, double[] dst, int len) {
        int c = 0;
        int bound = D.loopBound(len);
        for (; c < bound; c += D.length()) {
            ((DoubleVector) FloatVector.fromArray(F, src, from + c).convertShape(VectorOperators.F2D, D, 0))
                    .intoArray(dst, c);
        }
        for (; c < len; c++) {
            dst[c] = src[from + c];
        }
    }

    static void toFloat(double[] src, float[] dst, int to, int len) {
        int c = 0;
        int bound = D.loopBound(len);
        for (; c < bound; c += D.length()) {
            ((FloatVector) DoubleVector.fromArray(D, src, c).convertShape(VectorOperators.D2F, F, 0))
                    .intoArray(dst, to + c);
        }
        for (; c < len; c++) {
            dst[to + c] = (float) src[c];
        }
    }

    /** {@code a[aOff + c] += w · x[xOff + c]} for c in [0, len), by {@link #madd} as the plain loop. */
    static void axpy(double[] a, int aOff, double w, double[] x, int xOff, int len) {
        int c = 0;
        int bound = D.loopBound(len);
        for (; c < bound; c += D.length()) {
            madd(DoubleVector.fromArray(D, x, xOff + c), DoubleVector.broadcast(D, w), DoubleVector.fromArray(D, a, aOff + c))
                    .intoArray(a, aOff + c);
        }
        for (; c < len; c++) {
            a[aOff + c] = Convert.madd(x[xOff + c], w, a[aOff + c]);
        }
    }

    /** {@code a[aOff + c] += x[xOff + c]²} for c in [0, len), by {@link #madd} as the plain loop. */
    static void addSquares(double[] a, int aOff, double[] x, int xOff, int len) {
        int c = 0;
        int bound = D.loopBound(len);
        for (; c < bound; c += D.length()) {
            DoubleVector v = DoubleVector.fromArray(D, x, xOff + c);
            madd(v, v, DoubleVector.fromArray(D, a, aOff + c)).intoArray(a, aOff + c);
        }
        for (; c < len; c++) {
            double v = x[xOff + c];
            a[aOff + c] = Convert.madd(v, v, a[aOff + c]);
        }
    }

    /** {@code a[aOff + c] += x[xOff + c]} for c in [0, len). */
    static void add(double[] a, int aOff, double[] x, int xOff, int len) {
        int c = 0;
        int bound = D.loopBound(len);
        for (; c < bound; c += D.length()) {
            DoubleVector.fromArray(D, a, aOff + c).add(DoubleVector.fromArray(D, x, xOff + c)).intoArray(a, aOff + c);
        }
        for (; c < len; c++) {
            a[aOff + c] += x[xOff + c];
        }
    }

    /**
     * Vector body of {@link Convert#crossingScan}: one vector of pixels at a time through the pairs from the
     * first to the last crossing point until each pixel has its first crossing (or has no positive jump), the
     * crossing kept in registers by lane blends (found: a recorded energy step above 0), no scratch arrays;
     * the same arithmetic as the plain loop.
     */
    static void crossingScan(float[][][] images, double[] x, double[] ev, double lo, double hi, int from,
                             double[] c0, double[] c1, double[] jump, double[] edge, int len) {
        int first = Convert.firstCrossingPoint(ev, lo);
        int last = Convert.lastCrossingPoint(ev, hi);
        if (last - first < 1) {
            java.util.Arrays.fill(edge, 0, len, Double.NaN);
            return;
        }
        // the first pair's crossing must not lie below lo (when it reaches below), the last pair's not above
        // hi (checked after the scan); pairs in between lie inside the window
        double firstE0 = ev[first];
        double firstDe = ev[first + 1] - firstE0;
        double loRel = firstE0 < lo ? lo - firstE0 : Double.NEGATIVE_INFINITY;
        double lastE0 = ev[last - 1];
        double hiRel = ev[last] > hi ? hi - lastE0 : Double.POSITIVE_INFINITY;
        int c = 0;
        int bound = D.loopBound(len);
        for (; c < bound; c += D.length()) {
            DoubleVector a0 = DoubleVector.fromArray(D, c0, c);
            DoubleVector a1 = DoubleVector.fromArray(D, c1, c);
            DoubleVector j = DoubleVector.fromArray(D, jump, c);
            DoubleVector h = j.mul(0.5);
            // the mean of a point's images minus the pre-edge line, written out here (as below) rather than
            // in a helper: a helper taking and returning vectors was not always inlined by C2 of JDK 17 (too
            // large for a call it judged cold), and its vectors then went through the boxed Java fallbacks
            float[][] im0 = images[first];
            float[][] im1 = images[first + 1];
            DoubleVector prev = (DoubleVector) FloatVector.fromArray(F, im0[0], from + c)
                    .convertShape(VectorOperators.F2D, D, 0);
            if (im0.length > 1) {
                for (int u = 1; u < im0.length; u++) {
                    prev = prev.add((DoubleVector) FloatVector.fromArray(F, im0[u], from + c)
                            .convertShape(VectorOperators.F2D, D, 0));
                }
                prev = prev.div(im0.length);
            }
            prev = prev.sub(a1.mul(x[first]).add(a0));
            DoubleVector cur = (DoubleVector) FloatVector.fromArray(F, im1[0], from + c)
                    .convertShape(VectorOperators.F2D, D, 0);
            if (im1.length > 1) {
                for (int u = 1; u < im1.length; u++) {
                    cur = cur.add((DoubleVector) FloatVector.fromArray(F, im1[u], from + c)
                            .convertShape(VectorOperators.F2D, D, 0));
                }
                cur = cur.div(im1.length);
            }
            cur = cur.sub(a1.mul(x[first + 1]).add(a0));
            // a lane without a positive jump has no edge (its energy stays NaN)
            VectorMask<Double> positive = j.compare(VectorOperators.GT, 0.0);
            VectorMask<Double> take = prev.compare(VectorOperators.LT, h)
                    .and(cur.compare(VectorOperators.GE, h))
                    .and(positive)
                    .and(h.sub(prev).mul(firstDe).compare(VectorOperators.GE, cur.sub(prev).mul(loRel)));
            DoubleVector zero = DoubleVector.zero(D);
            DoubleVector recPrev = zero.blend(prev, take);
            DoubleVector recCur = zero.blend(cur, take);
            DoubleVector recE0 = DoubleVector.broadcast(D, Double.NaN).blend(firstE0, take);
            // recDe: 0 while searching, de > 0 once found, 1 for a lane without a positive jump
            DoubleVector recDe = DoubleVector.broadcast(D, 1.0).blend(zero, positive).blend(firstDe, take);
            prev = cur;
            // every lane has its first crossing. A lane reduction, not a mask test: in some runs C2 of JDK 17
            // compiled anyTrue() here after a class_check trap as a boxed fallback.
            for (int d = first + 2; d <= last && recDe.reduceLanes(VectorOperators.MIN) <= 0.0; d++) {
                float[][] im = images[d];
                cur = (DoubleVector) FloatVector.fromArray(F, im[0], from + c).convertShape(VectorOperators.F2D, D, 0);
                if (im.length > 1) {
                    for (int u = 1; u < im.length; u++) {
                        cur = cur.add((DoubleVector) FloatVector.fromArray(F, im[u], from + c)
                                .convertShape(VectorOperators.F2D, D, 0));
                    }
                    cur = cur.div(im.length);
                }
                cur = cur.sub(a1.mul(x[d]).add(a0));
                double e0 = ev[d - 1];
                // recDe is never NaN: LE is "not found yet"
                VectorMask<Double> crossed = prev.compare(VectorOperators.LT, h)
                        .and(cur.compare(VectorOperators.GE, h))
                        .and(recDe.compare(VectorOperators.LE, 0.0));
                recPrev = recPrev.blend(prev, crossed);
                recCur = recCur.blend(cur, crossed);
                recE0 = recE0.blend(e0, crossed);
                recDe = recDe.blend(ev[d] - e0, crossed);
                prev = cur;
            }
            // a crossing of the last pair not below hi: none (e0 NaN gives NaN). Two blends, not a mask
            // andNot: AbstractMask.andNot is not force-inlined, and this late in the method C2 of JDK 17 left
            // it a call on boxed masks (NodeCountInliningCutoff), 14 % of a snapshot's samples.
            VectorMask<Double> lastPair = recE0.compare(VectorOperators.EQ, lastE0);
            VectorMask<Double> belowHi = h.sub(recPrev).mul(recDe).compare(VectorOperators.LE,
                    recCur.sub(recPrev).mul(hiRel));
            recE0 = recE0.blend(Double.NaN, lastPair).blend(recE0, belowHi);
            DoubleVector pn = recPrev.div(j);
            DoubleVector vn = recCur.div(j);
            DoubleVector.broadcast(D, 0.5).sub(pn).div(vn.sub(pn)).mul(recDe).add(recE0).intoArray(edge, c);
        }
        Convert.crossingScanPlain(images, x, ev, lo, hi, from, c0, c1, jump, edge, c, len);
    }

    /**
     * {@code coef = G⁻¹ b} and {@code proj = coefᵀ b} for three accumulator planes read in place at
     * {@code from} (no scratch copies): each sum from 0 in the plain pass's order, separate multiply and
     * add, so the same bits. Vector-length part only; returns where the caller's plain loop goes on.
     */
    static int polynomial3(double[][] b, int from, double[] gi, double[][] coef, double[] proj, int len) {
        double[] b0 = b[0];
        double[] b1 = b[1];
        double[] b2 = b[2];
        double[] k0 = coef[0];
        double[] k1 = coef[1];
        double[] k2 = coef[2];
        int bound = D.loopBound(len);
        for (int c = 0; c < bound; c += D.length()) {
            DoubleVector x0 = DoubleVector.fromArray(D, b0, from + c);
            DoubleVector x1 = DoubleVector.fromArray(D, b1, from + c);
            DoubleVector x2 = DoubleVector.fromArray(D, b2, from + c);
            DoubleVector zero = DoubleVector.zero(D);
            DoubleVector c0 = zero.add(x0.mul(gi[0])).add(x1.mul(gi[1])).add(x2.mul(gi[2]));
            DoubleVector c1 = zero.add(x0.mul(gi[3])).add(x1.mul(gi[4])).add(x2.mul(gi[5]));
            DoubleVector c2 = zero.add(x0.mul(gi[6])).add(x1.mul(gi[7])).add(x2.mul(gi[8]));
            c0.intoArray(k0, c);
            c1.intoArray(k1, c);
            c2.intoArray(k2, c);
            zero.add(c0.mul(x0)).add(c1.mul(x1)).add(c2.mul(x2)).intoArray(proj, c);
        }
        return bound;
    }

    /** {@link #polynomial3} for four planes. */
    static int polynomial4(double[][] b, int from, double[] gi, double[][] coef, double[] proj, int len) {
        double[] b0 = b[0];
        double[] b1 = b[1];
        double[] b2 = b[2];
        double[] b3 = b[3];
        double[] k0 = coef[0];
        double[] k1 = coef[1];
        double[] k2 = coef[2];
        double[] k3 = coef[3];
        int bound = D.loopBound(len);
        for (int c = 0; c < bound; c += D.length()) {
            DoubleVector x0 = DoubleVector.fromArray(D, b0, from + c);
            DoubleVector x1 = DoubleVector.fromArray(D, b1, from + c);
            DoubleVector x2 = DoubleVector.fromArray(D, b2, from + c);
            DoubleVector x3 = DoubleVector.fromArray(D, b3, from + c);
            DoubleVector zero = DoubleVector.zero(D);
            DoubleVector c0 = zero.add(x0.mul(gi[0])).add(x1.mul(gi[1])).add(x2.mul(gi[2])).add(x3.mul(gi[3]));
            DoubleVector c1 = zero.add(x0.mul(gi[4])).add(x1.mul(gi[5])).add(x2.mul(gi[6])).add(x3.mul(gi[7]));
            DoubleVector c2 = zero.add(x0.mul(gi[8])).add(x1.mul(gi[9])).add(x2.mul(gi[10])).add(x3.mul(gi[11]));
            DoubleVector c3 = zero.add(x0.mul(gi[12])).add(x1.mul(gi[13])).add(x2.mul(gi[14])).add(x3.mul(gi[15]));
            c0.intoArray(k0, c);
            c1.intoArray(k1, c);
            c2.intoArray(k2, c);
            c3.intoArray(k3, c);
            zero.add(c0.mul(x0)).add(c1.mul(x1)).add(c2.mul(x2)).add(c3.mul(x3)).intoArray(proj, c);
        }
        return bound;
    }

    /**
     * Vector body of {@link Convert#edgeLines}: the same operations in the same order, planes read in place.
     * Returns where the caller's plain loop goes on.
     */
    static int edgeLines(double[] pre0, double[] pre1, double[] preS, double[] post0, double[] post1, int from,
                         double[] q, double[] c0Out, double[] c1Out, double[] sdOut, double[] jumpOut, int len) {
        double g00 = q[0];
        double g01 = q[1];
        double g11 = q[2];
        double invDof = q[3];
        double h00 = q[4];
        double h01 = q[5];
        int bound = D.loopBound(len);
        for (int c = 0; c < bound; c += D.length()) {
            int i = from + c;
            DoubleVector b0 = DoubleVector.fromArray(D, pre0, i);
            DoubleVector b1 = DoubleVector.fromArray(D, pre1, i);
            DoubleVector c0 = b0.mul(g00).add(b1.mul(g01));
            DoubleVector c1 = b0.mul(g01).add(b1.mul(g11));
            DoubleVector rss = DoubleVector.fromArray(D, preS, i).sub(c0.mul(b0).add(c1.mul(b1)));
            c0.intoArray(c0Out, c);
            c1.intoArray(c1Out, c);
            rss.max(0.0).mul(invDof).sqrt().intoArray(sdOut, c);
            DoubleVector post = DoubleVector.fromArray(D, post0, i).mul(h00)
                    .add(DoubleVector.fromArray(D, post1, i).mul(h01));
            // SpectrumEstimators.edgeJump: 0 within rounding of the larger line value, else the difference
            DoubleVector d = post.sub(c0);
            DoubleVector a = d.abs();
            VectorMask<Double> zero = a.compare(VectorOperators.LT, Double.POSITIVE_INFINITY)
                    .and(a.compare(VectorOperators.LE, post.abs().max(c0.abs()).mul(SpectrumEstimators.JUMP_RESOLUTION)));
            d.blend(0.0, zero).intoArray(jumpOut, c);
        }
        return bound;
    }

    /**
     * Vector body of {@link Convert#quadraticVertex} (vertex and height; the error is {@link #quadraticError}):
     * the same operations in the same order. Invalid lanes become NaN by adding NaN. Kept
     * short: in a longer kernel C2 of JDK 17 sometimes ran out of its node budget before the last store,
     * which then fell back to a slow boxed Java implementation.
     */
    static void quadraticVertex(double[][] coef, double[] q, double[][] maps, double[] x0, int len) {
        double[] c0 = coef[0];
        double[] c1 = coef[1];
        double[] c2 = coef[2];
        double[] ev = maps[0];
        double[] height = maps[1];
        double mid = q[0];
        double half = q[1];
        double lo = q[2];
        double hi = q[3];
        int bound = D.loopBound(len);
        for (int c = 0; c < bound; c += D.length()) {
            DoubleVector a1 = DoubleVector.fromArray(D, c1, c);
            DoubleVector a2 = DoubleVector.fromArray(D, c2, c);
            DoubleVector x = a1.neg().div(a2.mul(2.0));
            x.intoArray(x0, c);
            DoubleVector e = x.mul(half).add(mid);
            DoubleVector h = DoubleVector.fromArray(D, c0, c).add(x.mul(a1.add(a2.mul(x))));
            VectorMask<Double> valid = a2.compare(VectorOperators.LT, 0.0)
                    .and(e.compare(VectorOperators.GE, lo))
                    .and(e.compare(VectorOperators.LE, hi));
            DoubleVector bad = DoubleVector.broadcast(D, Double.NaN).blend(DoubleVector.zero(D), valid);
            e.add(bad).intoArray(ev, c);
            h.add(bad).intoArray(height, c);
        }
        Convert.quadraticVertexPlain(coef, q, maps, x0, bound, len);
    }

    /** Vector body of {@link Convert#quadraticError}: the same operations in the same order. */
    static void quadraticError(double[] c2, double[] s, double[] proj, double[] q, double[][] maps, double[] x0,
                               int len) {
        double[] ev = maps[0];
        double[] sigma = maps[2];
        double half = q[1];
        double g11 = q[4];
        double g12 = q[5];
        double g22 = q[6];
        double invDof = q[7];
        int bound = D.loopBound(len);
        for (int c = 0; c < bound; c += D.length()) {
            DoubleVector sigma2 = DoubleVector.fromArray(D, s, c).sub(DoubleVector.fromArray(D, proj, c))
                    .max(0.0).mul(invDof);
            DoubleVector d1 = DoubleVector.broadcast(D, -1.0).div(DoubleVector.fromArray(D, c2, c).mul(2.0));
            DoubleVector d2 = d1.mul(2.0).mul(DoubleVector.fromArray(D, x0, c));
            DoubleVector var = sigma2.mul(d1.mul(d1).mul(g11).add(d1.mul(2.0).mul(d2).mul(g12))
                    .add(d2.mul(d2).mul(g22)));
            DoubleVector e = DoubleVector.fromArray(D, ev, c);
            var.sqrt().mul(half).add(e.sub(e)).intoArray(sigma, c);
        }
        Convert.quadraticErrorPlain(c2, s, proj, q, maps, x0, bound, len);
    }

    /**
     * Vector body of {@link Convert#subsetStep} for a subset of 2 columns (no reference: always feasible): the
     * weights and the projection in registers, then the {@link #keepBest} choice, in one pass. One short loop
     * per column count: a longer kernel with both was compiled by C2 of JDK 17 with boxed vectors in some
     * runs. Returns where the caller's plain loop goes on.
     */
    static int subsetStep2(double[][] b, double[] gi, double[] s, double resolution, int sub, double[] bestProj,
                           double[] bestSub, int len) {
        double[] b0 = b[0];
        double[] b1 = b[1];
        int bound = D.loopBound(len);
        for (int c = 0; c < bound; c += D.length()) {
            DoubleVector x0 = DoubleVector.fromArray(D, b0, c);
            DoubleVector x1 = DoubleVector.fromArray(D, b1, c);
            DoubleVector zero = DoubleVector.zero(D);
            DoubleVector c0 = zero.add(x0.mul(gi[0])).add(x1.mul(gi[1]));
            DoubleVector c1 = zero.add(x0.mul(gi[2])).add(x1.mul(gi[3]));
            DoubleVector proj = zero.add(c0.mul(x0)).add(c1.mul(x1));
            DoubleVector bp = DoubleVector.fromArray(D, bestProj, c);
            DoubleVector bs = DoubleVector.fromArray(D, bestSub, c);
            DoubleVector bar = DoubleVector.fromArray(D, s, c).mul(resolution).add(bp);
            VectorMask<Double> better = bs.compare(VectorOperators.LT, 0.0).or(proj.compare(VectorOperators.GT, bar));
            bp.blend(proj, better).intoArray(bestProj, c);
            bs.blend(DoubleVector.broadcast(D, sub), better).intoArray(bestSub, c);
        }
        return bound;
    }

    /** {@link #subsetStep2} for 3 columns: one reference, feasible where its weight is not negative. */
    static int subsetStep3(double[][] b, double[] gi, double[] s, double resolution, int sub, double[] bestProj,
                           double[] bestSub, int len) {
        double[] b0 = b[0];
        double[] b1 = b[1];
        double[] b2 = b[2];
        int bound = D.loopBound(len);
        for (int c = 0; c < bound; c += D.length()) {
            DoubleVector x0 = DoubleVector.fromArray(D, b0, c);
            DoubleVector x1 = DoubleVector.fromArray(D, b1, c);
            DoubleVector x2 = DoubleVector.fromArray(D, b2, c);
            DoubleVector zero = DoubleVector.zero(D);
            DoubleVector c0 = zero.add(x0.mul(gi[0])).add(x1.mul(gi[1])).add(x2.mul(gi[2]));
            DoubleVector c1 = zero.add(x0.mul(gi[3])).add(x1.mul(gi[4])).add(x2.mul(gi[5]));
            DoubleVector c2 = zero.add(x0.mul(gi[6])).add(x1.mul(gi[7])).add(x2.mul(gi[8]));
            DoubleVector proj = zero.add(c0.mul(x0)).add(c1.mul(x1)).add(c2.mul(x2));
            DoubleVector bp = DoubleVector.fromArray(D, bestProj, c);
            DoubleVector bs = DoubleVector.fromArray(D, bestSub, c);
            DoubleVector bar = DoubleVector.fromArray(D, s, c).mul(resolution).add(bp);
            VectorMask<Double> better = c0.compare(VectorOperators.GE, 0.0)
                    .and(bs.compare(VectorOperators.LT, 0.0).or(proj.compare(VectorOperators.GT, bar)));
            bp.blend(proj, better).intoArray(bestProj, c);
            bs.blend(DoubleVector.broadcast(D, sub), better).intoArray(bestSub, c);
        }
        return bound;
    }

    /** Vector body of {@link Convert#keepBest}: the choice as lane masks, the update by blends. */
    static void keepBest(double[] minC, double[] proj, double[] s, double resolution, int sub, double[] bestProj,
                         double[] bestSub, int len) {
        int c = 0;
        int bound = D.loopBound(len);
        for (; c < bound; c += D.length()) {
            DoubleVector p = DoubleVector.fromArray(D, proj, c);
            DoubleVector bp = DoubleVector.fromArray(D, bestProj, c);
            DoubleVector bs = DoubleVector.fromArray(D, bestSub, c);
            DoubleVector bar = DoubleVector.fromArray(D, s, c).mul(resolution).add(bp);
            VectorMask<Double> better = DoubleVector.fromArray(D, minC, c).compare(VectorOperators.GE, 0.0)
                    .and(bs.compare(VectorOperators.LT, 0.0).or(p.compare(VectorOperators.GT, bar)));
            bp.blend(p, better).intoArray(bestProj, c);
            bs.blend(DoubleVector.broadcast(D, sub), better).intoArray(bestSub, c);
        }
        Convert.keepBestPlain(minC, proj, s, resolution, sub, bestProj, bestSub, c, len);
    }

    /**
     * Vector body of {@link MapStatistics.Moments#storeTrusted}: two running sums per lane (even and odd
     * vectors), the count too (as lane sums of 0/1: {@code VectorMask.trueCount} is not intrinsified for
     * double masks on JDK 17 and boxes the mask into a boolean array).
     */
    static long storeShiftedSums(double[] v, float[] dst, int to, double[] trusted, double k, int len, double[] sums) {
        // two sets of lane sums: the additions of consecutive vectors do not wait for each other
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = DoubleVector.zero(D);
        DoubleVector s2 = DoubleVector.zero(D);
        DoubleVector t0 = DoubleVector.zero(D);
        DoubleVector t1 = DoubleVector.zero(D);
        DoubleVector t2 = DoubleVector.zero(D);
        int c = 0;
        int step = D.length();
        int pairs = len - len % (2 * step);
        for (; c < pairs; c += 2 * step) {
            DoubleVector x = DoubleVector.fromArray(D, v, c);
            DoubleVector y = DoubleVector.fromArray(D, v, c + step);
            FloatVector xf = (FloatVector) x.convertShape(VectorOperators.D2F, F, 0);
            FloatVector yf = (FloatVector) y.convertShape(VectorOperators.D2F, F, 0);
            xf.intoArray(dst, to + c);
            yf.intoArray(dst, to + c + step);
            VectorMask<Double> okX = DoubleVector.fromArray(D, trusted, c).compare(VectorOperators.NE, 0.0)
                    .and(x.abs().compare(VectorOperators.LE, Double.MAX_VALUE));
            VectorMask<Double> okY = DoubleVector.fromArray(D, trusted, c + step).compare(VectorOperators.NE, 0.0)
                    .and(y.abs().compare(VectorOperators.LE, Double.MAX_VALUE));
            DoubleVector zero = DoubleVector.zero(D);
            DoubleVector one = DoubleVector.broadcast(D, 1.0);
            DoubleVector dx = zero.blend(((DoubleVector) xf.convertShape(VectorOperators.F2D, D, 0)).sub(k), okX);
            DoubleVector dy = zero.blend(((DoubleVector) yf.convertShape(VectorOperators.F2D, D, 0)).sub(k), okY);
            s0 = s0.add(zero.blend(one, okX));
            t0 = t0.add(zero.blend(one, okY));
            s1 = s1.add(dx);
            t1 = t1.add(dy);
            s2 = s2.add(dx.mul(dx));
            t2 = t2.add(dy.mul(dy));
        }
        int bound = D.loopBound(len);
        for (; c < bound; c += step) {
            DoubleVector x = DoubleVector.fromArray(D, v, c);
            FloatVector xf = (FloatVector) x.convertShape(VectorOperators.D2F, F, 0);
            xf.intoArray(dst, to + c);
            VectorMask<Double> ok = DoubleVector.fromArray(D, trusted, c).compare(VectorOperators.NE, 0.0)
                    .and(x.abs().compare(VectorOperators.LE, Double.MAX_VALUE));
            DoubleVector zero = DoubleVector.zero(D);
            DoubleVector d = zero.blend(((DoubleVector) xf.convertShape(VectorOperators.F2D, D, 0)).sub(k), ok);
            s0 = s0.add(zero.blend(DoubleVector.broadcast(D, 1.0), ok));
            s1 = s1.add(d);
            s2 = s2.add(d.mul(d));
        }
        long cn = (long) s0.add(t0).reduceLanes(VectorOperators.ADD);
        double sum1 = s1.add(t1).reduceLanes(VectorOperators.ADD);
        double sum2 = s2.add(t2).reduceLanes(VectorOperators.ADD);
        cn += MapStatistics.storeShiftedSumsPlain(v, dst, to, trusted, k, c, len, sums);
        sums[0] += sum1;
        sums[1] += sum2;
        return cn;
    }
}
