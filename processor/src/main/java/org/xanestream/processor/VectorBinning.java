package org.xanestream.processor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API body of the 2×2 case of {@link ImageBinning}; loaded only when the incubator module is present
 * (the binning's size arithmetic is used where it is not).
 */
final class VectorBinning {
    // Constant vectors are made inside the loop (C2 hoists them): one made before a loop reaches an
    // on-stack-replacement compilation of it as an untyped object, and the JDK 17 intrinsics then fall back to
    // slow boxed Java code.

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Two source pixels per output lane: twice the lanes of {@link #D}, the same bits. */
    private static final VectorSpecies<Float> F2 = VectorSpecies.of(float.class, D.vectorShape());
    /** One float per output lane. */
    private static final VectorSpecies<Float> F1 =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.length() * Float.SIZE));
    /** Even lanes (left pixels of the pairs) first, then odd lanes (right pixels). */
    private static final VectorShuffle<Float> EVEN_ODD =
            VectorShuffle.fromOp(F2, i -> i < D.length() ? 2 * i : 2 * (i - D.length()) + 1);

    private VectorBinning() {
    }

    /**
     * The full 2×2 blocks of source rows {@code r0} and {@code r1} into output row {@code out}, as many as fill
     * whole vectors: a block's non-NaN sum (in double, in the plain loop's order) over its count, the canonical
     * NaN for an all-NaN block.
     *
     * @return the first output pixel not done
     */
    static int pairRows(float[] src, int r0, int r1, int width, float[] dst, int out) {
        int lanes = D.length();
        int ox = 0;
        for (; ox + lanes <= width / 2; ox += lanes) {
            FloatVector top = FloatVector.fromArray(F2, src, r0 + 2 * ox).rearrange(EVEN_ODD);
            FloatVector bottom = FloatVector.fromArray(F2, src, r1 + 2 * ox).rearrange(EVEN_ODD);
            DoubleVector a = (DoubleVector) top.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector b = (DoubleVector) top.convertShape(VectorOperators.F2D, D, 1);
            DoubleVector c = (DoubleVector) bottom.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector d = (DoubleVector) bottom.convertShape(VectorOperators.F2D, D, 1);
            VectorMask<Double> va = a.compare(VectorOperators.EQ, a);
            VectorMask<Double> vb = b.compare(VectorOperators.EQ, b);
            VectorMask<Double> vc = c.compare(VectorOperators.EQ, c);
            VectorMask<Double> vd = d.compare(VectorOperators.EQ, d);
            DoubleVector zero = DoubleVector.zero(D);
            DoubleVector one = DoubleVector.broadcast(D, 1.0);
            DoubleVector sum = zero.blend(a, va).add(zero.blend(b, vb)).add(zero.blend(c, vc)).add(zero.blend(d, vd));
            DoubleVector n = zero.blend(one, va).add(zero.blend(one, vb)).add(zero.blend(one, vc)).add(zero.blend(one, vd));
            // an all-NaN block: NaN (the canonical one, as the plain loop; 0/0 gives another bit pattern)
            DoubleVector mean = sum.div(n).blend(Double.NaN, n.compare(VectorOperators.EQ, 0.0));
            ((FloatVector) mean.convertShape(VectorOperators.D2F, F1, 0)).intoArray(dst, out + ox);
        }
        return ox;
    }
}
