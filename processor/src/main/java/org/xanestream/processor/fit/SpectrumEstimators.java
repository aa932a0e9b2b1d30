package org.xanestream.processor.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.xanestream.processor.spectra.ReferenceSpectrum;

/**
 * The estimators of DESIGN §4.4 applied to one spectrum, straightforwardly and in double precision:
 * the batch reference that {@link IncrementalXanesFit} must reproduce, and the ground truth of the
 * simulator (applied to noiseless spectra).
 *
 * <p>Conventions shared with the incremental fit:
 * <ul>
 *   <li>Energies may be in any order and repeated; every (energy, mu) pair is one sample of the least
 *       squares fits. "Energies in a window" counts distinct energy values; the residual degrees of
 *       freedom count samples.</li>
 *   <li>A spectrum with any non-finite mu is invalid: every estimate is NaN (and the mask is false).</li>
 *   <li>Windows are closed intervals.</li>
 *   <li>Whiteline: polynomial of order 2 or 3 in {@code x = (E − mid)/half} over the whiteline window;
 *       needs {@code order+1} distinct energies. The peak is the stationary point with negative
 *       curvature (for a cubic: the local maximum); NaN if there is none or it lies outside the window.
 *       Its standard error is the delta-method error of the vertex from the coefficient covariance
 *       {@code σ²G⁻¹}, {@code σ² = RSS/(n − order − 1)} (NaN when {@code n = order + 1}).</li>
 *   <li>Edge normalization: lines in {@code x = (E − E_edge)/100 eV} over the pre- and post-edge windows
 *       of {@link NormalizationWindows}; {@code edge_jump = post(E_edge) − pre(E_edge)} (0 when within a
 *       relative 1e-12 of the larger line level: rounding, not an edge);
 *       normalized {@code mu_n(E) = (mu(E) − pre(E)) / edge_jump}; {@code edge_ev} is the first upward
 *       crossing of 0.5 (between consecutive distinct energies, the mean mu of repeated energies, linear
 *       interpolation) whose crossing energy lies inside the edge window; NaN if none or if the jump is
 *       not positive. {@code pre_edge_sd = sqrt(RSS/(n − 2))} of the pre-edge line.</li>
 *   <li>Whiteline-only mode (a normalization window has too few energies even widened): no normalized
 *       spectrum, so {@code edge_ev} is NaN; {@code edge_jump} is the mean mu over the whiteline window
 *       (absorbance above the flat-field zero); the mask's noise level is {@code pre_edge_sd} if the
 *       pre-edge line exists, else the residual standard deviation of the quadratic whiteline fit.</li>
 *   <li>LCF: raw mu ≈ Σ w_j r_j(E) + a + b·x with {@code x = (E − E_edge)/100 eV}, r_j the
 *       edge-normalized references linearly interpolated at E (clamped outside their range), w_j ≥ 0.
 *       Solved exactly: the best (least RSS) of the unconstrained fits on every subset of references
 *       whose weights all come out non-negative (a subset with p_S parameters needs more than p_S distinct
 *       energies and a non-singular Gram matrix, else it is skipped;
 *       subsets are visited from all references down to none, and an RSS that is not lower by more
 *       than 1e-12·Σmu² is a tie kept by the earlier subset).
 *       fraction_j = w_j/Σw (NaN if Σw = 0), standard errors by the delta method on
 *       {@code σ²G_S⁻¹} with {@code σ² = RSS/(n − p_S)}, lcf_scale = Σw, r2 = 1 − RSS/TSS.</li>
 * </ul>
 *
 * <p>Static, stateless, thread safe. Allocates small arrays per call (this is a reference, not a
 * kernel).
 */
public final class SpectrumEstimators {
    /** Energy scale of the normalization lines and the LCF linear term, eV. */
    public static final double LINE_SCALE_EV = 100.0;

    /** Relative resolution of {@code edge_jump} (see {@link #edgeJump}). */
    static final double JUMP_RESOLUTION = 1e-12;

    private SpectrumEstimators() {
    }

    /** Whiteline peak; all NaN if undefined. */
    public record Whiteline(double peakEv, double height, double sigmaEv) {
        static final Whiteline UNDEFINED = new Whiteline(Double.NaN, Double.NaN, Double.NaN);
    }

