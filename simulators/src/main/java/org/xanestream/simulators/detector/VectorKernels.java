package org.xanestream.simulators.detector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The per-energy expectation kernel with the Vector API (SIMD exp and sqrt: several times faster than
 * {@link Math#exp} per pixel). Loaded only when the {@code jdk.incubator.vector} module is present;
 * {@link ScalarKernels} computes bit-identical values otherwise. The exponential is
 * {@link ScalarKernels#exp} lane by lane (IEEE basic operations only), not the Vector API's EXP, whose
 * last bits differ between its Java fallback and the compiled intrinsic and would make frames depend
 * on JIT timing.
 *
 * <p>Stateless, thread safe, no allocation.
 */
final class VectorKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorKernels() {
    }

    /** {@link ScalarKernels#exp} on every lane, the same operations in the same order. */
    static FloatVector exp(FloatVector x) {
        FloatVector a = x.max(ScalarKernels.EXP_MIN_ARG).min(ScalarKernels.EXP_MAX_ARG);
        FloatVector shifted = a.mul(ScalarKernels.LOG2E).add(ScalarKernels.ROUND_MAGIC);
        FloatVector k = shifted.sub(ScalarKernels.ROUND_MAGIC);
        IntVector ki = shifted.reinterpretAsInts().sub(ScalarKernels.ROUND_MAGIC_BITS);
        FloatVector r = a.sub(k.mul(ScalarKernels.LN2_HI)).sub(k.mul(ScalarKernels.LN2_LO));
        FloatVector p = r.mul(ScalarKernels.C7).add(ScalarKernels.C6);
        p = r.mul(p).add(ScalarKernels.C5);
        p = r.mul(p).add(ScalarKernels.C4);
        p = r.mul(p).add(ScalarKernels.C3);
        p = r.mul(p).add(ScalarKernels.C2);
        p = r.mul(p).add(1f);
        p = r.mul(p).add(1f);
        return p.reinterpretAsInts().add(ki.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
    }

    /** See {@link ScalarKernels#expectationRow}. */
    static boolean expectationRow(float[] muRow, float[] relRow, float[] off, float[] hot, int base, int width,
                                  float sampleScale, float flatScale, float readVar,
                                  float[] sampleMean, float[] sampleSd, float[] flatMean, float[] flatSd) {
        boolean small = false;
        int x = 0;
        int bound = F.loopBound(width);
        for (; x < bound; x += F.length()) {
            int i = base + x;
            FloatVector mu = FloatVector.fromArray(F, muRow, x);
            FloatVector rel = FloatVector.fromArray(F, relRow, x);
            FloatVector h = FloatVector.fromArray(F, hot, i);
            FloatVector o = FloatVector.fromArray(F, off, i);
            FloatVector t = exp(mu.neg());
            FloatVector lamS = rel.mul(sampleScale).mul(t).add(h);
            FloatVector lamF = rel.mul(flatScale).add(h);
            o.add(lamS).intoArray(sampleMean, i);
            lamS.add(readVar).sqrt().intoArray(sampleSd, i);
            o.add(lamF).intoArray(flatMean, i);
            lamF.add(readVar).sqrt().intoArray(flatSd, i);
            VectorMask<Float> m = lamS.compare(VectorOperators.LT, NoiseRenderer.EXACT_POISSON_BELOW)
                    .or(lamF.compare(VectorOperators.LT, NoiseRenderer.EXACT_POISSON_BELOW));
            if (m.anyTrue()) {
                small = true;
            }
        }
        if (x < width) {
            small |= ScalarKernels.expectationRange(muRow, relRow, off, hot, base, x, width, sampleScale, flatScale,
                    readVar, sampleMean, sampleSd, flatMean, flatSd);
        }
        return small;
    }
}
