package org.xanestream.simulators.detector;

import java.util.SplittableRandom;

/**
 * The static detector and beam maps, drawn once from a seed, and the slow beam variations.
 *
 * <ul>
 *   <li>{@link #offsetAdu()}: dark offset per pixel (mean plus a fixed pattern);</li>
 *   <li>{@link #hotAdu()}: extra dark signal of hot pixels (0 elsewhere), Poisson distributed per frame;</li>
 *   <li>{@link #beamPattern()}: relative beam profile (Gaussian-like envelope × condenser rings ×
 *   horizontal stripes, about 1 at the centre); it moves by up to {@code beamShiftPx} with energy;</li>
 *   <li>{@link #dust()}: multiplicative dark spots fixed on the detector.</li>
 * </ul>
 * The open-beam photon mean at pixel i and energy E, time t is
 * {@code counts · flux(E) · timeFactor(t) · dust[i] · beamPattern(i shifted by beamShift(E))}.
 *
 * <p>Immutable after construction, thread safe; maps are shared, never modified.
 */
public final class DetectorModel {
    private final DetectorConfig config;
    private final int width;
    private final int height;
    private final double edgeEv;
    private final float[] offset;
    private final float[] hot;
    private final float[] beam;
    private final float[] dust;
    private final double fluxPhase;
    private final double shiftPhaseX;
    private final double shiftPhaseY;
    private final double timePhase;

    /** Period of the slow energy dependence of flux and beam position, eV. */
    private static final double FLUX_PERIOD_EV = 500;
    private static final double SHIFT_PERIOD_EV = 350;

    public DetectorModel(DetectorConfig cfg, int width, int height, double edgeEv, long seed) {
        this.config = cfg;
        this.width = width;
        this.height = height;
        this.edgeEv = edgeEv;
        SplittableRandom rnd = new SplittableRandom(seed);
        SplittableRandom darkRnd = rnd.split();
        SplittableRandom beamRnd = rnd.split();
        SplittableRandom dustRnd = rnd.split();
        SplittableRandom slowRnd = rnd.split();
        int n = width * height;
        offset = new float[n];
        hot = new float[n];
        for (int i = 0; i < n; i++) {
            offset[i] = (float) Math.max(0, cfg.darkOffsetAdu() + cfg.darkPatternSdAdu() * gaussian(darkRnd));
        }
        long hotCount = Math.round(cfg.hotPixelFraction() * n);
        for (long k = 0; k < hotCount; k++) {
            int i = darkRnd.nextInt(n);
            hot[i] = (float) (100 + darkRnd.nextDouble() * (cfg.hotPixelMaxAdu() - 100));
        }
        beam = beamPattern(cfg, width, height, beamRnd);
        dust = dustMap(cfg, width, height, dustRnd);
        fluxPhase = slowRnd.nextDouble() * 2 * Math.PI;
        shiftPhaseX = slowRnd.nextDouble() * 2 * Math.PI;
        shiftPhaseY = slowRnd.nextDouble() * 2 * Math.PI;
        timePhase = slowRnd.nextDouble() * 2 * Math.PI;
    }