    /**
     * Edge estimates of one spectrum.
     *
     * @param edgeEv         0.5 crossing of the normalized spectrum (NaN if undefined or whiteline-only)
     * @param edgeJump       post − pre at the edge energy (whiteline-only: mean mu in the whiteline window)
     * @param preEdgeSd      residual standard deviation of the pre-edge line (NaN without that line)
     * @param noise          the noise level the mask compares the jump with
     * @param whitelineOnly  true if a normalization window had too few energies
     * @param preAtEdge      pre-edge line at the edge energy (NaN without the line)
     * @param preSlopePerEv  its slope, per eV
     * @param postAtEdge     post-edge line at the edge energy (NaN without the line)
     * @param postSlopePerEv its slope, per eV
     * @param edgeEnergyEv   the preset's edge energy where the lines are evaluated
     */
    public record Edge(double edgeEv, double edgeJump, double preEdgeSd, double noise, boolean whitelineOnly,
                       double preAtEdge, double preSlopePerEv, double postAtEdge, double postSlopePerEv,
                       double edgeEnergyEv) {
        /** The TXM_Sandbox-style mask: {@code edgeJump > k·noise} (false when either is NaN). */
        public boolean passesMask(double k) {
            return edgeJump > k * noise;
        }

        /** Edge-normalized value of {@code mu} measured at {@code energyEv}; NaN in whiteline-only mode. */
        public double normalize(double energyEv, double mu) {
            double pre = preAtEdge + preSlopePerEv * (energyEv - edgeEnergyEv);
            return (mu - pre) / (postAtEdge - preAtEdge);
        }
    }

    /**
     * Linear combination fit result.
     *
     * @param weights        raw non-negative weights, one per reference (0 where clamped); NaN if undefined
     * @param fractions      weights / their sum; NaN if the sum is 0 or undefined
     * @param fractionSigmas delta-method standard errors of the fractions
     * @param scale          sum of the weights ({@code lcf_scale})
     * @param r2             1 − RSS/TSS
     * @param rss            residual sum of squares
     * @param offset         fitted constant term
     * @param slopePerEv     fitted linear term, per eV
     */
    public record Lcf(double[] weights, double[] fractions, double[] fractionSigmas, double scale, double r2,
                      double rss, double offset, double slopePerEv) {
    }

    // ------------------------------------------------------------------------------------------ whiteline

