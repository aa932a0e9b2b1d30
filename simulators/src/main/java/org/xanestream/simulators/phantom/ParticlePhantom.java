package org.xanestream.simulators.phantom;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded field of cathode secondary particles rasterized onto the image grid (pixel {@code (x, y)}
 * centred at coordinates {@code (x, y)}, row-major {@code i = y*width + x}).
 *
 * <p>Maps (float, row-major, owned by the phantom, never modified after construction):
 * <ul>
 *   <li>{@link #thicknessUm()}: geometric thickness through all particles, µm;</li>
 *   <li>{@link #denseUm()}: density-weighted thickness {@code Σ ρ·t}, µm of fully dense material
 *   (the Ni edge jump is {@code edgeJumpPerUm · denseUm});</li>
 *   <li>{@link #supportMu()}: absorbance of the cell/support background at the edge energy.</li>
 * </ul>
 * Where particles overlap their absorbances add, so the oxidized fraction of a pixel is the
 * density-weighted mean of the particles' fractions: {@code f = Σρtf / Σρt}
 * ({@link #oxidizedDenseUm(double, float[])} gives the numerator).
 *
 * <p>Immutable after construction and thread safe; the map methods write into caller-owned arrays.
 */
public final class ParticlePhantom {
    private static final double MIN_GRADIENT_EXPONENT = 1.5;
    private static final double MAX_GRADIENT_EXPONENT = 4.0;

    private final PhantomConfig config;
    private final int width;
    private final int height;
    private final double pixelSizeUm;
    private final List<Particle> particles;
    private final float[] thicknessUm;
    private final float[] denseUm;
    private final float[] domains;
    private final float[] supportMu;

    private ParticlePhantom(PhantomConfig config, int width, int height, double pixelSizeUm, List<Particle> particles,
                            float[] domains, float[] supportMu) {
        this.config = config;
        this.width = width;
        this.height = height;
        this.pixelSizeUm = pixelSizeUm;
        this.particles = particles;
        this.domains = domains;
        this.supportMu = supportMu;
        this.thicknessUm = new float[width * height];
        this.denseUm = new float[width * height];
        for (Particle p : particles) {
            rasterizeThickness(p);
        }
    }

    /**
     * Draws and rasterizes a phantom. Allocates the maps (a few float arrays of {@code width·height}).
     *
     * @param seed the same seed and arguments always give the same phantom
     */
    public static ParticlePhantom generate(PhantomConfig cfg, int width, int height, double pixelSizeUm, long seed) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("phantom size must be positive, got " + width + "x" + height);
        }
        if (!(pixelSizeUm > 0)) {
            throw new IllegalArgumentException("pixelSizeUm must be > 0, got " + pixelSizeUm);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        SplittableRandom particleRnd = rnd.split();
        SplittableRandom domainRnd = rnd.split();
        SplittableRandom supportRnd = rnd.split();

        double fovUm2 = width * pixelSizeUm * height * pixelSizeUm;
        double dMin = cfg.minDiameterUm();
        double dMax = cfg.maxDiameterUm();
        // mean of d² for log-uniform diameters
        double meanD2 = dMax > dMin ? (dMax * dMax - dMin * dMin) / (2 * StrictMath.log(dMax / dMin)) : dMin * dMin;
        long count = Math.round(cfg.coverage() * fovUm2 / (Math.PI / 4 * meanD2));
        if (cfg.coverage() > 0 && count < 1) {
            count = 1;
        }
        if (count > 1_000_000) {
            throw new IllegalArgumentException("phantom would hold " + count + " particles (> 1e6): raise the pixel size or"
                    + " the particle diameters, or lower the coverage");
        }
        List<Particle> ps = new ArrayList<>((int) count);
        for (long k = 0; k < count; k++) {
            double d = dMax > dMin ? dMin * StrictMath.exp(particleRnd.nextDouble() * StrictMath.log(dMax / dMin)) : dMin;
            double aspect = 1 + particleRnd.nextDouble() * (cfg.maxAspect() - 1);
            double major = d / 2 * Math.sqrt(aspect) / pixelSizeUm;
            double minor = d / 2 / Math.sqrt(aspect) / pixelSizeUm;
            double cx = particleRnd.nextDouble() * width;
            double cy = particleRnd.nextDouble() * height;
            double angle = particleRnd.nextDouble() * Math.PI;
            double halfDepthUm = Math.sqrt(major * minor) * pixelSizeUm;
            double density = cfg.minDensity() + particleRnd.nextDouble() * (1 - cfg.minDensity());
            double fCore = uniform(particleRnd, cfg.fractionLo(), cfg.fractionHi());
            double fShell = uniform(particleRnd, cfg.fractionLo(), cfg.fractionHi());
            double gradient = uniform(particleRnd, MIN_GRADIENT_EXPONENT, MAX_GRADIENT_EXPONENT);
            double fCharged = uniform(particleRnd, cfg.chargedFractionLo(), 1.0);
            boolean inactive = particleRnd.nextDouble() < cfg.inactiveFraction();
            double onset = uniform(particleRnd, 0, cfg.onsetSpread());
            double duration = uniform(particleRnd, cfg.minDurationRel(), cfg.maxDurationRel());
            ps.add(new Particle(cx, cy, major, minor, angle, halfDepthUm, density, fCore, fShell, gradient, fCharged,
                    inactive ? Double.POSITIVE_INFINITY : onset, duration));
        }
        float[] domains = domainField(cfg, width, height, pixelSizeUm, fovUm2, domainRnd);
        float[] support = supportField(cfg, width, height, supportRnd);
        return new ParticlePhantom(cfg, width, height, pixelSizeUm, Collections.unmodifiableList(ps), domains, support);
    }

    private static double uniform(SplittableRandom r, double lo, double hi) {
        return hi > lo ? lo + r.nextDouble() * (hi - lo) : lo;
    }

    private static float[] domainField(PhantomConfig cfg, int width, int height, double pixelSizeUm, double fovUm2,
                                       SplittableRandom rnd) {
        float[] d = new float[width * height];
        if (cfg.domainAmplitude() <= 0) {
            return d;
        }
        long count = Math.round(cfg.domainDensityPerUm2() * fovUm2);
        for (long k = 0; k < count; k++) {
            double cx = rnd.nextDouble() * width;
            double cy = rnd.nextDouble() * height;
            double sigmaPx = uniform(rnd, cfg.domainMinSizeUm(), cfg.domainMaxSizeUm()) / pixelSizeUm;
            double amp = (rnd.nextBoolean() ? 1 : -1) * uniform(rnd, 0.5, 1.0) * cfg.domainAmplitude();
            double reach = 3 * sigmaPx + 1;
            int x0 = Math.max(0, (int) Math.floor(cx - reach));
            int x1 = Math.min(width - 1, (int) Math.ceil(cx + reach));
            int y0 = Math.max(0, (int) Math.floor(cy - reach));
            int y1 = Math.min(height - 1, (int) Math.ceil(cy + reach));
            double inv2s2 = 1.0 / (2 * sigmaPx * sigmaPx);
            for (int y = y0; y <= y1; y++) {
                double dy = y - cy;
                for (int x = x0; x <= x1; x++) {
                    double dx = x - cx;
                    d[y * width + x] += (float) (amp * StrictMath.exp(-(dx * dx + dy * dy) * inv2s2));
                }
            }
        }
        return d;
    }

    private static float[] supportField(PhantomConfig cfg, int width, int height, SplittableRandom rnd) {
        final int waves = 4;
        double[] kx = new double[waves];
        double[] ky = new double[waves];
        double[] phase = new double[waves];
        for (int k = 0; k < waves; k++) {
            kx[k] = uniform(rnd, -1.5, 1.5) * 2 * Math.PI / width;
            ky[k] = uniform(rnd, -1.5, 1.5) * 2 * Math.PI / height;
            phase[k] = rnd.nextDouble() * 2 * Math.PI;
        }
        float[] s = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double g = 0;
                for (int k = 0; k < waves; k++) {
                    g += StrictMath.cos(kx[k] * x + ky[k] * y + phase[k]);
                }
                s[y * width + x] = (float) (cfg.supportMu() * (1 + cfg.supportVariation() * g / waves));
            }
        }
        return s;
    }

    private void rasterizeThickness(Particle p) {
        Raster r = new Raster(p, width, height);
        for (int y = r.y0; y <= r.y1; y++) {
            for (int x = r.x0; x <= r.x1; x++) {
                double q = r.q(x, y);
                if (q < 1) {
                    double t = 2 * p.halfDepthUm() * Math.sqrt(1 - q);
                    int i = y * width + x;
                    thicknessUm[i] += (float) t;
                    denseUm[i] += (float) (t * p.density());
                }
            }
        }
    }

    /**
     * The numerator of the oxidized fraction at series time {@code tau}: {@code Σ ρ·t·f} (µm).
     *
     * @param tau series time, 0 = the static state, 1 = end of charging
     * @param out {@code width·height} floats; overwritten
     */
    public void oxidizedDenseUm(double tau, float[] out) {
        checkMap(out);
        java.util.Arrays.fill(out, 0f);
        for (Particle p : particles) {
            Raster r = new Raster(p, width, height);
            double progress = Double.isInfinite(p.chargeOnset()) ? 0
                    : Math.min(1, Math.max(0, (tau - p.chargeOnset()) / p.chargeDuration()));
            double w = config.frontWidth();
            double front = (1 + w / 2) - progress * (1 + w);
            boolean charging = progress > 0;
            double dShell = p.fractionShell() - p.fractionCore();
            for (int y = r.y0; y <= r.y1; y++) {
                for (int x = r.x0; x <= r.x1; x++) {
                    double q = r.q(x, y);
                    if (q < 1) {
                        int i = y * width + x;
                        double radius = Math.sqrt(q);
                        double f = p.fractionCore() + dShell * StrictMath.pow(radius, p.gradientExponent()) + domains[i];
                        f = f < 0 ? 0 : (f > 1 ? 1 : f);
                        if (charging) {
                            double c = smoothstep((radius - front) / w + 0.5);
                            f += (p.fractionCharged() - f) * c;
                        }
                        double t = 2 * p.halfDepthUm() * Math.sqrt(1 - q) * p.density();
                        out[i] += (float) (t * f);
                    }
                }
            }
        }
    }

    /**
     * The oxidized fraction at series time {@code tau}: {@code Σρtf / Σρt}, NaN where no particle is.
     *
     * @param out {@code width·height} floats; overwritten
     */
    public void fraction(double tau, float[] out) {
        oxidizedDenseUm(tau, out);
        for (int i = 0; i < out.length; i++) {
            out[i] = denseUm[i] > 0 ? Math.min(1f, Math.max(0f, out[i] / denseUm[i])) : Float.NaN;
        }
    }

    /** The series time of scan {@code scan} of {@code scans}: chargeStart to chargeEnd, evenly. */
    public double seriesTime(int scan, int scans) {
        if (scans <= 1) {
            return config.chargeStart();
        }
        return config.chargeStart() + (config.chargeEnd() - config.chargeStart()) * scan / (scans - 1.0);
    }

    private static double smoothstep(double u) {
        if (u <= 0) {
            return 0;
        }
        if (u >= 1) {
            return 1;
        }
        return u * u * (3 - 2 * u);
    }

    private void checkMap(float[] out) {
        if (out.length != width * height) {
            throw new IllegalArgumentException("map has " + out.length + " pixels, phantom is " + width + "x" + height);
        }
    }

    public PhantomConfig config() {
        return config;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public double pixelSizeUm() {
        return pixelSizeUm;
    }

    /** The particles, in drawing order. */
    public List<Particle> particles() {
        return particles;
    }

    /** Geometric thickness, µm. Shared: do not modify. */
    public float[] thicknessUm() {
        return thicknessUm;
    }

    /** Density-weighted thickness Σρt, µm. Shared: do not modify. */
    public float[] denseUm() {
        return denseUm;
    }

    /** Support/cell background absorbance at the edge energy. Shared: do not modify. */
    public float[] supportMu() {
        return supportMu;
    }

    /** Bounding box of a rotated ellipse and its normalized radius². */
    private static final class Raster {
        final int x0;
        final int x1;
        final int y0;
        final int y1;
        final double cx;
        final double cy;
        final double cosA;
        final double sinA;
        final double invA;
        final double invB;

        Raster(Particle p, int width, int height) {
            cx = p.cxPx();
            cy = p.cyPx();
            cosA = StrictMath.cos(p.angleRad());
            sinA = StrictMath.sin(p.angleRad());
            invA = 1 / p.semiMajorPx();
            invB = 1 / p.semiMinorPx();
            double a = p.semiMajorPx();
            double b = p.semiMinorPx();
            double ex = Math.sqrt(a * a * cosA * cosA + b * b * sinA * sinA);
            double ey = Math.sqrt(a * a * sinA * sinA + b * b * cosA * cosA);
            x0 = Math.max(0, (int) Math.floor(cx - ex));
            x1 = Math.min(width - 1, (int) Math.ceil(cx + ex));
            y0 = Math.max(0, (int) Math.floor(cy - ey));
            y1 = Math.min(height - 1, (int) Math.ceil(cy + ey));
        }

        double q(int x, int y) {
            double dx = x - cx;
            double dy = y - cy;
            double u = (dx * cosA + dy * sinA) * invA;
            double v = (-dx * sinA + dy * cosA) * invB;
            return u * u + v * v;
        }
    }
}
