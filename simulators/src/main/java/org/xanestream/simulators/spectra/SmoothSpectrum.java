package org.xanestream.simulators.spectra;

import org.xanestream.processor.spectra.ReferenceSpectrum;

/**
 * A reference spectrum as a continuous function: the natural cubic spline through its points, held at
 * the end values outside the measured range. The simulator evaluates the model with it both at the
 * scan energies and densely (ground-truth peak and edge), so the two agree exactly.
 *
 * <p>Immutable and thread safe; {@link #valueAt} does not allocate.
 */
public final class SmoothSpectrum {
    private final String name;
    private final double[] x;
    private final double[] y;
    private final double[] m; // second derivatives at the knots

    public SmoothSpectrum(ReferenceSpectrum s) {
        this.name = s.name();
        this.x = s.energyEv().clone();
        this.y = s.mu().clone();
        this.m = secondDerivatives(x, y);
    }

    public String name() {
        return name;
    }

    /** First energy of the measured range, eV. */
    public double firstEv() {
        return x[0];
    }

    /** Last energy of the measured range, eV. */
    public double lastEv() {
        return x[x.length - 1];
    }

    /** The spline at {@code eV}; the end value outside the measured range. */
    public double valueAt(double eV) {
        int n = x.length;
        if (eV <= x[0]) {
            return y[0];
        }
        if (eV >= x[n - 1]) {
            return y[n - 1];
        }
        int lo = 0;
        int hi = n - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (x[mid] <= eV) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double h = x[hi] - x[lo];
        double a = (x[hi] - eV) / h;
        double b = 1 - a;
        return a * y[lo] + b * y[hi] + ((a * a * a - a) * m[lo] + (b * b * b - b) * m[hi]) * h * h / 6.0;
    }

    /** Natural spline second derivatives by the tridiagonal (Thomas) solve. */
    private static double[] secondDerivatives(double[] x, double[] y) {
        int n = x.length;
        double[] m = new double[n];
        if (n < 3) {
            return m;
        }
        double[] c = new double[n];
        double[] d = new double[n];
        for (int i = 1; i < n - 1; i++) {
            double hl = x[i] - x[i - 1];
            double hr = x[i + 1] - x[i];
            double a = hl / 6;
            double b = (hl + hr) / 3;
            double cc = hr / 6;
            double rhs = (y[i + 1] - y[i]) / hr - (y[i] - y[i - 1]) / hl;
            double denom = b - a * c[i - 1];
            c[i] = cc / denom;
            d[i] = (rhs - a * d[i - 1]) / denom;
        }
        for (int i = n - 2; i >= 1; i--) {
            m[i] = d[i] - c[i] * m[i + 1];
        }
        return m;
    }
}
