package org.xanestream.simulators.spectra;

import org.xanestream.processor.spectra.ReferenceSpectra;
import org.xanestream.processor.spectra.ReferenceSpectrum;
import org.xanestream.simulators.phantom.PhantomConfig;

/**
 * The noiseless absorbance of a pixel:
 * <pre>
 *   mu(E) = J·T·(f·ox(E) + (1−f)·red(E)) + J·T·m·(E/E0)^−p + S·(E/E0)^−p
 *         = cA(E)·A + cT(E)·T + cS(E)·S
 * </pre>
 * with {@code T = Σρt} (dense thickness, µm), {@code A = Σρtf} (its oxidized part), {@code S} the support
 * absorbance at E0, {@code J} the edge jump per µm, {@code m} the matrix pre-edge ratio, {@code ox}/{@code red}
 * the edge-normalized references as natural splines. So {@code cA = J·(ox − red)},
 * {@code cT = J·(red + m·g)}, {@code cS = g}, {@code g = (E/E0)^−p}: three multiply-adds per pixel and energy.
 *
 * <p>Immutable and thread safe; evaluation does not allocate.
 */
public final class SpectralModel {
    private final SmoothSpectrum reduced;
    private final SmoothSpectrum oxidized;
    private final double edgeEv;
    private final double jumpPerUm;
    private final double matrixRatio;
    private final double exponent;

    /**
     * @param reduced  reduced-state reference (edge-normalized here if it is not yet)
     * @param oxidized oxidized-state reference (likewise)
     * @param edgeEv   E0 of the smooth background term, eV
     */
    public SpectralModel(ReferenceSpectrum reduced, ReferenceSpectrum oxidized, double edgeEv, PhantomConfig sample) {
        this.reduced = new SmoothSpectrum(ReferenceSpectra.normalized(reduced));
        this.oxidized = new SmoothSpectrum(ReferenceSpectra.normalized(oxidized));
        this.edgeEv = edgeEv;
        this.jumpPerUm = sample.edgeJumpPerUm();
        this.matrixRatio = sample.matrixPreEdgeRatio();
        this.exponent = sample.absorptionExponent();
    }

    public SmoothSpectrum reduced() {
        return reduced;
    }

    public SmoothSpectrum oxidized() {
        return oxidized;
    }

    public double edgeEv() {
        return edgeEv;
    }

    /** Edge jump in mu per µm of dense material. */
    public double jumpPerUm() {
        return jumpPerUm;
    }

    /** The edge-normalized mixture {@code f·ox(E) + (1−f)·red(E)} (0 before, about 1 after the edge). */
    public double mixture(double f, double eV) {
        return f * oxidized.valueAt(eV) + (1 - f) * reduced.valueAt(eV);
    }

    /** The smooth non-resonant decay {@code (E/E0)^−p}. */
    public double background(double eV) {
        return StrictMath.pow(eV / edgeEv, -exponent);
    }

    /** {@code cA(E)}: mu per µm of oxidized dense material beyond the reduced state. */
    public double coefficientOxidized(double eV) {
        return jumpPerUm * (oxidized.valueAt(eV) - reduced.valueAt(eV));
    }

    /** {@code cT(E)}: mu per µm of dense material in the reduced state, with the matrix background. */
    public double coefficientDense(double eV) {
        return jumpPerUm * (reduced.valueAt(eV) + matrixRatio * background(eV));
    }

    /** {@code cS(E)}: mu per unit of support absorbance at E0. */
    public double coefficientSupport(double eV) {
        return background(eV);
    }

    /**
     * mu of one pixel.
     *
     * @param denseUm    T = Σρt, µm
     * @param oxDenseUm  A = Σρtf, µm
     * @param supportMu  S, support absorbance at E0
     */
    public double mu(double denseUm, double oxDenseUm, double supportMu, double eV) {
        return coefficientOxidized(eV) * oxDenseUm + coefficientDense(eV) * denseUm + coefficientSupport(eV) * supportMu;
    }

    /**
     * The energy of the maximum of the mixture for fraction {@code f} inside {@code [loEv, hiEv]}, sampled
     * every {@code stepEv} and refined by a parabola through the best sample and its neighbours; NaN if
     * the maximum lies on the window boundary (the peak is outside the window).
     */
    public double densePeakEv(double f, double loEv, double hiEv, double stepEv) {
        int n = (int) Math.floor((hiEv - loEv) / stepEv + 1e-9) + 1;
        int best = 0;
        double bestV = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            double v = mixture(f, loEv + k * stepEv);
            if (v > bestV) {
                bestV = v;
                best = k;
            }
        }
        if (best == 0 || best == n - 1) {
            return Double.NaN;
        }
        double ym = mixture(f, loEv + (best - 1) * stepEv);
        double yp = mixture(f, loEv + (best + 1) * stepEv);
        double denom = ym - 2 * bestV + yp;
        double off = denom < 0 ? 0.5 * (ym - yp) / denom : 0;
        return loEv + (best + off) * stepEv;
    }

    /**
     * The first energy inside {@code [loEv, hiEv]} where the mixture for fraction {@code f} rises through
     * 0.5, sampled every {@code stepEv} and refined by bisection; NaN if it does not cross there.
     */
    public double denseHalfCrossingEv(double f, double loEv, double hiEv, double stepEv) {
        int n = (int) Math.floor((hiEv - loEv) / stepEv + 1e-9) + 1;
        double prev = mixture(f, loEv);
        if (prev >= 0.5) {
            return Double.NaN;
        }
        for (int k = 1; k < n; k++) {
            double e = loEv + k * stepEv;
            double v = mixture(f, e);
            if (v >= 0.5) {
                double a = e - stepEv;
                double b = e;
                for (int it = 0; it < 40; it++) {
                    double mid = 0.5 * (a + b);
                    if (mixture(f, mid) >= 0.5) {
                        b = mid;
                    } else {
                        a = mid;
                    }
                }
                return 0.5 * (a + b);
            }
        }
        return Double.NaN;
    }
}
