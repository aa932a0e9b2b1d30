package org.xanestream.simulators.detector;

import java.util.SplittableRandom;

/**
 * The true sample drift of every energy of every scan, in pixels: the measured displacement of the sample
 * relative to the reference image (the first energy of the first scan), +x = increasing column,
 * +y = increasing row (DESIGN §4.3). A feature at reference position p appears at p + drift.
 *
 * <p>Immutable and thread safe.
 */
public final class DriftTrack {
    private final double[][] xPx;
    private final double[][] yPx;

    private DriftTrack(double[][] xPx, double[][] yPx) {
        this.xPx = xPx;
        this.yPx = yPx;
    }

    /** Draws the drift of {@code scans × energies} energy points, continuing across scans. */
    public static DriftTrack generate(DriftConfig cfg, int scans, int energies, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] x = new double[scans][energies];
        double[][] y = new double[scans][energies];
        double wx = 0;
        double wy = 0;
        long k = 0;
        for (int s = 0; s < scans; s++) {
            for (int e = 0; e < energies; e++, k++) {
                if (k > 0) {
                    wx = reflect(wx + cfg.stepSdPx() * DetectorModel.gaussian(rnd), cfg.walkBoundPx());
                    wy = reflect(wy + cfg.stepSdPx() * DetectorModel.gaussian(rnd), cfg.walkBoundPx());
                }
                double lx = cfg.linearXPxPerScan() * k / energies;
                double ly = cfg.linearYPxPerScan() * k / energies;
                x[s][e] = clamp(wx + lx, cfg.maxPx());
                y[s][e] = clamp(wy + ly, cfg.maxPx());
            }
        }
        return new DriftTrack(x, y);
    }

    /** A track from explicit values (e.g. read back from a ground-truth file). Arrays are copied. */
    public static DriftTrack of(double[][] xPx, double[][] yPx) {
        double[][] x = new double[xPx.length][];
        double[][] y = new double[yPx.length][];
        for (int s = 0; s < xPx.length; s++) {
            x[s] = xPx[s].clone();
            y[s] = yPx[s].clone();
        }
        return new DriftTrack(x, y);
    }

    private static double reflect(double v, double bound) {
        if (bound <= 0) {
            return 0;
        }
        for (int i = 0; i < 8 && (v > bound || v < -bound); i++) {
            v = v > bound ? 2 * bound - v : -2 * bound - v;
        }
        return clamp(v, bound);
    }

    private static double clamp(double v, double bound) {
        return v > bound ? bound : (v < -bound ? -bound : v);
    }

    /** Drift along x (columns) of energy {@code e} in scan {@code s}, pixels. */
    public double xPx(int s, int e) {
        return xPx[s][e];
    }

    /** Drift along y (rows) of energy {@code e} in scan {@code s}, pixels. */
    public double yPx(int s, int e) {
        return yPx[s][e];
    }

    /** The x drifts of scan {@code s} (a copy). */
    public double[] xPx(int s) {
        return xPx[s].clone();
    }

    /** The y drifts of scan {@code s} (a copy). */
    public double[] yPx(int s) {
        return yPx[s].clone();
    }

    public int scans() {
        return xPx.length;
    }
}
