package org.xanestream.processor.fit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.xanestream.processor.MapSummary;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.spectra.ReferenceSpectrum;

/**
 * The per-pixel fits of DESIGN §4.4, updated incrementally as energy images arrive (DESIGN §5).
 *
 * <p>Every fit is a linear least-squares problem whose design matrix is shared by all pixels. The
 * energies are split into disjoint regions, each with its basis: pre-edge (core window, and the
 * widening band toward the edge), post-edge (likewise), the whiteline window (polynomial in the
 * window-scaled energy) and all energies (LCF basis: references, 1, line-scaled energy). Per region
 * the fitter keeps one shared Gram matrix and, per pixel, {@code b = Σ φ·mu} and {@code s = Σ mu²}
 * in double-precision planes. {@link #addEnergy} adds one image: a few fused multiply-adds per pixel
 * and term, across row bands of the shared {@link RowParallel}. {@link #snapshot} inverts each small
 * shared Gram matrix once (for the LCF, one per subset of references) and then solves every pixel
 * with p×p products: {@code c = G⁻¹b}, {@code RSS = s − cᵀb}, {@code Cov(c) = σ²G⁻¹}. The
 * non-negative LCF takes the unconstrained solution when all its reference weights are non-negative
 * (then it is the constrained optimum), else the best feasible subset solution (exact). The results
 * equal {@link SpectrumEstimators} applied to each pixel's spectrum of the energies added so far.
 *
 * <p>Energies may arrive in any order and repeat: every {@code addEnergy} is one sample of the fits
 * (a repeated energy is a repeated measurement), and window sizes count distinct energies. A pixel
 * that is NaN (or infinite) in any image is invalid: NaN propagates through its accumulators and all
 * its maps are NaN with mask 0. {@code edge_ev} needs the measured values around the edge window, so
 * the images are retained by reference (never modified). The widening band of a normalization window
 * is accumulated only until its core window has enough energies, then released.
 *
 * <p>Memory: 8 bytes per pixel per accumulator, about {@code 8·(11 + order + k)} bytes per pixel
 * with k references once the widening bands are released (≈ 0.5 GB for 2048² with 2 references).
 *
 * <p>Not thread safe: call from one thread (the processor thread); the work is spread internally over
 * the row pool. {@code addEnergy} allocates nothing per pixel (accumulator planes are allocated when a
 * region first receives an energy); {@code snapshot} allocates the map arrays it returns plus small
 * scratch arrays per row band.
 */
public final class IncrementalXanesFit implements XanesFitter {
    /** Pixels per block of the multi-energy accumulation (accumulators stay in the L2 cache). */
    private static final int BLOCK = 1024;

    /** Relative resolution of {@code s − cᵀb} in double precision (see {@link #residual}). */
    static final double RSS_RESOLUTION = 1e-12;

    private static final int PRE_CORE = 0;
    private static final int PRE_EXT = 1;
    private static final int POST_EXT = 2;
    private static final int POST_CORE = 3;
    private static final int WL = 4;
    private static final int ALL = 5;

    private final FitSettings settings;
    private final int width;
    private final int height;
    private final int pixels;
    private final RowParallel rows;
    private final int k;
    private final ReferenceSpectrum[] refs;
    private final int order;
    private final double edgeEv;
    private final double wlMid;
    private final double wlHalf;
    private final Region[] regions = new Region[6];
    private final List<String> mapNames;

    /** Added images in arrival order, with their energies; retained by reference for {@code edge_ev}. */
    private final List<float[]> images = new ArrayList<>();
    private double[] energies = new double[64];
    /** distinct energy → indices of the images at that energy. */
    private final TreeMap<Double, int[]> byEnergy = new TreeMap<>();

    // per-energy scratch describing the accumulator updates (reused; the planes are fixed arrays)
    private double[][] linTargets = new double[16][];
    private double[] linWeights = new double[16];
    private double[][] sqTargets = new double[8][];

