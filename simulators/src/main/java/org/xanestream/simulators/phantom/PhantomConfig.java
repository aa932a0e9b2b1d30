package org.xanestream.simulators.phantom;

/**
 * The simulated sample: a field of cathode secondary particles (ellipsoids), their oxidized-Ni fraction
 * (core–shell gradient, nanodomains, particle-to-particle variation), how it evolves while charging
 * (operando), and how thickness turns into absorbance.
 *
 * <p>Absorbance model: {@code mu(E) = J·Σρt·(f·ref_ox(E) + (1−f)·ref_red(E)) + J·Σρt·m·(E/E0)^−p
 * + support·(E/E0)^−p}, where {@code t} is the geometric thickness of a particle through the pixel,
 * {@code ρ} its relative density, {@code J} = {@code edgeJumpPerUm}, {@code m} = {@code matrixPreEdgeRatio}.
 *
 * @param coverage            projected particle area over field-of-view area, before overlap (0..3)
 * @param minDiameterUm       smallest particle diameter, µm (diameters are log-uniform)
 * @param maxDiameterUm       largest particle diameter, µm
 * @param maxAspect           largest ratio of the in-plane semi-axes (1 = circles)
 * @param minDensity          smallest relative packing density; densities are uniform in [minDensity, 1]
 * @param edgeJumpPerUm       Ni K-edge jump in mu per µm of fully dense particle (dense LiNiO2 is about
 *                            0.08; the default 0.15 gives particle edge jumps of about 0.3–1.5)
 * @param matrixPreEdgeRatio  pre-edge absorbance of the particle (other elements, Ni below its edge) per unit edge jump, at E0
 * @param absorptionExponent  p of the smooth {@code (E/E0)^−p} decay of the non-resonant absorption
 * @param supportMu           mean absorbance of the cell/support background at E0 (moves with the sample)
 * @param supportVariation    relative spatial variation of the support background (0..1)
 * @param fractionLo          lowest oxidized fraction drawn for particle cores and shells
 * @param fractionHi          highest oxidized fraction drawn for particle cores and shells
 * @param domainDensityPerUm2 nanodomains per µm² of field of view
 * @param domainMinSizeUm     smallest nanodomain radius (Gaussian sigma), µm
 * @param domainMaxSizeUm     largest nanodomain radius, µm
 * @param domainAmplitude     largest fraction change inside a nanodomain (sign random)
 * @param chargedFractionLo   lowest fraction a particle reaches when fully charged (up to 1)
 * @param inactiveFraction    share of particles that do not charge at all (0..1)
 * @param onsetSpread         charging onsets are uniform in [0, onsetSpread] of the series time
 * @param minDurationRel      shortest time for a charging front to cross a particle, in series time
 * @param maxDurationRel      longest such time
 * @param frontWidth          width of the shrinking-core charging front, in particle radii
 * @param chargeStart         series time (0..1) of the first scan; the static state is time 0
 * @param chargeEnd           series time of the last scan
 */
