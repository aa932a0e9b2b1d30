package org.xanestream.simulators.detector;

/**
 * The detector and beam: open-beam counts with Poisson noise, a dark offset with read noise and hot
 * pixels, and a structured flat field that varies slowly with energy and time. Pixels are uint16 ADU
 * at a gain of 1 ADU per detected photon; values above 65535 saturate.
 *
 * @param openBeamCounts     mean photon counts per pixel per frame in the open beam at the centre, 1..1e6
 * @param darkOffsetAdu      mean dark offset, ADU
 * @param darkPatternSdAdu   pixel-to-pixel spread of the dark offset (fixed pattern), ADU
 * @param readNoiseAdu       read noise, ADU rms
 * @param hotPixelFraction   share of hot pixels (0..0.01)
 * @param hotPixelMaxAdu     largest extra dark signal of a hot pixel per frame, ADU (they draw 100..max, Poisson)
 * @param envelopeFalloff    relative intensity drop from the centre of the beam to the image corners (0..0.95)
 * @param ringAmplitude      relative amplitude of the condenser ring structure
 * @param ringPeriodRel      period of the main ring, as a fraction of the image width
 * @param stripeAmplitude    relative amplitude of the horizontal stripe structure
 * @param stripePeriodRel    period of the main stripe, as a fraction of the image height
 * @param dustPerMegapixel   dark spots (scintillator dust, fixed on the detector) per 10^6 pixels
 * @param dustMaxDepth       largest relative depth of a dust spot
 * @param beamShiftPx        largest displacement of the beam pattern as the energy changes, pixels
 * @param fluxVariation      relative change of the flux across the energy range (slow in energy)
 * @param beamTimeVariation  relative amplitude of the slow variation of the flux in time
 * @param beamTimePeriodS    period of that variation, seconds
 */
public record DetectorConfig(double openBeamCounts, double darkOffsetAdu, double darkPatternSdAdu, double readNoiseAdu,
                             double hotPixelFraction, double hotPixelMaxAdu, double envelopeFalloff,
                             double ringAmplitude, double ringPeriodRel, double stripeAmplitude, double stripePeriodRel,
                             double dustPerMegapixel, double dustMaxDepth, double beamShiftPx, double fluxVariation,
                             double beamTimeVariation, double beamTimePeriodS) {
    public DetectorConfig {
        range(openBeamCounts, 1, 1e6, "openBeamCounts");
        range(darkOffsetAdu, 0, 60000, "darkOffsetAdu");
        range(darkPatternSdAdu, 0, 1000, "darkPatternSdAdu");
        range(readNoiseAdu, 0, 1000, "readNoiseAdu");
        range(hotPixelFraction, 0, 0.01, "hotPixelFraction");
        range(hotPixelMaxAdu, 100, 65535, "hotPixelMaxAdu");
        range(envelopeFalloff, 0, 0.95, "envelopeFalloff");
        range(ringAmplitude, 0, 0.5, "ringAmplitude");
        range(ringPeriodRel, 0.001, 10, "ringPeriodRel");
        range(stripeAmplitude, 0, 0.5, "stripeAmplitude");
        range(stripePeriodRel, 0.001, 10, "stripePeriodRel");
        range(dustPerMegapixel, 0, 10000, "dustPerMegapixel");
        range(dustMaxDepth, 0, 0.9, "dustMaxDepth");
        range(beamShiftPx, 0, 100, "beamShiftPx");
        range(fluxVariation, 0, 0.5, "fluxVariation");
        range(beamTimeVariation, 0, 0.5, "beamTimeVariation");
        range(beamTimePeriodS, 0.001, 1e7, "beamTimePeriodS");
    }

    private static void range(double v, double lo, double hi, String name) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }

    /**
     * 20000 open-beam counts, dark offset 100 ± 2 ADU, read noise 2 ADU, 2·10⁻⁵ hot pixels up to 4000 ADU,
     * 35% envelope fall-off, 3% rings, 2% stripes, 20 dust spots per megapixel, 1.5 px beam shift, 6% flux
     * change over energy, 0.4% slow flux change in time (period 90 s).
     */
    public static DetectorConfig defaults() {
        return new DetectorConfig(20000, 100, 2, 2, 2e-5, 4000, 0.35, 0.03, 0.05, 0.02, 0.07, 20, 0.15, 1.5, 0.06,
                0.004, 90);
    }

    public DetectorConfig withOpenBeamCounts(double v) {
        return new DetectorConfig(v, darkOffsetAdu, darkPatternSdAdu, readNoiseAdu, hotPixelFraction, hotPixelMaxAdu,
                envelopeFalloff, ringAmplitude, ringPeriodRel, stripeAmplitude, stripePeriodRel, dustPerMegapixel,
                dustMaxDepth, beamShiftPx, fluxVariation, beamTimeVariation, beamTimePeriodS);
    }

    public DetectorConfig withReadNoiseAdu(double v) {
        return new DetectorConfig(openBeamCounts, darkOffsetAdu, darkPatternSdAdu, v, hotPixelFraction, hotPixelMaxAdu,
                envelopeFalloff, ringAmplitude, ringPeriodRel, stripeAmplitude, stripePeriodRel, dustPerMegapixel,
                dustMaxDepth, beamShiftPx, fluxVariation, beamTimeVariation, beamTimePeriodS);
    }

    public DetectorConfig withHotPixelFraction(double v) {
        return new DetectorConfig(openBeamCounts, darkOffsetAdu, darkPatternSdAdu, readNoiseAdu, v, hotPixelMaxAdu,
                envelopeFalloff, ringAmplitude, ringPeriodRel, stripeAmplitude, stripePeriodRel, dustPerMegapixel,
                dustMaxDepth, beamShiftPx, fluxVariation, beamTimeVariation, beamTimePeriodS);
    }

    /** A flat, perfectly uniform beam constant in energy and time (for tests that isolate noise). */
    public DetectorConfig withUniformBeam() {
        return new DetectorConfig(openBeamCounts, darkOffsetAdu, darkPatternSdAdu, readNoiseAdu, hotPixelFraction,
                hotPixelMaxAdu, 0, 0, ringPeriodRel, 0, stripePeriodRel, 0, dustMaxDepth, 0, 0, 0, beamTimePeriodS);
    }
}