    /**
     * Whiteline peak by polynomial least squares in the preset's whiteline window.
     *
     * @param e     energies, eV; not modified
     * @param mu    absorbance; not modified
     * @param order 2 (quadratic, default) or 3 (cubic)
     */
    public static Whiteline whiteline(double[] e, double[] mu, ElementPreset p, int order) {
        checkSpectrum(e, mu);
        checkOrder(order);
        if (!allFinite(mu)) {
            return Whiteline.UNDEFINED;
        }
        double lo = p.whitelineLoEv();
        double hi = p.whitelineHiEv();
        double mid = 0.5 * (lo + hi);
        double half = 0.5 * (hi - lo);
        int np = order + 1;
        double[] g = new double[np * np];
        double[] b = new double[np];
        double[] phi = new double[np];
        List<Double> inWindow = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < e.length; i++) {
            if (e[i] >= lo && e[i] <= hi) {
                powers((e[i] - mid) / half, phi);
                for (int r = 0; r < np; r++) {
                    b[r] += phi[r] * mu[i];
                    for (int c = 0; c < np; c++) {
                        g[r * np + c] += phi[r] * phi[c];
                    }
                }
                inWindow.add(e[i]);
                n++;
            }
        }
        if (distinct(inWindow) < np) {
            return Whiteline.UNDEFINED;
        }
        double[] gi = new double[np * np];
        if (!SmallMatrices.invertSpd(g, np, gi)) {
            return Whiteline.UNDEFINED;
        }
        double[] c = new double[np];
        SmallMatrices.multiply(gi, np, b, c);
        double x = vertex(c, order);
        double peakEv = mid + half * x;
        if (!(peakEv >= lo && peakEv <= hi)) {
            return Whiteline.UNDEFINED;
        }
        double height = polynomial(c, order, x);
        double sigmaEv = Double.NaN;
        if (n > np) {
            double rss = 0;
            for (int i = 0; i < e.length; i++) {
                if (e[i] >= lo && e[i] <= hi) {
                    double r = mu[i] - polynomial(c, order, (e[i] - mid) / half);
                    rss += r * r;
                }
            }
            double[] grad = new double[np];
            vertexGradient(c, order, x, grad);
            double var = rss / (n - np) * SmallMatrices.quadraticForm(gi, np, grad);
            sigmaEv = half * Math.sqrt(var);
        }
        return new Whiteline(peakEv, height, sigmaEv);
    }

    /**
     * The stationary point with negative curvature of {@code c0 + c1 x + c2 x² (+ c3 x³)}, or NaN.
     * For a cubic the roots of {@code 3c3 x² + 2c2 x + c1} are taken in the cancellation-free form.
     */
    static double vertex(double[] c, int order) {
        if (order == 2) {
            return c[2] < 0 ? -c[1] / (2 * c[2]) : Double.NaN;
        }
        double a = 3 * c[3];
        double bq = 2 * c[2];
        double cq = c[1];
        double d = bq * bq - 4 * a * cq;
        if (!(d > 0)) {
            return Double.NaN;
        }
        double sd = Math.sqrt(d);
        // curvature at the root is ±sqrt(d): the maximum is the root with −sqrt(d)
        if (bq < 0) {
            return 2 * cq / (-bq + sd);
        }
        return a != 0 ? -(bq + sd) / (2 * a) : Double.NaN;
    }

    /** d(vertex)/d(c_j), by implicit differentiation of {@code c1 + 2c2 x + 3c3 x² = 0}. */
    static void vertexGradient(double[] c, int order, double x, double[] grad) {
        double dfdx = order == 2 ? 2 * c[2] : 2 * c[2] + 6 * c[3] * x;
        grad[0] = 0;
        grad[1] = -1 / dfdx;
        grad[2] = -2 * x / dfdx;
        if (order == 3) {
            grad[3] = -3 * x * x / dfdx;
        }
    }

    static double polynomial(double[] c, int order, double x) {
        double v = c[order];
        for (int j = order - 1; j >= 0; j--) {
            v = v * x + c[j];
        }
        return v;
    }

    private static void powers(double x, double[] phi) {
        phi[0] = 1;
        for (int j = 1; j < phi.length; j++) {
            phi[j] = phi[j - 1] * x;
        }
    }

    // ------------------------------------------------------------------------------------------- edge

    /** {@link #edge(double[], double[], ElementPreset, NormalizationWindows)} with the default windows. */
    public static Edge edge(double[] e, double[] mu, ElementPreset p) {
        return edge(e, mu, p, NormalizationWindows.defaults());
    }

    /**
     * Edge normalization, edge jump, 0.5 crossing and pre-edge noise of one spectrum.
     *
     * @param e  energies, eV; not modified
     * @param mu absorbance; not modified
     */
    public static Edge edge(double[] e, double[] mu, ElementPreset p, NormalizationWindows w) {
        checkSpectrum(e, mu);
        double ee = p.edgeEv();
        if (!allFinite(mu)) {
            return new Edge(Double.NaN, Double.NaN, Double.NaN, Double.NaN, whitelineOnly(e, p, w),
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, ee);
        }
        double[] pre = line(e, mu, ee, Double.NEGATIVE_INFINITY, ee - w.preGapEv(), w.minEnergies());
        if (pre == null) {
            pre = line(e, mu, ee, Double.NEGATIVE_INFINITY, ee - w.preWideGapEv(), w.minEnergies());
        }
        double[] post = line(e, mu, ee, ee + w.postGapEv(), Double.POSITIVE_INFINITY, w.minEnergies());
        if (post == null) {
            post = line(e, mu, ee, ee + w.postWideGapEv(), Double.POSITIVE_INFINITY, w.minEnergies());
        }
        double preSd = pre == null ? Double.NaN : pre[2];
        double preAt = pre == null ? Double.NaN : pre[0];
        double preSlope = pre == null ? Double.NaN : pre[1] / LINE_SCALE_EV;
        double postAt = post == null ? Double.NaN : post[0];
        double postSlope = post == null ? Double.NaN : post[1] / LINE_SCALE_EV;
        if (pre != null && post != null) {
            double jump = edgeJump(postAt, preAt);
            double edgeEv = jump > 0 ? crossing(e, mu, preAt, preSlope, ee, jump, p.edgeLoEv(), p.edgeHiEv())
                    : Double.NaN;
            return new Edge(edgeEv, jump, preSd, preSd, false, preAt, preSlope, postAt, postSlope, ee);
        }
        // whiteline-only mode
        double lo = p.whitelineLoEv();
        double hi = p.whitelineHiEv();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < e.length; i++) {
            if (e[i] >= lo && e[i] <= hi) {
                sum += mu[i];
                n++;
            }
        }
        double jump = n > 0 ? sum / n : Double.NaN;
        double noise = pre != null ? preSd : quadraticResidualSd(e, mu, p);
        return new Edge(Double.NaN, jump, preSd, noise, true, preAt, preSlope, postAt, postSlope, ee);
    }

    /**
     * {@code post − pre}, or exactly 0 when it is within a relative {@value #JUMP_RESOLUTION} of the larger line
     * level (rounding of the two line fits, not an edge: a flat spectrum must not pass the mask); NaN and
     * infinite differences stay as they are. The one definition for the batch estimator and the incremental fit.
     */
    static double edgeJump(double post, double pre) {
        double d = post - pre;
        double a = Math.abs(d);
        return a < Double.POSITIVE_INFINITY && a <= JUMP_RESOLUTION * Math.max(Math.abs(post), Math.abs(pre)) ? 0 : d;
    }

    /** Whether a scan with these energies is in whiteline-only mode (a window too small even widened). */
    public static boolean whitelineOnly(double[] e, ElementPreset p, NormalizationWindows w) {
        double ee = p.edgeEv();
        int pre = countDistinct(e, Double.NEGATIVE_INFINITY, ee - w.preWideGapEv());
        int post = countDistinct(e, ee + w.postWideGapEv(), Double.POSITIVE_INFINITY);
        return pre < w.minEnergies() || post < w.minEnergies();
    }

    /** Residual sd of the quadratic in the whiteline window (NaN if it has < 3 distinct energies or no dof). */
    private static double quadraticResidualSd(double[] e, double[] mu, ElementPreset p) {
        double lo = p.whitelineLoEv();
        double hi = p.whitelineHiEv();
        double mid = 0.5 * (lo + hi);
        double half = 0.5 * (hi - lo);
        double[] g = new double[9];
        double[] b = new double[3];
        double[] phi = new double[3];
        int n = 0;
        for (int i = 0; i < e.length; i++) {
            if (e[i] >= lo && e[i] <= hi) {
                powers((e[i] - mid) / half, phi);
                for (int r = 0; r < 3; r++) {
                    b[r] += phi[r] * mu[i];
                    for (int c = 0; c < 3; c++) {
                        g[r * 3 + c] += phi[r] * phi[c];
                    }
                }
                n++;
            }
        }
        double[] gi = new double[9];
        if (countDistinct(e, lo, hi) < 3 || n <= 3 || !SmallMatrices.invertSpd(g, 3, gi)) {
            return Double.NaN;
        }
        double[] c = new double[3];
        SmallMatrices.multiply(gi, 3, b, c);
        double rss = 0;
        for (int i = 0; i < e.length; i++) {
            if (e[i] >= lo && e[i] <= hi) {
                double r = mu[i] - polynomial(c, 2, (e[i] - mid) / half);
                rss += r * r;
            }
        }
        return Math.sqrt(rss / (n - 3));
    }

    /** Line over [lo, hi] in x = (E − ee)/100: {value at edge, slope per unit x, residual sd}, or null. */
    private static double[] line(double[] e, double[] mu, double ee, double lo, double hi, int minEnergies) {
        if (countDistinct(e, lo, hi) < minEnergies) {
            return null;
        }
        double[] g = new double[4];
        double[] b = new double[2];
        int n = 0;
        for (int i = 0; i < e.length; i++) {
            if (e[i] >= lo && e[i] <= hi) {
                double x = (e[i] - ee) / LINE_SCALE_EV;
                g[0] += 1;
                g[1] += x;
                g[2] += x;
                g[3] += x * x;
                b[0] += mu[i];
                b[1] += x * mu[i];
                n++;
            }
        }
        double[] gi = new double[4];
        if (!SmallMatrices.invertSpd(g, 2, gi)) {
            return null;
        }
        double[] c = new double[2];
        SmallMatrices.multiply(gi, 2, b, c);
        double rss = 0;
        for (int i = 0; i < e.length; i++) {
            if (e[i] >= lo && e[i] <= hi) {
                double r = mu[i] - c[0] - c[1] * (e[i] - ee) / LINE_SCALE_EV;
                rss += r * r;
            }
        }
        return new double[] {c[0], c[1], Math.sqrt(rss / (n - 2))};
    }

    private static double crossing(double[] e, double[] mu, double preAt, double preSlope, double ee, double jump,
                                   double lo, double hi) {
        double[] sorted = e.clone();
        Arrays.sort(sorted);
        int m = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (m == 0 || sorted[i] != sorted[m - 1]) {
                sorted[m++] = sorted[i];
            }
        }
        double[] norm = new double[m];
        for (int k = 0; k < m; k++) {
            double s = 0;
            int c = 0;
            for (int i = 0; i < e.length; i++) {
                if (e[i] == sorted[k]) {
                    s += mu[i];
                    c++;
                }
            }
            norm[k] = (s / c - (preAt + preSlope * (sorted[k] - ee))) / jump;
        }
        for (int k = 0; k + 1 < m; k++) {
            if (sorted[k + 1] < lo || sorted[k] > hi) {
                continue;
            }
            if (norm[k] < 0.5 && norm[k + 1] >= 0.5) {
                double ec = sorted[k] + (0.5 - norm[k]) / (norm[k + 1] - norm[k]) * (sorted[k + 1] - sorted[k]);
                if (ec >= lo && ec <= hi) {
                    return ec;
                }
            }
        }
        return Double.NaN;
    }

    // -------------------------------------------------------------------------------------------- LCF

    /** {@link #lcf(double[], double[], List, ElementPreset, NormalizationWindows)} with default windows. */
    public static Lcf lcf(double[] e, double[] mu, List<ReferenceSpectrum> refs, ElementPreset p) {
        return lcf(e, mu, refs, p, NormalizationWindows.defaults());
    }

    /**
     * Non-negative linear combination fit of raw mu on {edge-normalized references, 1, x}.
     *
     * @param refs references; those not yet normalized are normalized with the preset and windows
     */
    public static Lcf lcf(double[] e, double[] mu, List<ReferenceSpectrum> refs, ElementPreset p,
                          NormalizationWindows w) {
        checkSpectrum(e, mu);
        int k = refs.size();
        double[] nanK = new double[k];
        Arrays.fill(nanK, Double.NaN);
        Lcf undefined = new Lcf(nanK, nanK.clone(), nanK.clone(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Double.NaN);
        if (!allFinite(mu)) {
            return undefined;
        }
        int n = e.length;
        int q = k + 2;
        double ee = p.edgeEv();
        ReferenceSpectrum[] normalized = new ReferenceSpectrum[k];
        for (int j = 0; j < k; j++) {
            normalized[j] = edgeNormalized(refs.get(j), p, w);
        }
        double[][] x = new double[n][q];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                x[i][j] = normalized[j].valueAt(e[i]);
            }
            x[i][k] = 1;
            x[i][k + 1] = (e[i] - ee) / LINE_SCALE_EV;
        }
        int distinctEnergies = countDistinct(e, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
        double sumSq = 0;
        for (double v : mu) {
            sumSq += v * v;
        }
        double bestRss = Double.POSITIVE_INFINITY;
        double[] best = null;
        double[] bestGi = null;
        int[] bestCols = null;
        for (int subset = (1 << k) - 1; subset >= 0; subset--) {
            int[] cols = columns(subset, k);
            int ps = cols.length;
            if (distinctEnergies <= ps) {
                continue; // an exactly determined combination says nothing (and all of them tie at RSS 0)
            }
            double[] g = new double[ps * ps];
            double[] b = new double[ps];
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < ps; r++) {
                    b[r] += x[i][cols[r]] * mu[i];
                    for (int c = 0; c < ps; c++) {
                        g[r * ps + c] += x[i][cols[r]] * x[i][cols[c]];
                    }
                }
            }
            double[] gi = new double[ps * ps];
            if (!SmallMatrices.invertSpd(g, ps, gi)) {
                continue;
            }
            double[] c = new double[ps];
            SmallMatrices.multiply(gi, ps, b, c);
            boolean feasible = true;
            for (int r = 0; r < ps - 2; r++) {
                feasible &= c[r] >= 0;
            }
            if (!feasible) {
                continue;
            }
            double rss = 0;
            for (int i = 0; i < n; i++) {
                double f = 0;
                for (int r = 0; r < ps; r++) {
                    f += x[i][cols[r]] * c[r];
                }
                rss += (mu[i] - f) * (mu[i] - f);
            }
            // subsets whose RSS differ by less than the resolution of the incremental s − cᵀb are ties
            // (e.g. exactly determined fits): the first in visiting order wins, in both implementations
            if (best == null || rss < bestRss - IncrementalXanesFit.RSS_RESOLUTION * sumSq) {
                bestRss = rss;
                best = c;
                bestGi = gi;
                bestCols = cols;
            }
        }
        if (best == null) {
            return undefined;
        }
        int ps = bestCols.length;
        double[] weights = new double[k];
        double sum = 0;
        for (int r = 0; r < ps - 2; r++) {
            weights[bestCols[r]] = best[r];
            sum += best[r];
        }
        double[] fractions = new double[k];
        double[] sigmas = new double[k];
        double sigma2 = n > ps ? bestRss / (n - ps) : Double.NaN;
        double[] grad = new double[ps];
        for (int j = 0; j < k; j++) {
            if (!(sum > 0)) {
                fractions[j] = Double.NaN;
                sigmas[j] = Double.NaN;
                continue;
            }
            fractions[j] = weights[j] / sum;
            // d(w_j / S)/d(w_l) = (δ_jl S − w_j)/S² over the free reference weights
            for (int r = 0; r < ps; r++) {
                grad[r] = r < ps - 2 ? ((bestCols[r] == j ? sum : 0) - weights[j]) / (sum * sum) : 0;
            }
            sigmas[j] = Math.sqrt(sigma2 * SmallMatrices.quadraticForm(bestGi, ps, grad));
        }
        double mean = 0;
        for (double v : mu) {
            mean += v;
        }
        mean /= n;
        double tss = 0;
        for (double v : mu) {
            tss += (v - mean) * (v - mean);
        }
        double r2 = tss > 0 ? 1 - bestRss / tss : Double.NaN;
        return new Lcf(weights, fractions, sigmas, sum, r2, bestRss, best[ps - 2], best[ps - 1] / LINE_SCALE_EV);
    }

    /** Reference columns of {@code subset} (bit j = reference j) followed by the constant and linear terms. */
    static int[] columns(int subset, int k) {
        int[] cols = new int[Integer.bitCount(subset) + 2];
        int m = 0;
        for (int j = 0; j < k; j++) {
            if ((subset & (1 << j)) != 0) {
                cols[m++] = j;
            }
        }
        cols[m++] = k;
        cols[m] = k + 1;
        return cols;
    }

    /**
     * The reference itself if already edge-normalized, else a copy normalized by this class's pre-/post-edge
     * lines on its own energies.
     *
     * @throws IllegalArgumentException if it is not normalized and its energies do not cover both windows
     */
    public static ReferenceSpectrum edgeNormalized(ReferenceSpectrum r, ElementPreset p, NormalizationWindows w) {
        if (r.normalized()) {
            return r;
        }
        Edge edge = edge(r.energyEv(), r.mu(), p, w);
        if (edge.whitelineOnly() || !(edge.edgeJump() > 0)) {
            throw new IllegalArgumentException("reference '" + r.name() + "' is not edge-normalized and its energies "
                    + r.energyEv()[0] + ".." + r.energyEv()[r.energyEv().length - 1]
                    + " eV do not allow a pre- and post-edge line around " + p.edgeEv() + " eV");
        }
        double[] norm = new double[r.mu().length];
        for (int i = 0; i < norm.length; i++) {
            norm[i] = edge.normalize(r.energyEv()[i], r.mu()[i]);
        }
        return new ReferenceSpectrum(r.name(), r.energyEv(), norm, true, r.origin());
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void checkSpectrum(double[] e, double[] mu) {
        Objects.requireNonNull(e, "energies");
        Objects.requireNonNull(mu, "mu");
        if (e.length != mu.length) {
            throw new IllegalArgumentException("need as many mu as energies, got " + e.length + " energies and "
                    + mu.length + " mu");
        }
        for (double v : e) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("energies must be finite, got " + v);
            }
        }
    }

    static void checkOrder(int order) {
        if (order != 2 && order != 3) {
            throw new IllegalArgumentException("whiteline polynomial order must be 2 or 3, got " + order);
        }
    }

    private static boolean allFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private static int countDistinct(double[] e, double lo, double hi) {
        List<Double> in = new ArrayList<>();
        for (double v : e) {
            if (v >= lo && v <= hi) {
                in.add(v);
            }
        }
        return distinct(in);
    }

    private static int distinct(List<Double> values) {
        return (int) values.stream().distinct().count();
    }
}
