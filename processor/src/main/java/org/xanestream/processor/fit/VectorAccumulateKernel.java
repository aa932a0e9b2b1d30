package org.xanestream.processor.fit;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API body of {@link AccumulateKernel#accumulateRegion}; loaded only when the incubator module is
 * present.
 *
 * <p>Two vectors of pixels at a time, so that each plane has two independent addition chains (an
 * addition's latency is longer than its issue interval); a region's square plane and up to four of its
 * linear planes share one pass over the images (4 × 2 + 2 = 10 accumulator registers of the 16 of AVX2),
 * further linear planes take one pass each. Every update is {@link VectorConvert#madd}, as in
 * {@link Convert#axpy} and {@link Convert#addSquares} and the scalar loop ({@link Convert#madd}): the same bits.
 * Pixels left over after the pairs of vectors go through {@link AccumulateKernel#regionPlain}.
 *
 * <p>Stateless, thread safe for disjoint pixel ranges, allocation-free once compiled.
 */
final class VectorAccumulateKernel {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.length() * Float.SIZE));
    private static final int L = D.length();

    private VectorAccumulateKernel() {
    }

    static void region(float[] packed, AccumulateKernel.RegionBatch batch, int p0, int len) {
        int terms = batch.terms;
        int done;
        int grouped;
        if (terms >= 2) {
            grouped = Math.min(4, terms);
            double[][] b = batch.b;
            done = switch (grouped) {
                case 2 -> lin2s(packed, batch, b[0], b[1], p0, len);
                case 3 -> lin3s(packed, batch, b[0], b[1], b[2], p0, len);
                default -> lin4s(packed, batch, b[0], b[1], b[2], b[3], p0, len);
            };
        } else {
            grouped = 0;
            done = square(packed, batch, p0, len);
        }
        AccumulateKernel.regionPlain(packed, batch, 0, grouped, true, p0, done, len);
        for (int t = grouped; t < terms; t++) {
            int c = linear(packed, batch, t, p0, len);
            AccumulateKernel.regionPlain(packed, batch, t, t + 1, false, p0, c, len);
        }
    }

    private static DoubleVector load(float[] packed, int off) {
        return (DoubleVector) FloatVector.fromArray(F, packed, off).convertShape(VectorOperators.F2D, D, 0);
    }

    /** @return the first block pixel not done */
    private static int lin4s(float[] x, AccumulateKernel.RegionBatch batch, double[] b0, double[] b1, double[] b2,
                             double[] b3, int p0, int len) {
        int n = batch.n;
        int terms = batch.terms;
        int[] rowOff = batch.rowOff;
        double[] w = batch.w;
        double[] s = batch.s;
        int c = 0;
        for (; c + 2 * L <= len; c += 2 * L) {
            int p = p0 + c;
            DoubleVector a0 = DoubleVector.fromArray(D, b0, p);
            DoubleVector a1 = DoubleVector.fromArray(D, b1, p);
            DoubleVector a2 = DoubleVector.fromArray(D, b2, p);
            DoubleVector a3 = DoubleVector.fromArray(D, b3, p);
            DoubleVector as = DoubleVector.fromArray(D, s, p);
            DoubleVector e0 = DoubleVector.fromArray(D, b0, p + L);
            DoubleVector e1 = DoubleVector.fromArray(D, b1, p + L);
            DoubleVector e2 = DoubleVector.fromArray(D, b2, p + L);
            DoubleVector e3 = DoubleVector.fromArray(D, b3, p + L);
            DoubleVector es = DoubleVector.fromArray(D, s, p + L);
            for (int j = 0, q = 0; j < n; j++, q += terms) {
                int o = rowOff[j] + c;
                DoubleVector m = load(x, o);
                DoubleVector u = load(x, o + L);
                DoubleVector w0 = DoubleVector.broadcast(D, w[q]);
                DoubleVector w1 = DoubleVector.broadcast(D, w[q + 1]);
                DoubleVector w2 = DoubleVector.broadcast(D, w[q + 2]);
                DoubleVector w3 = DoubleVector.broadcast(D, w[q + 3]);
                a0 = VectorConvert.madd(m, w0, a0);
                e0 = VectorConvert.madd(u, w0, e0);
                a1 = VectorConvert.madd(m, w1, a1);
                e1 = VectorConvert.madd(u, w1, e1);
                a2 = VectorConvert.madd(m, w2, a2);
                e2 = VectorConvert.madd(u, w2, e2);
                a3 = VectorConvert.madd(m, w3, a3);
                e3 = VectorConvert.madd(u, w3, e3);
                as = VectorConvert.madd(m, m, as);
                es = VectorConvert.madd(u, u, es);
            }
            a0.intoArray(b0, p);
            a1.intoArray(b1, p);
            a2.intoArray(b2, p);
            a3.intoArray(b3, p);
            as.intoArray(s, p);
            e0.intoArray(b0, p + L);
            e1.intoArray(b1, p + L);
            e2.intoArray(b2, p + L);
            e3.intoArray(b3, p + L);
            es.intoArray(s, p + L);
        }
        return c;
    }

    private static int lin3s(float[] x, AccumulateKernel.RegionBatch batch, double[] b0, double[] b1, double[] b2,
                             int p0, int len) {
        int n = batch.n;
        int terms = batch.terms;
        int[] rowOff = batch.rowOff;
        double[] w = batch.w;
        double[] s = batch.s;
        int c = 0;
        for (; c + 2 * L <= len; c += 2 * L) {
            int p = p0 + c;
            DoubleVector a0 = DoubleVector.fromArray(D, b0, p);
            DoubleVector a1 = DoubleVector.fromArray(D, b1, p);
            DoubleVector a2 = DoubleVector.fromArray(D, b2, p);
            DoubleVector as = DoubleVector.fromArray(D, s, p);
            DoubleVector e0 = DoubleVector.fromArray(D, b0, p + L);
            DoubleVector e1 = DoubleVector.fromArray(D, b1, p + L);
            DoubleVector e2 = DoubleVector.fromArray(D, b2, p + L);
            DoubleVector es = DoubleVector.fromArray(D, s, p + L);
            for (int j = 0, q = 0; j < n; j++, q += terms) {
                int o = rowOff[j] + c;
                DoubleVector m = load(x, o);
                DoubleVector u = load(x, o + L);
                DoubleVector w0 = DoubleVector.broadcast(D, w[q]);
                DoubleVector w1 = DoubleVector.broadcast(D, w[q + 1]);
                DoubleVector w2 = DoubleVector.broadcast(D, w[q + 2]);
                a0 = VectorConvert.madd(m, w0, a0);
                e0 = VectorConvert.madd(u, w0, e0);
                a1 = VectorConvert.madd(m, w1, a1);
                e1 = VectorConvert.madd(u, w1, e1);
                a2 = VectorConvert.madd(m, w2, a2);
                e2 = VectorConvert.madd(u, w2, e2);
                as = VectorConvert.madd(m, m, as);
                es = VectorConvert.madd(u, u, es);
            }
            a0.intoArray(b0, p);
            a1.intoArray(b1, p);
            a2.intoArray(b2, p);
            as.intoArray(s, p);
            e0.intoArray(b0, p + L);
            e1.intoArray(b1, p + L);
            e2.intoArray(b2, p + L);
            es.intoArray(s, p + L);
        }
        return c;
    }

    private static int lin2s(float[] x, AccumulateKernel.RegionBatch batch, double[] b0, double[] b1, int p0,
                             int len) {
        int n = batch.n;
        int terms = batch.terms;
        int[] rowOff = batch.rowOff;
        double[] w = batch.w;
        double[] s = batch.s;
        int c = 0;
        for (; c + 2 * L <= len; c += 2 * L) {
            int p = p0 + c;
            DoubleVector a0 = DoubleVector.fromArray(D, b0, p);
            DoubleVector a1 = DoubleVector.fromArray(D, b1, p);
            DoubleVector as = DoubleVector.fromArray(D, s, p);
            DoubleVector e0 = DoubleVector.fromArray(D, b0, p + L);
            DoubleVector e1 = DoubleVector.fromArray(D, b1, p + L);
            DoubleVector es = DoubleVector.fromArray(D, s, p + L);
            for (int j = 0, q = 0; j < n; j++, q += terms) {
                int o = rowOff[j] + c;
                DoubleVector m = load(x, o);
                DoubleVector u = load(x, o + L);
                DoubleVector w0 = DoubleVector.broadcast(D, w[q]);
                DoubleVector w1 = DoubleVector.broadcast(D, w[q + 1]);
                a0 = VectorConvert.madd(m, w0, a0);
                e0 = VectorConvert.madd(u, w0, e0);
                a1 = VectorConvert.madd(m, w1, a1);
                e1 = VectorConvert.madd(u, w1, e1);
                as = VectorConvert.madd(m, m, as);
                es = VectorConvert.madd(u, u, es);
            }
            a0.intoArray(b0, p);
            a1.intoArray(b1, p);
            as.intoArray(s, p);
            e0.intoArray(b0, p + L);
            e1.intoArray(b1, p + L);
            es.intoArray(s, p + L);
        }
        return c;
    }

    /** One linear plane (term t) alone: for the terms beyond the first four. */
    private static int linear(float[] x, AccumulateKernel.RegionBatch batch, int t, int p0, int len) {
        int n = batch.n;
        int terms = batch.terms;
        int[] rowOff = batch.rowOff;
        double[] w = batch.w;
        double[] b = batch.b[t];
        int c = 0;
        for (; c + 2 * L <= len; c += 2 * L) {
            int p = p0 + c;
            DoubleVector a = DoubleVector.fromArray(D, b, p);
            DoubleVector e = DoubleVector.fromArray(D, b, p + L);
            for (int j = 0, q = t; j < n; j++, q += terms) {
                int o = rowOff[j] + c;
                double wt = w[q];
                DoubleVector wv = DoubleVector.broadcast(D, wt);
                a = VectorConvert.madd(load(x, o), wv, a);
                e = VectorConvert.madd(load(x, o + L), wv, e);
            }
            a.intoArray(b, p);
            e.intoArray(b, p + L);
        }
        return c;
    }

    /** The square plane alone: for regions with fewer than two linear terms. */
    private static int square(float[] x, AccumulateKernel.RegionBatch batch, int p0, int len) {
        int n = batch.n;
        int[] rowOff = batch.rowOff;
        double[] s = batch.s;
        int c = 0;
        for (; c + 2 * L <= len; c += 2 * L) {
            int p = p0 + c;
            DoubleVector a = DoubleVector.fromArray(D, s, p);
            DoubleVector e = DoubleVector.fromArray(D, s, p + L);
            for (int j = 0; j < n; j++) {
                int o = rowOff[j] + c;
                DoubleVector m = load(x, o);
                DoubleVector u = load(x, o + L);
                a = VectorConvert.madd(m, m, a);
                e = VectorConvert.madd(u, u, e);
            }
            a.intoArray(s, p);
            e.intoArray(s, p + L);
        }
        return c;
    }
}
