package org.xanestream.simulators.detector;

/**
 * Sample drift: a bounded random walk plus a slow linear drift, sub-pixel, one displacement per energy
 * (applied to the sample frames only; flats are detector-aligned). The first energy of the series has
 * zero drift, so the drift is the displacement relative to the reference image of DESIGN §4.3.
 *
 * @param stepSdPx         standard deviation of a random-walk step per energy, pixels
 * @param walkBoundPx      the random walk is reflected at ±this, pixels
 * @param linearXPxPerScan linear drift along +x (columns) over one scan, pixels
 * @param linearYPxPerScan linear drift along +y (rows) over one scan, pixels
 * @param maxPx            the total drift is clamped to ±this per axis, pixels
 */
public record DriftConfig(double stepSdPx, double walkBoundPx, double linearXPxPerScan, double linearYPxPerScan,
                          double maxPx) {
    public DriftConfig {
        range(stepSdPx, 0, 100, "stepSdPx");
        range(walkBoundPx, 0, 1000, "walkBoundPx");
        range(linearXPxPerScan, -1000, 1000, "linearXPxPerScan");
        range(linearYPxPerScan, -1000, 1000, "linearYPxPerScan");
        range(maxPx, 0, 1000, "maxPx");
    }

    private static void range(double v, double lo, double hi, String name) {
        if (!(v >= lo && v <= hi)) {
            throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + v);
        }
    }

    /** Steps of 0.15 px within ±2 px, plus 1.2 px in x and −0.8 px in y per scan, clamped to ±10 px. */
    public static DriftConfig defaults() {
        return new DriftConfig(0.15, 2.0, 1.2, -0.8, 10.0);
    }

    /** No drift at all. */
    public static DriftConfig none() {
        return new DriftConfig(0, 0, 0, 0, 0);
    }
}
