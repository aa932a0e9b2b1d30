package org.xanestream.publisher.dashboard;

import org.xanestream.processor.fit.ElementPreset;

/**
 * The viewer-side fit of one spectrum (a clicked pixel, a dragged region or the scan mean), with the
 * estimators of DESIGN §4.4 that need no reference spectra: quadratic whiteline vertex, pre-/post-edge
 * lines, edge jump and the 0.5 crossing of the normalized spectrum. The dashboard overlays it on the
 * measured points; the processor's own per-pixel map values are shown beside it.
 *
 * <p>Immutable. {@link #fit} allocates only the result.
 *
 * @param whitelineLoEv  whiteline window, eV
 * @param whitelineHiEv  whiteline window, eV
 * @param quadratic      true if the quadratic has negative curvature and its vertex lies in the window
 * @param centerEv       energies are centered on this for the quadratic, eV
 * @param c0             quadratic coefficients in {@code t = E - centerEv}: mu = c0 + c1 t + c2 t²
 * @param c1             see c0
 * @param c2             see c0
 * @param whitelineEv    vertex energy, eV (NaN if not {@code quadratic})
 * @param whitelineMu    fitted mu at the vertex
 * @param edgeRefEv      energy the edge lines are evaluated at (preset edge), eV
 * @param preA           pre-edge line mu = preA + preB (E - edgeRefEv); NaN if fewer than 2 points
 * @param preB           see preA
 * @param postA          post-edge line, same form
 * @param postB          see postA
 * @param preLoEv        energy span of the pre-edge points used
 * @param preHiEv        see preLoEv
 * @param postLoEv       energy span of the post-edge points used
 * @param postHiEv       see postLoEv
 * @param edgeJump       post minus pre at edgeRefEv
 * @param edgeEv         first 0.5 crossing of the normalized spectrum inside the edge window (NaN if none)
 */
