package org.xanestream.processor.fit;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** Vector API bodies of {@link Convert}; loaded only when the incubator module is present. */
final class VectorConvert {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F =
            VectorSpecies.of(float.class, VectorShape.forBitSize(D.length() * Float.SIZE));

    private VectorConvert() {
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
}