public record PhantomConfig(double coverage, double minDiameterUm, double maxDiameterUm, double maxAspect,
                            double minDensity, double edgeJumpPerUm, double matrixPreEdgeRatio,
                            double absorptionExponent, double supportMu, double supportVariation,
                            double fractionLo, double fractionHi, double domainDensityPerUm2,
                            double domainMinSizeUm, double domainMaxSizeUm, double domainAmplitude,
                            double chargedFractionLo, double inactiveFraction, double onsetSpread,
                            double minDurationRel, double maxDurationRel, double frontWidth,
                            double chargeStart, double chargeEnd) {
    public PhantomConfig {
        range(coverage, 0, 3, "coverage");
        range(minDiameterUm, 0.01, 1000, "minDiameterUm");
        range(maxDiameterUm, minDiameterUm, 1000, "maxDiameterUm (>= minDiameterUm)");
        range(maxAspect, 1, 10, "maxAspect");
        range(minDensity, 0.01, 1, "minDensity");
        range(edgeJumpPerUm, 0, 100, "edgeJumpPerUm");
        range(matrixPreEdgeRatio, 0, 10, "matrixPreEdgeRatio");
        range(absorptionExponent, 0, 5, "absorptionExponent");
        range(supportMu, 0, 10, "supportMu");
        range(supportVariation, 0, 1, "supportVariation");
        range(fractionLo, 0, 1, "fractionLo");
        range(fractionHi, fractionLo, 1, "fractionHi (>= fractionLo)");
        range(domainDensityPerUm2, 0, 100, "domainDensityPerUm2");
        range(domainMinSizeUm, 0.001, 100, "domainMinSizeUm");
        range(domainMaxSizeUm, domainMinSizeUm, 100, "domainMaxSizeUm (>= domainMinSizeUm)");
        range(domainAmplitude, 0, 1, "domainAmplitude");
        range(chargedFractionLo, 0, 1, "chargedFractionLo");
        range(inactiveFraction, 0, 1, "inactiveFraction");
        range(onsetSpread, 0, 1, "onsetSpread");
        range(minDurationRel, 0.001, 100, "minDurationRel");
        range(maxDurationRel, minDurationRel, 100, "maxDurationRel (>= minDurationRel)");
        range(frontWidth, 0.001, 2, "frontWidth");
        range(chargeStart, 0, 1, "chargeStart");
        range(chargeEnd, 0, 1, "chargeEnd");
    }

    private static void range(double v, double lo, double hi, String name) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }

    /** Particles of 1–10 µm covering 35% of the view, edge jump 0.15/µm, heterogeneous fractions 0.1–0.9, charging to ≥ 0.85. */
    public static PhantomConfig defaults() {
        return new PhantomConfig(0.35, 1, 10, 1.4, 0.75, 0.15, 0.12, 2.8, 0.05, 0.3,
                0.1, 0.9, 0.4, 0.05, 0.25, 0.15,
                0.85, 0.15, 0.5, 0.3, 0.8, 0.2, 0.0, 1.0);
    }

    /**
     * Uniform particles: every pixel of every particle has the same oxidized fraction {@code f}, no
     * domains, no charging. Useful for tests of spectral shapes.
     */
    public PhantomConfig withUniformFraction(double f) {
        return new PhantomConfig(coverage, minDiameterUm, maxDiameterUm, maxAspect, minDensity, edgeJumpPerUm,
                matrixPreEdgeRatio, absorptionExponent, supportMu, supportVariation, f, f, domainDensityPerUm2,
                domainMinSizeUm, domainMaxSizeUm, 0.0, chargedFractionLo, 1.0, onsetSpread, minDurationRel,
                maxDurationRel, frontWidth, 0.0, 0.0);
    }

    public PhantomConfig withCoverage(double v) {
        return new PhantomConfig(v, minDiameterUm, maxDiameterUm, maxAspect, minDensity, edgeJumpPerUm,
                matrixPreEdgeRatio, absorptionExponent, supportMu, supportVariation, fractionLo, fractionHi,
                domainDensityPerUm2, domainMinSizeUm, domainMaxSizeUm, domainAmplitude, chargedFractionLo,
                inactiveFraction, onsetSpread, minDurationRel, maxDurationRel, frontWidth, chargeStart, chargeEnd);
    }

    public PhantomConfig withDiametersUm(double min, double max) {
        return new PhantomConfig(coverage, min, max, maxAspect, minDensity, edgeJumpPerUm,
                matrixPreEdgeRatio, absorptionExponent, supportMu, supportVariation, fractionLo, fractionHi,
                domainDensityPerUm2, domainMinSizeUm, domainMaxSizeUm, domainAmplitude, chargedFractionLo,
                inactiveFraction, onsetSpread, minDurationRel, maxDurationRel, frontWidth, chargeStart, chargeEnd);
    }

    public PhantomConfig withEdgeJumpPerUm(double v) {
        return new PhantomConfig(coverage, minDiameterUm, maxDiameterUm, maxAspect, minDensity, v,
                matrixPreEdgeRatio, absorptionExponent, supportMu, supportVariation, fractionLo, fractionHi,
                domainDensityPerUm2, domainMinSizeUm, domainMaxSizeUm, domainAmplitude, chargedFractionLo,
                inactiveFraction, onsetSpread, minDurationRel, maxDurationRel, frontWidth, chargeStart, chargeEnd);
    }

    public PhantomConfig withCharge(double start, double end) {
        return new PhantomConfig(coverage, minDiameterUm, maxDiameterUm, maxAspect, minDensity, edgeJumpPerUm,
                matrixPreEdgeRatio, absorptionExponent, supportMu, supportVariation, fractionLo, fractionHi,
                domainDensityPerUm2, domainMinSizeUm, domainMaxSizeUm, domainAmplitude, chargedFractionLo,
                inactiveFraction, onsetSpread, minDurationRel, maxDurationRel, frontWidth, start, end);
    }

    public PhantomConfig withBackground(double newSupportMu, double newMatrixPreEdgeRatio) {
        return new PhantomConfig(coverage, minDiameterUm, maxDiameterUm, maxAspect, minDensity, edgeJumpPerUm,
                newMatrixPreEdgeRatio, absorptionExponent, newSupportMu, supportVariation, fractionLo, fractionHi,
                domainDensityPerUm2, domainMinSizeUm, domainMaxSizeUm, domainAmplitude, chargedFractionLo,
                inactiveFraction, onsetSpread, minDurationRel, maxDurationRel, frontWidth, chargeStart, chargeEnd);
    }
}