public record SpectrumFit(double whitelineLoEv, double whitelineHiEv, boolean quadratic, double centerEv,
                          double c0, double c1, double c2, double whitelineEv, double whitelineMu,
                          double edgeRefEv, double preA, double preB, double postA, double postB,
                          double preLoEv, double preHiEv, double postLoEv, double postHiEv,
                          double edgeJump, double edgeEv) {

    /** The windows for an element, or windows around {@code edgeEv} if the element has no preset. */
    static ElementPreset windows(String element, double edgeEv) {
        try {
            return ElementPreset.of(element);
        } catch (IllegalArgumentException e) {
            if (!(Double.isFinite(edgeEv) && edgeEv > 0)) {
                return null;
            }
            return new ElementPreset(element == null || element.isEmpty() ? "?" : element, edgeEv, edgeEv,
                    edgeEv + 8, edgeEv - 8, edgeEv + 2);
        }
    }

    /**
     * Fits a spectrum. Points with non-finite mu are skipped.
     *
     * @param energyEv ascending energies, eV; not modified
     * @param mu       absorbance per energy; not modified
     * @param w        the windows, or null (then nothing is fitted and null is returned)
     */
    static SpectrumFit fit(double[] energyEv, double[] mu, ElementPreset w) {
        if (w == null || energyEv.length == 0) {
            return null;
        }
        int n = energyEv.length;
        double lo = w.whitelineLoEv();
        double hi = w.whitelineHiEv();
        double center = 0.5 * (lo + hi);
        // Normal equations of the quadratic in t = E - center.
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, y0 = 0, y1 = 0, y2 = 0;
        int m = 0;
        for (int i = 0; i < n; i++) {
            double e = energyEv[i];
            double v = mu[i];
            if (e < lo || e > hi || !Double.isFinite(v)) {
                continue;
            }
            double t = e - center;
            double t2 = t * t;
            s0 += 1;
            s1 += t;
            s2 += t2;
            s3 += t2 * t;
            s4 += t2 * t2;
            y0 += v;
            y1 += v * t;
            y2 += v * t2;
            m++;
        }
        double c0 = Double.NaN, c1 = Double.NaN, c2 = Double.NaN, vx = Double.NaN, vy = Double.NaN;
        boolean quad = false;
        if (m >= 3) {
            double[] c = solve3(s0, s1, s2, s1, s2, s3, s2, s3, s4, y0, y1, y2);
            if (c != null) {
                c0 = c[0];
                c1 = c[1];
                c2 = c[2];
                if (c2 < 0) {
                    double t = -c1 / (2 * c2);
                    double e = center + t;
                    if (e >= lo && e <= hi) {
                        quad = true;
                        vx = e;
                        vy = c0 + c1 * t + c2 * t * t;
                    }
                }
            }
        }
        double edge = w.edgeEv();
        double first = energyEv[0];
        double last = energyEv[n - 1];
        double[] pre = line(energyEv, mu, first, edge - 50, edge);
        if (pre == null) {
            pre = line(energyEv, mu, first, edge - 20, edge);
        }
        double[] post = line(energyEv, mu, edge + 100, last, edge);
        if (post == null) {
            post = line(energyEv, mu, edge + 30, last, edge);
        }
        double jump = pre != null && post != null ? post[0] - pre[0] : Double.NaN;
        double edgeEv = Double.NaN;
        if (pre != null && post != null && jump != 0) {
            double prevE = Double.NaN, prevN = Double.NaN;
            for (int i = 0; i < n; i++) {
                double e = energyEv[i];
                if (e < w.edgeLoEv() || e > w.edgeHiEv() || !Double.isFinite(mu[i])) {
                    continue;
                }
                double t = e - edge;
                double p0 = pre[0] + pre[1] * t;
                double p1 = post[0] + post[1] * t;
                double norm = (mu[i] - p0) / (p1 - p0);
                if (!Double.isNaN(prevN) && prevN < 0.5 && norm >= 0.5) {
                    edgeEv = prevE + (0.5 - prevN) * (e - prevE) / (norm - prevN);
                    break;
                }
                if (Double.isNaN(prevN) && norm >= 0.5) {
                    edgeEv = e;
                    break;
                }
                prevE = e;
                prevN = norm;
            }
        }
        return new SpectrumFit(lo, hi, quad, center, c0, c1, c2, vx, vy, edge,
                pre == null ? Double.NaN : pre[0], pre == null ? Double.NaN : pre[1],
                post == null ? Double.NaN : post[0], post == null ? Double.NaN : post[1],
                pre == null ? Double.NaN : pre[2], pre == null ? Double.NaN : pre[3],
                post == null ? Double.NaN : post[2], post == null ? Double.NaN : post[3], jump, edgeEv);
    }

    /** mu of the fitted quadratic at {@code e}. */
    public double quadraticAt(double e) {
        double t = e - centerEv;
        return c0 + c1 * t + c2 * t * t;
    }

    /** Least-squares line through points with E in [lo, hi], as {a, b, minE, maxE} in mu = a + b (E - ref); null if < 3 points. */
    private static double[] line(double[] e, double[] mu, double lo, double hi, double ref) {
        double s0 = 0, s1 = 0, s2 = 0, y0 = 0, y1 = 0, minE = Double.POSITIVE_INFINITY, maxE = Double.NEGATIVE_INFINITY;
        int m = 0;
        for (int i = 0; i < e.length; i++) {
            if (e[i] < lo || e[i] > hi || !Double.isFinite(mu[i])) {
                continue;
            }
            double t = e[i] - ref;
            s0 += 1;
            s1 += t;
            s2 += t * t;
            y0 += mu[i];
            y1 += mu[i] * t;
            minE = Math.min(minE, e[i]);
            maxE = Math.max(maxE, e[i]);
            m++;
        }
        double det = s0 * s2 - s1 * s1;
        if (m < 3 || det <= 1e-12 * s0 * s2) {
            return null;
        }
        double a = (y0 * s2 - s1 * y1) / det;
        double b = (s0 * y1 - s1 * y0) / det;
        return new double[]{a, b, minE, maxE};
    }

    /** Solves a 3×3 system by Cramer's rule; null if singular. */
    private static double[] solve3(double a00, double a01, double a02, double a10, double a11, double a12,
                                   double a20, double a21, double a22, double b0, double b1, double b2) {
        double det = a00 * (a11 * a22 - a12 * a21) - a01 * (a10 * a22 - a12 * a20) + a02 * (a10 * a21 - a11 * a20);
        double scale = Math.abs(a00 * a11 * a22) + 1e-300;
        if (Math.abs(det) < 1e-14 * scale) {
            return null;
        }
        double d0 = b0 * (a11 * a22 - a12 * a21) - a01 * (b1 * a22 - a12 * b2) + a02 * (b1 * a21 - a11 * b2);
        double d1 = a00 * (b1 * a22 - a12 * b2) - b0 * (a10 * a22 - a12 * a20) + a02 * (a10 * b2 - b1 * a20);
        double d2 = a00 * (a11 * b2 - b1 * a21) - a01 * (a10 * b2 - b1 * a20) + b0 * (a10 * a21 - a11 * a20);
        return new double[]{d0 / det, d1 / det, d2 / det};
    }
}