    /**
     * @param settings presets, references and options
     * @param width    image width, pixels
     * @param height   image height, pixels
     * @param rows     shared row pool (not closed by this class)
     */
    public IncrementalXanesFit(FitSettings settings, int width, int height, RowParallel rows) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rows = Objects.requireNonNull(rows, "rows");
        if (width < 1 || height < 1 || (long) width * height > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("image must be at least 1x1 and below 2^31 pixels, got "
                    + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.pixels = width * height;
        ElementPreset p = settings.preset();
        NormalizationWindows w = settings.windows();
        this.k = settings.references().size();
        this.refs = new ReferenceSpectrum[k];
        for (int j = 0; j < k; j++) {
            refs[j] = SpectrumEstimators.edgeNormalized(settings.references().get(j), p, w);
        }
        this.order = settings.whitelineOrder();
        this.edgeEv = p.edgeEv();
        this.wlMid = 0.5 * (p.whitelineLoEv() + p.whitelineHiEv());
        this.wlHalf = 0.5 * (p.whitelineHiEv() - p.whitelineLoEv());
        double ee = edgeEv;
        regions[PRE_CORE] = new Region(Double.NEGATIVE_INFINITY, ee - w.preGapEv(), true, true, 2);
        regions[PRE_EXT] = new Region(ee - w.preGapEv(), ee - w.preWideGapEv(), false, true, 2);
        regions[POST_EXT] = new Region(ee + w.postWideGapEv(), ee + w.postGapEv(), true, false, 2);
        regions[POST_CORE] = new Region(ee + w.postGapEv(), Double.POSITIVE_INFINITY, true, true, 2);
        regions[WL] = new Region(p.whitelineLoEv(), p.whitelineHiEv(), true, true, order + 1);
        regions[ALL] = new Region(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, true, true, k == 0 ? 0 : k + 2);
        this.mapNames = FitMaps.names(settings.references());
    }

    public FitSettings settings() {
        return settings;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Names of the maps of every snapshot, in order. */
    public List<String> mapNames() {
        return mapNames;
    }

    @Override
    public int energies() {
        return images.size();
    }

    /** Energies added so far, eV, in arrival order (a copy). */
    public double[] energiesEv() {
        return java.util.Arrays.copyOf(energies, images.size());
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the energy is not a positive finite number or the image size
     *                                  differs from width×height (nothing is changed then)
     */
    @Override
    public void addEnergy(double energyEv, float[] mu) {
        checkImage(energyEv, mu);
        long terms = prepare(energyEv, mu);
        int nl = (int) (terms >>> 32);
        int ns = (int) terms;
        double[][] lin = linTargets;
        double[] w = linWeights;
        double[][] sq = sqTargets;
        rows.forEachBand(height, (r0, r1) -> AccumulateKernel.accumulate(mu, lin, w, nl, sq, ns, r0 * width,
                r1 * width));
        releaseRetiredPlanes();
    }

    /**
     * Adds several images at once, equivalent to calling {@link #addEnergy} for each in order (bit for
     * bit), but blocked over pixels so that the accumulators stay in cache while all images stream
     * through once: the fast path for refitting a whole stack (replay, re-analysis).
     *
     * @param energiesEv energies, eV; not modified
     * @param mu         images, retained by reference and never modified
     */
    public void addEnergies(double[] energiesEv, float[][] mu) {
        if (energiesEv.length != mu.length) {
            throw new IllegalArgumentException("need as many images as energies, got " + energiesEv.length
                    + " energies and " + mu.length + " images");
        }
        for (int e = 0; e < mu.length; e++) {
            checkImage(energiesEv[e], mu[e]);
        }
        int m = mu.length;
        double[][][] lin = new double[m][][];
        double[][] w = new double[m][];
        double[][][] sq = new double[m][][];
        int[] nLin = new int[m];
        int[] nSq = new int[m];
        for (int e = 0; e < m; e++) {
            long terms = prepare(energiesEv[e], mu[e]);
            nLin[e] = (int) (terms >>> 32);
            nSq[e] = (int) terms;
            lin[e] = java.util.Arrays.copyOf(linTargets, nLin[e]);
            w[e] = java.util.Arrays.copyOf(linWeights, nLin[e]);
            sq[e] = java.util.Arrays.copyOf(sqTargets, nSq[e]);
        }
        rows.forEachBand(height, (r0, r1) -> {
            int end = r1 * width;
            for (int i0 = r0 * width; i0 < end; i0 += BLOCK) {
                int i1 = Math.min(end, i0 + BLOCK);
                for (int e = 0; e < m; e++) {
                    AccumulateKernel.accumulate(mu[e], lin[e], w[e], nLin[e], sq[e], nSq[e], i0, i1);
                }
            }
        });
        releaseRetiredPlanes();
    }

    private void checkImage(double energyEv, float[] mu) {
        Objects.requireNonNull(mu, "mu");
        if (!Double.isFinite(energyEv) || energyEv <= 0) {
            throw new IllegalArgumentException("energy must be a positive finite number of eV, got " + energyEv);
        }
        if (mu.length != pixels) {
            throw new IllegalArgumentException("image has " + mu.length + " pixels, expected " + width + "x"
                    + height + " = " + pixels);
        }
    }

    /**
     * Registers one image: bookkeeping of energies, Gram matrices and region counts, and fills the
     * scratch target lists with the accumulator planes it updates.
     *
     * @return (number of linear targets) &lt;&lt; 32 | (number of square targets)
     */
    private long prepare(double energyEv, float[] mu) {
        int index = images.size();
        images.add(mu);
        if (index == energies.length) {
            energies = java.util.Arrays.copyOf(energies, 2 * index);
        }
        energies[index] = energyEv;
        int[] same = byEnergy.get(energyEv);
        int[] updated = same == null ? new int[1] : java.util.Arrays.copyOf(same, same.length + 1);
        updated[updated.length - 1] = index;
        byEnergy.put(energyEv, updated);

        int nLin = 0;
        int nSq = 0;
        double[] phi = new double[Math.max(k + 2, order + 1)];
        for (int r = 0; r < regions.length; r++) {
            Region g = regions[r];
            if (!g.contains(energyEv)) {
                continue;
            }
            g.addSample(energyEv, same == null);
            if (g.retired) {
                continue;
            }
            basis(r, energyEv, phi);
            g.addGram(phi);
            g.allocate(pixels);
            for (int j = 0; j < g.terms; j++) {
                if (nLin == linTargets.length) {
                    linTargets = java.util.Arrays.copyOf(linTargets, 2 * nLin);
                    linWeights = java.util.Arrays.copyOf(linWeights, 2 * nLin);
                }
                linTargets[nLin] = g.b[j];
                linWeights[nLin] = phi[j];
                nLin++;
            }
            if (nSq == sqTargets.length) {
                sqTargets = java.util.Arrays.copyOf(sqTargets, 2 * nSq);
            }
            sqTargets[nSq++] = g.s;
        }
        // a widening band is needed only while its core window is short of energies
        int min = settings.windows().minEnergies();
        if (regions[PRE_CORE].distinct >= min) {
            regions[PRE_EXT].retire();
        }
        if (regions[POST_CORE].distinct >= min) {
            regions[POST_EXT].retire();
        }
        return ((long) nLin << 32) | nSq;
    }

    private void releaseRetiredPlanes() {
        for (Region g : regions) {
            if (g.retired) {
                g.b = null;
                g.s = null;
            }
        }
    }

    /** Basis functions of a region at energy e. */
    private void basis(int region, double e, double[] phi) {
        switch (region) {
            case WL -> {
                double x = (e - wlMid) / wlHalf;
                phi[0] = 1;
                for (int j = 1; j <= order; j++) {
                    phi[j] = phi[j - 1] * x;
                }
            }
            case ALL -> {
                for (int j = 0; j < k; j++) {
                    phi[j] = refs[j].valueAt(e);
                }
                phi[k] = 1;
                phi[k + 1] = (e - edgeEv) / SpectrumEstimators.LINE_SCALE_EV;
            }
            default -> {
                phi[0] = 1;
                phi[1] = (e - edgeEv) / SpectrumEstimators.LINE_SCALE_EV;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ snapshot

    /** Whether the energies so far leave a normalization window too small (edge maps in whiteline-only mode). */
    public boolean whitelineOnly() {
        int min = settings.windows().minEnergies();
        boolean pre = regions[PRE_CORE].distinct >= min
                || regions[PRE_CORE].distinct + regions[PRE_EXT].distinct >= min;
        boolean post = regions[POST_CORE].distinct >= min
                || regions[POST_CORE].distinct + regions[POST_EXT].distinct >= min;
        return !(pre && post);
    }

    @Override
    public MapsSnapshot snapshot(String scanId, boolean finalSnapshot, long epochMillis) {
        Objects.requireNonNull(scanId, "scanId");
        Plan plan = new Plan();
        int nMaps = mapNames.size();
        float[][] maps = new float[nMaps][];
        for (int m = 0; m < nMaps; m++) {
            maps[m] = new float[pixels];
        }
        byte[] mask = new byte[pixels];
        rows.forEachBand(height, (r0, r1) -> solveBand(plan, maps, mask, r0 * width, r1 * width));
        MapSummary[] summaries = MapStatistics.summarize(maps, mask, rows);
        Map<String, float[]> named = new LinkedHashMap<>();
        Map<String, MapSummary> summary = new LinkedHashMap<>();
        for (int m = 0; m < nMaps; m++) {
            named.put(mapNames.get(m), maps[m]);
            summary.put(mapNames.get(m), summaries[m]);
        }
        return new MapsSnapshot(scanId, images.size(), finalSnapshot, width, height, named, summary,
                plan.whitelineOnly, epochMillis);
    }

    /** The shared (per-scan, not per-pixel) part of a snapshot: which models exist and their inverses. */
    private final class Plan {
        final int min = settings.windows().minEnergies();
        // normalization lines: region sets and inverses
        final Region[] pre;
        final double[] preGi;
        final int preN;
        final Region[] post;
        final double[] postGi;
        final int postN;
        final boolean whitelineOnly;
        // whiteline
        final int wlP = order + 1;
        final double[] wlGi;
        final double[] wlQuadGi;
        final int wlN;
        // edge crossing: consecutive distinct energies around the edge window
        final float[][][] crossImages;
        final double[] crossEv;
        final double[] crossX;
        // LCF
        final int q = k + 2;
        final int allN;
        final int[][] subsetCols;
        final double[][] subsetGi;

        Plan() {
            pre = lineRegions(PRE_CORE, PRE_EXT);
            post = lineRegions(POST_CORE, POST_EXT);
            preGi = pre == null ? null : inverse(pre, 2);
            postGi = post == null ? null : inverse(post, 2);
            preN = samples(pre);
            postN = samples(post);
            whitelineOnly = preGi == null || postGi == null;

            Region wl = regions[WL];
            wlN = wl.samples;
            wlGi = wl.distinct >= wlP ? inverse(new Region[] {wl}, wlP) : null;
            wlQuadGi = wl.distinct >= 3 ? leadingInverse(wl, 3) : null;

            if (!whitelineOnly) {
                double lo = settings.preset().edgeLoEv();
                double hi = settings.preset().edgeHiEv();
                Double[] distinct = byEnergy.keySet().toArray(new Double[0]);
                int m = distinct.length;
                int first = 0;
                while (first < m && distinct[first] < lo) {
                    first++;
                }
                int last = m - 1;
                while (last >= 0 && distinct[last] > hi) {
                    last--;
                }
                int start = Math.max(0, first - 1);
                int end = Math.min(m - 1, last + 1);
                int count = Math.max(0, end - start + 1);
                if (count < 2) {
                    count = 0;
                }
                crossImages = new float[count][][];
                crossEv = new double[count];
                crossX = new double[count];
                for (int d = 0; d < count; d++) {
                    double e = distinct[start + d];
                    int[] idx = byEnergy.get(e);
                    crossImages[d] = new float[idx.length][];
                    for (int t = 0; t < idx.length; t++) {
                        crossImages[d][t] = images.get(idx[t]);
                    }
                    crossEv[d] = e;
                    crossX[d] = (e - edgeEv) / SpectrumEstimators.LINE_SCALE_EV;
                }
            } else {
                crossImages = new float[0][][];
                crossEv = new double[0];
                crossX = new double[0];
            }

            Region all = regions[ALL];
            allN = all.samples;
            int subsets = k == 0 ? 0 : 1 << k;
            subsetCols = new int[subsets][];
            subsetGi = new double[subsets][];
            for (int sub = 0; sub < subsets; sub++) {
                int[] cols = SpectrumEstimators.columns(sub, k);
                subsetCols[sub] = cols;
                int ps = cols.length;
                double[] g = new double[ps * ps];
                for (int r = 0; r < ps; r++) {
                    for (int c = 0; c < ps; c++) {
                        g[r * ps + c] = all.gram[cols[r] * q + cols[c]];
                    }
                }
                double[] gi = new double[ps * ps];
                // more distinct energies than parameters, as in SpectrumEstimators.lcf
                subsetGi[sub] = byEnergy.size() > ps && SmallMatrices.invertSpd(g, ps, gi) ? gi : null;
            }
        }

        private Region[] lineRegions(int core, int ext) {
            Region c = regions[core];
            Region x = regions[ext];
            if (c.distinct >= min) {
                return new Region[] {c};
            }
            if (c.distinct + x.distinct >= min) {
                // x is never retired here (that needs c.distinct >= min); c may have no energy yet
                return c.samples == 0 ? new Region[] {x} : new Region[] {c, x};
            }
            return null;
        }

        private int samples(Region[] set) {
            int n = 0;
            if (set != null) {
                for (Region g : set) {
                    n += g.samples;
                }
            }
            return n;
        }

        private double[] inverse(Region[] set, int p) {
            double[] g = new double[p * p];
            for (Region r : set) {
                for (int t = 0; t < p * p; t++) {
                    g[t] += r.gram[t];
                }
            }
            double[] gi = new double[p * p];
            return SmallMatrices.invertSpd(g, p, gi) ? gi : null;
        }

        private double[] leadingInverse(Region r, int p) {
            int n = r.terms;
            double[] g = new double[p * p];
            for (int a = 0; a < p; a++) {
                for (int b = 0; b < p; b++) {
                    g[a * p + b] = r.gram[a * n + b];
                }
            }
            double[] gi = new double[p * p];
            return SmallMatrices.invertSpd(g, p, gi) ? gi : null;
        }
    }

    /** Solves pixels [i0, i1) for every map. Allocates only small per-band scratch arrays. */
    private void solveBand(Plan plan, float[][] maps, byte[] mask, int i0, int i1) {
        int nMaps = maps.length;
        float[] wlEv = maps[0];
        float[] wlHeight = maps[1];
        float[] wlSigma = maps[2];
        float[] edgeMap = maps[3];
        float[] jumpMap = maps[4];
        float[] preSdMap = maps[5];
        float[] maskMap = maps[nMaps - 1];
        int lcfBase = 6;
        final double nan = Double.NaN;

        Region all = regions[ALL];
        Region wl = regions[WL];
        int wlP = plan.wlP;
        double[] wlB = new double[wlP];
        double[] wlC = new double[wlP];
        double[] grad = new double[Math.max(wlP, plan.q)];
        double[] bq = new double[plan.q];
        double[] cS = new double[plan.q];
        double[] bestC = new double[plan.q];
        double[] bS = new double[plan.q];
        double[] weights = new double[Math.max(1, k)];
        double maskK = settings.maskK();
        double wlLo = settings.preset().whitelineLoEv();
        double wlHi = settings.preset().whitelineHiEv();
        double edgeLo = settings.preset().edgeLoEv();
        double edgeHi = settings.preset().edgeHiEv();
        int nCross = plan.crossEv.length;

        for (int i = i0; i < i1; i++) {
            double sAll = all.s == null ? nan : all.s[i];
            if (!Double.isFinite(sAll)) {
                for (int m = 0; m < nMaps - 1; m++) {
                    maps[m][i] = Float.NaN;
                }
                maskMap[i] = 0f;
                continue;
            }

            // pre- and post-edge lines
            double preC0 = nan;
            double preC1 = nan;
            double preSd = nan;
            if (plan.preGi != null) {
                double b0 = 0;
                double b1 = 0;
                double s = 0;
                for (Region g : plan.pre) {
                    b0 += g.b[0][i];
                    b1 += g.b[1][i];
                    s += g.s[i];
                }
                double[] gi = plan.preGi;
                preC0 = gi[0] * b0 + gi[1] * b1;
                preC1 = gi[2] * b0 + gi[3] * b1;
                double rss = residual(s, preC0 * b0 + preC1 * b1);
                preSd = Math.sqrt(rss / (plan.preN - 2));
            }
            double postC0 = nan;
            if (plan.postGi != null) {
                double b0 = 0;
                double b1 = 0;
                for (Region g : plan.post) {
                    b0 += g.b[0][i];
                    b1 += g.b[1][i];
                }
                postC0 = plan.postGi[0] * b0 + plan.postGi[1] * b1;
            }

            // whiteline
            double peakEv = nan;
            double peakHeight = nan;
            double peakSigma = nan;
            if (plan.wlGi != null) {
                for (int j = 0; j < wlP; j++) {
                    wlB[j] = wl.b[j][i];
                }
                SmallMatrices.multiply(plan.wlGi, wlP, wlB, wlC);
                double x = SpectrumEstimators.vertex(wlC, order);
                double ev = wlMid + wlHalf * x;
                if (ev >= wlLo && ev <= wlHi) {
                    peakEv = ev;
                    peakHeight = SpectrumEstimators.polynomial(wlC, order, x);
                    if (plan.wlN > wlP) {
                        double proj = 0;
                        for (int j = 0; j < wlP; j++) {
                            proj += wlC[j] * wlB[j];
                        }
                        double sigma2 = residual(wl.s[i], proj) / (plan.wlN - wlP);
                        SpectrumEstimators.vertexGradient(wlC, order, x, grad);
                        peakSigma = wlHalf * Math.sqrt(sigma2 * quadraticForm(plan.wlGi, wlP, grad));
                    }
                }
            }

            // edge
            double jump;
            double edge = nan;
            double noise;
            if (!plan.whitelineOnly) {
                jump = postC0 - preC0;
                noise = preSd;
                if (jump > 0) {
                    double prev = nan;
                    for (int d = 0; d < nCross; d++) {
                        float[][] imgs = plan.crossImages[d];
                        double v;
                        if (imgs.length == 1) {
                            v = imgs[0][i];
                        } else {
                            double sum = 0;
                            for (float[] img : imgs) {
                                sum += img[i];
                            }
                            v = sum / imgs.length;
                        }
                        double norm = (v - (preC0 + preC1 * plan.crossX[d])) / jump;
                        if (d > 0 && prev < 0.5 && norm >= 0.5) {
                            double ec = plan.crossEv[d - 1] + (0.5 - prev) / (norm - prev)
                                    * (plan.crossEv[d] - plan.crossEv[d - 1]);
                            if (ec >= edgeLo && ec <= edgeHi) {
                                edge = ec;
                                break;
                            }
                        }
                        prev = norm;
                    }
                }
            } else {
                jump = plan.wlN > 0 ? wl.b[0][i] / plan.wlN : nan;
                if (plan.preGi != null) {
                    noise = preSd;
                } else if (plan.wlQuadGi != null && plan.wlN > 3) {
                    double b0 = wl.b[0][i];
                    double b1 = wl.b[1][i];
                    double b2 = wl.b[2][i];
                    double[] g = plan.wlQuadGi;
                    double c0 = g[0] * b0 + g[1] * b1 + g[2] * b2;
                    double c1 = g[3] * b0 + g[4] * b1 + g[5] * b2;
                    double c2 = g[6] * b0 + g[7] * b1 + g[8] * b2;
                    double rss = residual(wl.s[i], c0 * b0 + c1 * b1 + c2 * b2);
                    noise = Math.sqrt(rss / (plan.wlN - 3));
                } else {
                    noise = nan;
                }
            }
            boolean trusted = jump > maskK * noise;

            wlEv[i] = (float) peakEv;
            wlHeight[i] = (float) peakHeight;
            wlSigma[i] = (float) peakSigma;
            edgeMap[i] = (float) edge;
            jumpMap[i] = (float) jump;
            preSdMap[i] = (float) preSd;
            maskMap[i] = trusted ? 1f : 0f;
            mask[i] = (byte) (trusted ? 1 : 0);

            if (k > 0) {
                solveLcf(plan, i, sAll, bq, cS, bestC, bS, grad, weights, maps, lcfBase);
            }
        }
    }

    private void solveLcf(Plan plan, int i, double sAll, double[] bq, double[] cS, double[] bestC, double[] bS,
                          double[] grad, double[] weights, float[][] maps, int base) {
        Region all = regions[ALL];
        int q = plan.q;
        for (int j = 0; j < q; j++) {
            bq[j] = all.b[j][i];
        }
        int full = (1 << k) - 1;
        int best = -1;
        double bestProj = Double.NEGATIVE_INFINITY;
        double[] fullGi = plan.subsetGi[full];
        if (fullGi != null) {
            SmallMatrices.multiply(fullGi, q, bq, bestC);
            boolean feasible = true;
            for (int j = 0; j < k; j++) {
                feasible &= bestC[j] >= 0;
            }
            if (feasible) {
                best = full;
                bestProj = 0;
                for (int j = 0; j < q; j++) {
                    bestProj += bestC[j] * bq[j];
                }
            }
        }
        if (best < 0) {
            for (int sub = full - 1; sub >= 0; sub--) {
                double[] gi = plan.subsetGi[sub];
                if (gi == null) {
                    continue;
                }
                int[] cols = plan.subsetCols[sub];
                int ps = cols.length;
                for (int r = 0; r < ps; r++) {
                    bS[r] = bq[cols[r]];
                }
                SmallMatrices.multiply(gi, ps, bS, cS);
                boolean feasible = true;
                for (int r = 0; r < ps - 2; r++) {
                    feasible &= cS[r] >= 0;
                }
                if (!feasible) {
                    continue;
                }
                double proj = 0;
                for (int r = 0; r < ps; r++) {
                    proj += cS[r] * bS[r];
                }
                if (best < 0 || proj > bestProj + RSS_RESOLUTION * sAll) {
                    bestProj = proj;
                    best = sub;
                    System.arraycopy(cS, 0, bestC, 0, ps);
                }
            }
        }
        if (best < 0) {
            for (int m = 0; m < 2 * k + 3; m++) {
                maps[base + m][i] = Float.NaN;
            }
            return;
        }
        int[] cols = plan.subsetCols[best];
        int ps = cols.length;
        double[] gi = plan.subsetGi[best];
        java.util.Arrays.fill(weights, 0);
        double sum = 0;
        for (int r = 0; r < ps - 2; r++) {
            weights[cols[r]] = bestC[r];
            sum += bestC[r];
        }
        double rss = residual(sAll, bestProj);
        int n = plan.allN;
        double sigma2 = n > ps ? rss / (n - ps) : Double.NaN;
        for (int j = 0; j < k; j++) {
            double f = Double.NaN;
            double fs = Double.NaN;
            if (sum > 0) {
                f = weights[j] / sum;
                double inv2 = 1.0 / (sum * sum);
                for (int r = 0; r < ps; r++) {
                    grad[r] = r < ps - 2 ? ((cols[r] == j ? sum : 0) - weights[j]) * inv2 : 0;
                }
                fs = Math.sqrt(sigma2 * quadraticForm(gi, ps, grad));
            }
            maps[base + 2 * j][i] = (float) f;
            maps[base + 2 * j + 1][i] = (float) fs;
        }
        double sumMu = bq[k];
        double tss = sAll - sumMu * sumMu / n;
        maps[base + 2 * k][i] = (float) sum;
        maps[base + 2 * k + 1][i] = (float) (tss > 0 ? 1 - rss / tss : Double.NaN);
        maps[base + 2 * k + 2][i] = (float) rss;
    }

    /**
     * {@code RSS = s − cᵀb}, with values below the resolution of that difference (a relative
     * {@value #RSS_RESOLUTION} of {@code s}, far below any measurement noise) reported as exactly 0 rather
     * than as rounding noise of either sign.
     */
    private static double residual(double s, double projection) {
        double rss = s - projection;
        return rss > RSS_RESOLUTION * s ? rss : 0;
    }

    private static double quadraticForm(double[] a, int n, double[] x) {
        return SmallMatrices.quadraticForm(a, n, x);
    }

    /** One energy region: its basis size, shared Gram matrix, counts and per-pixel accumulator planes. */
    private static final class Region {
        final double lo;
        final double hi;
        final boolean loClosed;
        final boolean hiClosed;
        final int terms;
        final double[] gram;
        int samples;
        int distinct;
        boolean retired;
        double[][] b;
        double[] s;

        Region(double lo, double hi, boolean loClosed, boolean hiClosed, int terms) {
            this.lo = lo;
            this.hi = hi;
            this.loClosed = loClosed;
            this.hiClosed = hiClosed;
            this.terms = terms;
            this.gram = new double[terms * terms];
        }

        boolean contains(double e) {
            boolean aboveLo = loClosed ? e >= lo : e > lo;
            boolean belowHi = hiClosed ? e <= hi : e < hi;
            return aboveLo && belowHi;
        }

        void addSample(double e, boolean newEnergy) {
            samples++;
            if (newEnergy) {
                distinct++;
            }
        }

        void addGram(double[] phi) {
            for (int r = 0; r < terms; r++) {
                for (int c = 0; c < terms; c++) {
                    gram[r * terms + c] += phi[r] * phi[c];
                }
            }
        }

        void allocate(int pixels) {
            if (s == null && !retired) {
                s = new double[pixels];
                b = new double[terms][];
                for (int j = 0; j < terms; j++) {
                    b[j] = new double[pixels];
                }
            }
        }

        void retire() {
            retired = true;
        }
    }
}