    static double gaussian(SplittableRandom r) {
        double u1 = r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2 * StrictMath.log(1 - u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    private static float[] beamPattern(DetectorConfig cfg, int width, int height, SplittableRandom rnd) {
        float[] p = new float[width * height];
        double cx = width * (0.5 + 0.05 * (rnd.nextDouble() - 0.5));
        double cy = height * (0.5 + 0.05 * (rnd.nextDouble() - 0.5));
        // Gaussian envelope whose value at the image corners is 1 - falloff
        double falloff = cfg.envelopeFalloff();
        double kappa = falloff > 0 ? Math.sqrt(-1 / (4 * StrictMath.log(1 - falloff))) : Double.POSITIVE_INFINITY;
        double sx = width * kappa;
        double sy = height * kappa;
        double ringCx = width * (0.5 + 0.2 * (rnd.nextDouble() - 0.5));
        double ringCy = height * (0.5 + 0.2 * (rnd.nextDouble() - 0.5));
        double[] ringPeriod = {cfg.ringPeriodRel() * width, cfg.ringPeriodRel() * width * 0.61,
                cfg.ringPeriodRel() * width * 0.37};
        double[] ringWeight = {0.6, 0.3, 0.1};
        double[] ringPhase = {rnd.nextDouble() * 2 * Math.PI, rnd.nextDouble() * 2 * Math.PI, rnd.nextDouble() * 2 * Math.PI};
        double stripePeriod = cfg.stripePeriodRel() * height;
        double stripePhase = rnd.nextDouble() * 2 * Math.PI;
        // fine random stripes: a smoothed random sequence over the rows
        double[] fine = new double[height];
        double a = 0;
        double sumSq = 0;
        for (int y = 0; y < height; y++) {
            a = 0.8 * a + 0.2 * gaussian(rnd);
            fine[y] = a;
            sumSq += a * a;
        }
        double fineNorm = sumSq > 0 ? 1 / Math.sqrt(sumSq / height) : 0;
        for (int y = 0; y < height; y++) {
            double dy = y - cy;
            double stripe = 1 + cfg.stripeAmplitude() * (0.7 * StrictMath.sin(2 * Math.PI * y / stripePeriod + stripePhase)
                    + 0.3 * fine[y] * fineNorm);
            double ry2 = (y - ringCy) * (y - ringCy);
            for (int x = 0; x < width; x++) {
                double dx = x - cx;
                double env = Double.isInfinite(sx) ? 1 : StrictMath.exp(-(dx * dx / (2 * sx * sx) + dy * dy / (2 * sy * sy)));
                double r = Math.sqrt((x - ringCx) * (x - ringCx) + ry2);
                double ring = 0;
                for (int k = 0; k < 3; k++) {
                    ring += ringWeight[k] * StrictMath.cos(2 * Math.PI * r / ringPeriod[k] + ringPhase[k]);
                }
                p[y * width + x] = (float) (env * (1 + cfg.ringAmplitude() * ring) * stripe);
            }
        }
        return p;
    }

    private static float[] dustMap(DetectorConfig cfg, int width, int height, SplittableRandom rnd) {
        float[] d = new float[width * height];
        java.util.Arrays.fill(d, 1f);
        long count = Math.round(cfg.dustPerMegapixel() * width * (double) height / 1e6);
        for (long k = 0; k < count; k++) {
            double cx = rnd.nextDouble() * width;
            double cy = rnd.nextDouble() * height;
            double sigma = 1.0 + rnd.nextDouble() * 3.0;
            double depth = rnd.nextDouble() * cfg.dustMaxDepth();
            int reach = (int) Math.ceil(3 * sigma);
            for (int y = Math.max(0, (int) cy - reach); y <= Math.min(height - 1, (int) cy + reach); y++) {
                for (int x = Math.max(0, (int) cx - reach); x <= Math.min(width - 1, (int) cx + reach); x++) {
                    double r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                    d[y * width + x] *= (float) (1 - depth * StrictMath.exp(-r2 / (2 * sigma * sigma)));
                }
            }
        }
        return d;
    }

    public DetectorConfig config() {
        return config;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Dark offset per pixel, ADU (shared, do not modify). */
    public float[] offsetAdu() {
        return offset;
    }

    /** Mean extra dark signal of hot pixels, ADU, 0 elsewhere (shared, do not modify). */
    public float[] hotAdu() {
        return hot;
    }

    /** Relative beam profile, before its energy-dependent shift (shared, do not modify). */
    public float[] beamPattern() {
        return beam;
    }

    /** Multiplicative detector dust (shared, do not modify). */
    public float[] dust() {
        return dust;
    }

    /** Read-noise variance, ADU². */
    public double readNoiseVariance() {
        return config.readNoiseAdu() * config.readNoiseAdu();
    }

    /** Relative flux at energy {@code eV}: slow, within 1 ± fluxVariation. */
    public double flux(double eV) {
        return 1 + config.fluxVariation() * StrictMath.sin(2 * Math.PI * (eV - edgeEv) / FLUX_PERIOD_EV + fluxPhase);
    }

    /** Displacement of the beam pattern along x at energy {@code eV}, pixels. */
    public double beamShiftXPx(double eV) {
        return config.beamShiftPx() * StrictMath.sin(2 * Math.PI * (eV - edgeEv) / SHIFT_PERIOD_EV + shiftPhaseX);
    }

    /** Displacement of the beam pattern along y at energy {@code eV}, pixels. */
    public double beamShiftYPx(double eV) {
        return config.beamShiftPx() * StrictMath.sin(2 * Math.PI * (eV - edgeEv) / SHIFT_PERIOD_EV + shiftPhaseY);
    }

    /** Relative flux at simulated time {@code tS} (slow variation of the source), within 1 ± beamTimeVariation. */
    public double timeFactor(double tS) {
        return 1 + config.beamTimeVariation() * StrictMath.sin(2 * Math.PI * tS / config.beamTimePeriodS() + timePhase);
    }
}
