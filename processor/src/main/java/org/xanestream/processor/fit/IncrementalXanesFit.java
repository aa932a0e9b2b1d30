package org.xanestream.processor.fit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.xanestream.processor.MapSummary;
import org.xanestream.processor.MapsLease;
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
 * <p>Summaries ({@link MapSummary}): count, mean and standard deviation over every trusted (mask 1)
 * pixel with a finite value; the 5/50/95 % percentiles are exact order statistics of the trusted
 * pixels on a regular lattice of at most {@value #SAMPLE_SIDE}×{@value #SAMPLE_SIDE} pixels (all
 * pixels for images up to that size), which keeps their cost independent of the image size.
 *
 * <p>{@link #addEnergies} is the bulk path (a refit of a whole stack, the batches of {@code LiveBinnedFitter}):
 * bit for bit the same as one {@code addEnergy} per image, but register-blocked: a few pixels' accumulators
 * of one region stay in registers while all the region's images stream by.
 *
 * <p>Memory: 8 bytes per pixel per accumulator, about {@code 8·(11 + order + k)} bytes per pixel
 * with k references once the widening bands are released (≈ 0.5 GB for 2048² with 2 references).
 *
 * <p>Not thread safe: call from one thread (the processor thread); the work is spread internally over
 * the row pool. {@code addEnergy} allocates nothing per pixel (accumulator planes are allocated when a
 * region first receives an energy); {@code snapshot} takes the map arrays it returns from the buffers
 * (below) or allocates them, plus small scratch arrays per pool thread and per stripe. The per-pixel work
 * goes to the pool in stripes of rows that the threads take as they become free
 * ({@link RowParallel#forEachStripe}).
 *
 * <p>Reuse ({@link FitBuffers}): planes come from the fit's buffers when they hold some (a closed fit's) and
 * go back to them when this fit is {@link #close closed} or a widening band retires; snapshots take their map
 * arrays from the buffers too, and every live (non-final) snapshot has a lease ({@link MapsSnapshot#release})
 * that gives its arrays back once all holders released it; final snapshots have none (never reused). A fit
 * made without shared buffers has buffers of its own, for one set of released maps.
 */
public final class IncrementalXanesFit implements XanesFitter {
    /** Percentiles of the summaries come from a lattice of at most this many pixels per axis. */
    private static final int SAMPLE_SIDE = 256;

    /**
     * Floats of one packed block of all images of {@link #addEnergies}: 384 KiB, three quarters of a
     * 512 KiB L2 (on the 2-core development machine a little faster than half of it: longer runs per
     * image from memory; the kernel reads the block from L2 either way).
     */
    private static final int PACKED_FLOATS = 96 * 1024;

    /**
     * Pixels per stripe of the per-pixel work ({@link RowParallel#forEachStripe}): 128 stripes for a
     * 2048×2048 image, so a thread slowed down by a neighbour costs at most about one stripe of waiting,
     * while a stripe is still many chunks long.
     */
    private static final int STRIPE_PIXELS = 32 * 1024;

    /** Relative resolution of {@code s − cᵀb} in double precision (see {@link #clampResidual}). */
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
    /** Rows per stripe of the row pool: about {@value #STRIPE_PIXELS} pixels. */
    private final int stripeRows;
    private final List<String> mapNames;

    /** Added images in arrival order, with their energies; retained by reference for {@code edge_ev}. */
    private final List<float[]> images = new ArrayList<>();
    private double[] energies = new double[64];
    /** distinct energy → indices of the images at that energy. */
    private final TreeMap<Double, Indices> byEnergy = new TreeMap<>();
    /** Basis values of one energy (scratch of {@link #prepare}). */
    private final double[] phi;

    // per-energy scratch describing the accumulator updates (reused; the planes are fixed arrays)
    private double[][] linTargets = new double[16][];
    private double[] linWeights = new double[16];
    private double[][] sqTargets = new double[8][];
    /** Bit r set: the image of the last {@link #prepare} went to the live region r. */
    private int preparedRegions;
    private final FitBuffers buffers;
    /** Whether the buffers are shared with other fits (then planes go back to them on close). */
    private final boolean sharedBuffers;
    private boolean closed;

    /**
     * @param settings presets, references and options
     * @param width    image width, pixels
     * @param height   image height, pixels
     * @param rows     shared row pool (not closed by this class)
     */
    public IncrementalXanesFit(FitSettings settings, int width, int height, RowParallel rows) {
        this(settings, width, height, rows, null, STRIPE_PIXELS);
    }

    /**
     * A fit that takes its planes and map arrays from {@code buffers} when they hold some, and gives them back
     * there (planes on {@link #close}, maps when a snapshot's lease is released).
     *
     * @param buffers arrays shared with other fits, e.g. all fits of a processor
     */
    public IncrementalXanesFit(FitSettings settings, int width, int height, RowParallel rows, FitBuffers buffers) {
        this(settings, width, height, rows, Objects.requireNonNull(buffers, "buffers"), STRIPE_PIXELS);
    }

    /** As the public constructor, with about {@code stripePixels} pixels per stripe (tests use small stripes). */
    IncrementalXanesFit(FitSettings settings, int width, int height, RowParallel rows, int stripePixels) {
        this(settings, width, height, rows, null, stripePixels);
    }

    /** {@code buffers} null: buffers of this fit's own, for one set of maps. */
    IncrementalXanesFit(FitSettings settings, int width, int height, RowParallel rows, FitBuffers buffers,
                        int stripePixels) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rows = Objects.requireNonNull(rows, "rows");
        if (width < 1 || height < 1 || (long) width * height > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("image must be at least 1x1 and below 2^31 pixels, got "
                    + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.pixels = width * height;
        this.stripeRows = Math.max(1, stripePixels / width);
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
        this.phi = new double[Math.max(k + 2, order + 1)];
        this.sharedBuffers = buffers != null;
        this.buffers = buffers != null ? buffers : new FitBuffers(4L * pixels * mapNames.size());
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
        checkOpen();
        checkImage(energyEv, mu);
        long terms = prepare(energyEv, mu, true);
        int nl = (int) (terms >>> 32);
        int ns = (int) terms;
        double[][] lin = linTargets;
        double[] w = linWeights;
        double[][] sq = sqTargets;
        rows.forEachStripe(height, stripeRows, (worker, r0, r1) -> AccumulateKernel.accumulate(mu, lin, w, nl, sq,
                ns, r0 * width, r1 * width));
        releaseRetiredPlanes();
    }

    /**
     * Adds several images at once, equivalent to calling {@link #addEnergy} for each in order (bit for
     * bit), but register-blocked: per block of pixels (packed from all images once, cache resident) and
     * region, each pixel's accumulators of the region stay in registers while the region's images
     * stream by in arrival order ({@link AccumulateKernel#accumulateRegion}); each plane is loaded and
     * stored once per block instead of once per image. The fast path for refitting a whole stack and for
     * the full-resolution batches of {@code LiveBinnedFitter}. A widening band that retires during the batch
     * is not accumulated at all: {@code addEnergy} would drop its planes by the end of the batch anyway.
     *
     * <p>Allocates the per-region image lists and, per pool thread, one packed block of about 390 KiB.
     *
     * @param energiesEv energies, eV; not modified
     * @param mu         images, retained by reference and never modified
     */
    @Override
    public void addEnergies(double[] energiesEv, float[][] mu) {
        checkOpen();
        Batch batch = prepareBatch(energiesEv, mu);
        if (batch != null) {
            try {
                rows.forEachStripe(height, stripeRows, batch::accumulate);
            } catch (RuntimeException | Error e) {
                batch.zeroDirtyPlanes();
                throw e;
            }
        }
        releaseRetiredPlanes();
    }

    /**
     * {@link #addEnergies} then {@link #snapshot}, the same maps and summaries bit for bit, in one pass over
     * the pixels: each chunk of pixels is solved right after the blocks that hold it were accumulated, while
     * its accumulator planes and the images around the edge are still in cache (a separate snapshot reads
     * them back from memory: about 0.5 GB of planes and a few hundred MB of images for a 2048×2048 stack of
     * 100 energies). The path of a full refit.
     *
     * @throws IllegalArgumentException as {@link #addEnergies} (nothing is changed then)
     */
    @Override
    public MapsSnapshot addEnergiesAndSnapshot(double[] energiesEv, float[][] mu, String scanId,
                                               boolean finalSnapshot, long epochMillis) {
        Objects.requireNonNull(scanId, "scanId");
        checkOpen();
        Batch batch = prepareBatch(energiesEv, mu);
        if (batch == null) {
            return snapshot(scanId, finalSnapshot, epochMillis);
        }
        SnapshotRun run = new SnapshotRun();
        try {
            rows.forEachStripe(height, stripeRows, (worker, r0, r1) -> run.solve(worker, r0, r1, batch));
        } catch (RuntimeException | Error e) {
            batch.zeroDirtyPlanes();
            throw e;
        }
        releaseRetiredPlanes();
        return run.finish(scanId, finalSnapshot, epochMillis);
    }

    /**
     * Checks and registers a batch of images (Gram matrices, counts, planes allocated); null for an empty
     * batch. Nothing is changed if an image or energy is refused.
     */
    private Batch prepareBatch(double[] energiesEv, float[][] mu) {
        if (energiesEv.length != mu.length) {
            throw new IllegalArgumentException("need as many images as energies, got " + energiesEv.length
                    + " energies and " + mu.length + " images");
        }
        for (int e = 0; e < mu.length; e++) {
            checkImage(energiesEv[e], mu[e]);
        }
        int m = mu.length;
        if (m == 0) {
            return null;
        }
        int[] inRegions = new int[m];
        int[] count = new int[regions.length];
        for (int e = 0; e < m; e++) {
            prepare(energiesEv[e], mu[e], false);
            inRegions[e] = preparedRegions;
            for (int r = 0; r < regions.length; r++) {
                count[r] += (preparedRegions >>> r) & 1;
            }
        }
        // rows padded by a cache line (see AccumulateKernel)
        int block = Math.max(64, Math.min(4096, (PACKED_FLOATS / m) & ~15));
        int stride = block + AccumulateKernel.ROW_PAD;
        List<AccumulateKernel.RegionBatch> batches = new ArrayList<>();
        boolean[] zeroFirst = new boolean[regions.length];
        double[] basis = new double[phi.length];
        List<Region> fresh = new ArrayList<>();
        for (int r = 0; r < regions.length; r++) {
            if (count[r] > 0 && !regions[r].retired && regions[r].s == null) {
                fresh.add(regions[r]);
            }
        }
        allocatePlanes(fresh, false);
        for (int r = 0; r < regions.length; r++) {
            Region g = regions[r];
            if (count[r] == 0 || g.retired) {
                continue;
            }
            int[] rowOff = new int[count[r]];
            double[] w = new double[count[r] * g.terms];
            int j = 0;
            for (int e = 0; e < m; e++) {
                if (((inRegions[e] >>> r) & 1) != 0) {
                    rowOff[j] = e * stride;
                    basis(r, energiesEv[e], basis);
                    System.arraycopy(basis, 0, w, j * g.terms, g.terms);
                    j++;
                }
            }
            zeroFirst[batches.size()] = g.dirty;
            g.dirty = false;
            batches.add(new AccumulateKernel.RegionBatch(rowOff, w, g.b, g.s));
        }
        return new Batch(mu, batches.toArray(new AccumulateKernel.RegionBatch[0]),
                java.util.Arrays.copyOf(zeroFirst, batches.size()), block, stride, new float[rows.threads()][]);
    }

    /**
     * A registered batch of images: per region, where its images sit in the packed block and their
     * weights; per pool thread, its packed block (allocated on first use).
     */
    private final class Batch {
        private final float[][] mu;
        private final AccumulateKernel.RegionBatch[] work;
        /** Per region batch, whether its planes came from the buffers (zeroed block by block before use). */
        private final boolean[] zeroFirst;
        private final int block;
        private final int stride;
        private final float[][] packedOf;
        /** Per pool thread, the end of the pixels it has accumulated in its current stripe. */
        private final int[] doneTo;

        Batch(float[][] mu, AccumulateKernel.RegionBatch[] work, boolean[] zeroFirst, int block, int stride,
              float[][] packedOf) {
            this.mu = mu;
            this.work = work;
            this.zeroFirst = zeroFirst;
            this.block = block;
            this.stride = stride;
            this.packedOf = packedOf;
            this.doneTo = new int[packedOf.length];
        }

        /**
         * After a failed pass: the planes that came from the buffers are zeroed whole (blocks not reached would
         * otherwise keep a former fit's values).
         */
        void zeroDirtyPlanes() {
            for (int r = 0; r < work.length; r++) {
                if (zeroFirst[r]) {
                    for (double[] plane : work[r].b) {
                        java.util.Arrays.fill(plane, 0.0);
                    }
                    java.util.Arrays.fill(work[r].s, 0.0);
                }
            }
        }

        /** Accumulates rows {@code [r0, r1)}. */
        void accumulate(int worker, int r0, int r1) {
            begin(worker, r0);
            accumulateTo(worker, r1 * width, r1 * width);
        }

        /** Starts the stripe that begins at row {@code r0}. */
        void begin(int worker, int r0) {
            doneTo[worker] = r0 * width;
        }

        /**
         * Accumulates whole blocks of the current stripe from where the last call stopped until pixel
         * {@code need} is covered; blocks never reach past {@code end}, the stripe's end.
         */
        void accumulateTo(int worker, int need, int end) {
            float[] packed = packedOf[worker];
            if (packed == null) {
                packed = new float[mu.length * stride];
                packedOf[worker] = packed;
            }
            int i0 = doneTo[worker];
            for (; i0 < need; i0 += block) {
                int len = Math.min(block, end - i0);
                for (int e = 0; e < mu.length; e++) {
                    System.arraycopy(mu[e], i0, packed, e * stride, len);
                }
                for (int r = 0; r < work.length; r++) {
                    AccumulateKernel.RegionBatch batch = work[r];
                    if (zeroFirst[r]) {
                        for (double[] b : batch.b) {
                            java.util.Arrays.fill(b, i0, i0 + len, 0.0);
                        }
                        java.util.Arrays.fill(batch.s, i0, i0 + len, 0.0);
                    }
                    AccumulateKernel.accumulateRegion(packed, batch, i0, len);
                }
            }
            doneTo[worker] = Math.min(i0, end);
        }
    }

    /**
     * Gives the {@code fresh} regions (none allocated yet) their accumulator planes, on the row threads: planes
     * from the buffers where they hold some, else new ones, which the JVM zeroes in the thread that allocates
     * them (about 0.5 GB for a refit of a 2048×2048 stack, tens of milliseconds on one thread). A reused plane
     * holds a former fit's values: zeroed here if {@code zeroNow}, else its region is marked {@link Region#dirty}
     * for the batch to zero block by block just before the first accumulation, while in cache.
     */
    private void allocatePlanes(List<Region> fresh, boolean zeroNow) {
        int total = 0;
        for (Region g : fresh) {
            g.b = new double[g.terms][];
            total += g.terms + 1;
        }
        Region[] regionOf = new Region[total];
        int[] planeOf = new int[total];
        int n = 0;
        for (Region g : fresh) {
            for (int j = 0; j <= g.terms; j++) {
                regionOf[n] = g;
                planeOf[n++] = j;
            }
        }
        rows.forEachStripe(total, 1, (worker, i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                Region g = regionOf[i];
                double[] plane = buffers.takePlane(pixels);
                if (plane == null) {
                    plane = new double[pixels];
                } else if (zeroNow) {
                    java.util.Arrays.fill(plane, 0.0);
                } else {
                    g.dirty = true; // the same value from any thread; seen by the caller after the join
                }
                if (planeOf[i] < g.terms) {
                    g.b[planeOf[i]] = plane;
                } else {
                    g.s = plane;
                }
            }
        });
    }

    /** @throws IllegalArgumentException unless the energy is a positive finite number (eV) */
    static void checkEnergy(double energyEv) {
        if (!Double.isFinite(energyEv) || energyEv <= 0) {
            throw new IllegalArgumentException("energy must be a positive finite number of eV, got " + energyEv);
        }
    }

    private void checkImage(double energyEv, float[] mu) {
        Objects.requireNonNull(mu, "mu");
        checkEnergy(energyEv);
        if (mu.length != pixels) {
            throw new IllegalArgumentException("image has " + mu.length + " pixels, expected " + width + "x"
                    + height + " = " + pixels);
        }
    }

    /**
     * Registers one image: bookkeeping of energies, Gram matrices and region counts, and fills the
     * scratch target lists with the accumulator planes it updates (if {@code targets}; else the caller
     * allocates the planes). Sets {@link #preparedRegions}.
     *
     * @return (number of linear targets) &lt;&lt; 32 | (number of square targets)
     */
    private long prepare(double energyEv, float[] mu, boolean targets) {
        int index = images.size();
        images.add(mu);
        if (index == energies.length) {
            energies = java.util.Arrays.copyOf(energies, 2 * index);
        }
        energies[index] = energyEv;
        Indices same = byEnergy.get(energyEv);
        boolean newEnergy = same == null;
        if (newEnergy) {
            same = new Indices();
            byEnergy.put(energyEv, same);
        }
        same.add(index);

        int nLin = 0;
        int nSq = 0;
        int regionsOfImage = 0;
        for (int r = 0; r < regions.length; r++) {
            Region g = regions[r];
            if (!g.contains(energyEv)) {
                continue;
            }
            g.addSample(energyEv, newEnergy);
            if (g.retired) {
                continue;
            }
            basis(r, energyEv, phi);
            g.addGram(phi);
            regionsOfImage |= 1 << r;
            if (!targets) {
                continue;
            }
            if (g.s == null) {
                allocatePlanes(List.of(g), true);
            }
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
        preparedRegions = regionsOfImage;
        return ((long) nLin << 32) | nSq;
    }

    /** The accumulator planes of the live regions, region by region (b then s); for tests. */
    List<double[]> accumulatorPlanes() {
        List<double[]> planes = new ArrayList<>();
        for (Region g : regions) {
            if (g.s != null) {
                planes.addAll(List.of(g.b));
                planes.add(g.s);
            }
        }
        return planes;
    }

    private void releaseRetiredPlanes() {
        for (Region g : regions) {
            if (g.retired) {
                givePlanes(g);
            }
        }
    }

    /** Drops a region's planes, into the shared buffers if any. */
    private void givePlanes(Region g) {
        if (g.s != null && sharedBuffers) {
            for (double[] plane : g.b) {
                buffers.givePlane(plane);
            }
            buffers.givePlane(g.s);
        }
        g.b = null;
        g.s = null;
    }

    /**
     * Gives the accumulator planes to the buffers the fit was made with (none without shared buffers); the fit
     * cannot be used afterwards. Idempotent. Snapshots already taken stay valid (their maps are separate arrays).
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (Region g : regions) {
                givePlanes(g);
            }
            images.clear();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("fit closed: its planes may be another fit's by now");
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
        checkOpen();
        SnapshotRun run = new SnapshotRun();
        rows.forEachStripe(height, stripeRows, (worker, r0, r1) -> run.solve(worker, r0, r1, null));
        return run.finish(scanId, finalSnapshot, epochMillis);
    }

    /**
     * One snapshot being computed: the plan, the map arrays, per pool thread a {@link BandSolver}, per
     * stripe its summary moments and sample (merged in stripe order by {@link #finish}, so the summaries
     * do not depend on the thread count or on which thread ran which stripe).
     */
    private final class SnapshotRun {
        private final Plan plan = new Plan();
        private final int nMaps = mapNames.size();
        private final float[][] maps = new float[nMaps][];
        private final int sx = (width + SAMPLE_SIDE - 1) / SAMPLE_SIDE;
        private final int sy = (height + SAMPLE_SIDE - 1) / SAMPLE_SIDE;
        private final int sampleCols = (width + sx - 1) / sx;
        private final int sampleRows = (height + sy - 1) / sy;
        private final BandSolver[] solvers = new BandSolver[rows.threads()];
        private final BandSolver.Stripe[] stripes = new BandSolver.Stripe[(height + stripeRows - 1) / stripeRows];

        SnapshotRun() {
            // every pixel of every map is written: arrays of released snapshots serve as they are
            boolean missing = false;
            for (int m = 0; m < nMaps; m++) {
                maps[m] = buffers.takeMap(pixels);
                missing |= maps[m] == null;
            }
            if (missing) {
                // the JVM zeroes new arrays: a few hundred MB for large images, zeroed on the row threads in parallel
                rows.forEachBand(nMaps, (m0, m1) -> {
                    for (int m = m0; m < m1; m++) {
                        if (maps[m] == null) {
                            maps[m] = new float[pixels];
                        }
                    }
                });
            }
        }

        /** Solves rows {@code [r0, r1)}, each chunk right after {@code batch} (if any) accumulated it. */
        void solve(int worker, int r0, int r1, Batch batch) {
            BandSolver solver = solvers[worker];
            if (solver == null) {
                solver = new BandSolver(plan, nMaps, sx, sy, sampleCols);
                solvers[worker] = solver;
            }
            stripes[r0 / stripeRows] = solver.solve(maps, r0, r1, batch, worker);
        }

        MapsSnapshot finish(String scanId, boolean finalSnapshot, long epochMillis) {
            MapStatistics.Moments[] moments = new MapStatistics.Moments[nMaps];
            for (int m = 0; m < nMaps; m++) {
                moments[m] = new MapStatistics.Moments();
            }
            float[][] samples = new float[nMaps][sampleCols * sampleRows];
            int[] sampleN = new int[nMaps];
            for (BandSolver.Stripe stripe : stripes) {
                for (int m = 0; m < nMaps; m++) {
                    moments[m].merge(stripe.moments()[m]);
                    System.arraycopy(stripe.sample()[m], 0, samples[m], sampleN[m], stripe.sampleN()[m]);
                    sampleN[m] += stripe.sampleN()[m];
                }
            }
            MapSummary[] summaries = new MapSummary[nMaps];
            rows.forEachBand(nMaps, (m0, m1) -> {
                for (int m = m0; m < m1; m++) {
                    summaries[m] = MapStatistics.summary(moments[m], samples[m], sampleN[m]);
                }
            });
            Map<String, float[]> named = new LinkedHashMap<>();
            Map<String, MapSummary> summary = new LinkedHashMap<>();
            for (int m = 0; m < nMaps; m++) {
                named.put(mapNames.get(m), maps[m]);
                summary.put(mapNames.get(m), summaries[m]);
            }
            FitBuffers to = buffers;
            float[][] arrays = maps;
            // final maps also travel in the scan's end and into result files: never reused
            MapsLease lease = finalSnapshot ? null : MapsLease.of(() -> {
                for (float[] a : arrays) {
                    to.giveMap(a);
                }
            });
            return new MapsSnapshot(scanId, images.size(), finalSnapshot, width, height, named, summary,
                    plan.whitelineOnly, epochMillis, 1, width, height, lease);
        }
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
        /** Per subset, the reference block of G_S⁻¹: row sums and total (for the fraction errors). */
        final double[][] subsetRefRowSum;
        final double[] subsetRefTotal;

        Plan() {
            pre = lineRegions(PRE_CORE, PRE_EXT);
            post = lineRegions(POST_CORE, POST_EXT);
            preGi = pre == null ? null : inverse(pre, 2);
            postGi = post == null ? null : inverse(post, 2);
            preN = samples(pre);
            whitelineOnly = preGi == null || postGi == null;

            Region wl = regions[WL];
            wlN = wl.samples;
            wlGi = wl.distinct >= wlP ? inverse(new Region[] {wl}, wlP) : null;
            wlQuadGi = wl.distinct >= 3 ? leadingInverse(wl, 3) : null;

            if (!whitelineOnly) {
                double lo = settings.preset().edgeLoEv();
                double hi = settings.preset().edgeHiEv();
                // the energies whose pairs can hold a crossing inside the window (as the scan defines them)
                double[] distinct = byEnergy.keySet().stream().mapToDouble(Double::doubleValue).toArray();
                int start = Convert.firstCrossingPoint(distinct, lo);
                int end = Convert.lastCrossingPoint(distinct, hi);
                int count = end - start >= 1 ? end - start + 1 : 0;
                crossImages = new float[count][][];
                crossEv = new double[count];
                crossX = new double[count];
                for (int d = 0; d < count; d++) {
                    double e = distinct[start + d];
                    Indices idx = byEnergy.get(e);
                    crossImages[d] = new float[idx.n][];
                    for (int t = 0; t < idx.n; t++) {
                        crossImages[d][t] = images.get(idx.values[t]);
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
            subsetRefRowSum = new double[subsets][];
            subsetRefTotal = new double[subsets];
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
                if (byEnergy.size() > ps && SmallMatrices.invertSpd(g, ps, gi)) {
                    subsetGi[sub] = gi;
                    double[] rowSum = new double[ps - 2];
                    double total = 0;
                    for (int r = 0; r < ps - 2; r++) {
                        for (int c = 0; c < ps - 2; c++) {
                            rowSum[r] += gi[r * ps + c];
                        }
                        total += rowSum[r];
                    }
                    subsetRefRowSum[sub] = rowSum;
                    subsetRefTotal[sub] = total;
                }
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

    /**
     * Solves the pixels of stripes of rows in chunks of {@value #CHUNK}. Each chunk goes through simple
     * passes that stream one or two accumulator planes at a time into chunk-sized double scratch arrays
     * (cache resident, straight-line loops the JIT vectorizes: the shared-matrix products, the
     * quadratic vertex and its error, the LCF fractions and their errors, the first 0.5 crossing of the
     * normalized mu — a few pixels at a time through the images around the edge, the first crossing kept
     * in vector registers), then the mask selects (the general per-pixel pass only for the
     * whiteline-only and cubic cases and for invalid pixels), then the pixels whose unconstrained LCF has a
     * negative weight are compacted, each subset of references is solved for all of them at once and the
     * outputs are computed per winning subset, then each output row is converted to float into its map
     * and folded into the stripe's summary moments in the same pass, and into its sample.
     *
     * <p>One per pool thread: allocates its scratch once, the moments and sample per stripe, nothing per
     * pixel or chunk.
     */
    private final class BandSolver {
        private static final int CHUNK = 1024;
        private final Plan plan;
        private final int nMaps;
        private final int sx;
        private final int sy;
        // chunk scratch
        private final double[] sAll = new double[CHUNK];
        private final double[] preC0 = new double[CHUNK];
        private final double[] preC1 = new double[CHUNK];
        private final double[] preS = new double[CHUNK];
        private final double[] postC0 = new double[CHUNK];
        private final double[][] wlC;
        private final double[] wlProj = new double[CHUNK];
        private final double[][] lcC;
        private final double[] lcProj = new double[CHUNK];
        private final double[] tmp2 = new double[CHUNK];
        private final double[][] planes;
        private final double[] planeS = new double[CHUNK];
        private final double[] tmp = new double[CHUNK];
        private final double[][] out;
        private final double[] sums = new double[2];
        private final int[] slowIdx = new int[CHUNK];
        private boolean fullLcf;
        // per-pixel scratch of the LCF subset search and the cubic whiteline
        private final double[][] sb;
        private final double[][] cs;
        private final double[] sS = new double[CHUNK];
        private final double[] proj = new double[CHUNK];
        private final double[] bestProj = new double[CHUNK];
        /** Index of the best feasible subset so far per searched pixel (−1: none), as lane values. */
        private final double[] bestSub = new double[CHUNK];
        /** Smallest reference weight of the subset solution per searched pixel (feasible: ≥ 0). */
        private final double[] minC = new double[CHUNK];
        private final double[] minW = new double[CHUNK];
        private final double[] quadParams = new double[8];
        /** The columns of one subset for {@link Convert#subsetStep}. */
        private final double[][] subsetCols = new double[3][];
        /** Parameters of {@link Convert#edgeLines} (set when both lines exist). */
        private final double[] lineParams = new double[6];
        // per-group columns of the subset outputs
        private final int[] group = new int[CHUNK];
        private final double[] gS = new double[CHUNK];
        private final double[] gProj = new double[CHUNK];
        private final double[] gMu = new double[CHUNK];
        private final double[] gSum = new double[CHUNK];
        private final double[] gSig2 = new double[CHUNK];
        private final double[][] gW;
        private final double[][] gF;
        private final double[][] gFs;
        private final double[] grad;
        private final double[] wlCoef;
        private final int sampleCols;
        // results of the stripe being solved
        private MapStatistics.Moments[] moments;
        private float[][] sample;
        private int[] sampleN;

        /** Summary moments and lattice sample of one stripe's maps, sample in row order. */
        record Stripe(MapStatistics.Moments[] moments, float[][] sample, int[] sampleN) {
        }

        BandSolver(Plan plan, int nMaps, int sx, int sy, int sampleCols) {
            this.plan = plan;
            this.nMaps = nMaps;
            this.sx = sx;
            this.sy = sy;
            this.sampleCols = sampleCols;
            wlC = new double[plan.wlP][CHUNK];
            lcC = new double[plan.q][CHUNK];
            out = new double[nMaps][CHUNK];
            planes = new double[Math.max(plan.wlP, plan.q)][CHUNK];
            sb = new double[plan.q][CHUNK];
            cs = new double[plan.q][CHUNK];
            gW = new double[k][CHUNK];
            gF = new double[k][CHUNK];
            gFs = new double[k][CHUNK];
            grad = new double[plan.wlP];
            wlCoef = new double[plan.wlP];
            if (plan.preGi != null && plan.postGi != null) {
                lineParams[0] = plan.preGi[0];
                lineParams[1] = plan.preGi[1];
                lineParams[2] = plan.preGi[3];
                lineParams[3] = 1.0 / (plan.preN - 2);
                lineParams[4] = plan.postGi[0];
                lineParams[5] = plan.postGi[1];
            }
            if (plan.wlGi != null) {
                double[] q = quadParams;
                q[0] = wlMid;
                q[1] = wlHalf;
                q[2] = settings.preset().whitelineLoEv();
                q[3] = settings.preset().whitelineHiEv();
                q[4] = plan.wlGi[4];
                q[5] = plan.wlGi[5];
                q[6] = plan.wlGi[8];
                // without degrees of freedom the error is NaN
                q[7] = plan.wlN > 3 ? 1.0 / (plan.wlN - 3) : Double.NaN;
            }
        }

        /**
         * Solves rows [r0, r1) into the maps, each chunk right after {@code batch} (if not null) accumulated
         * it as pool thread {@code worker}; returns the stripe's moments and sample.
         */
        Stripe solve(float[][] maps, int r0, int r1, Batch batch, int worker) {
            moments = new MapStatistics.Moments[nMaps];
            // lattice rows y ≡ 0 (mod sy) in [r0, r1)
            int sampleRows = (r1 + sy - 1) / sy - (r0 + sy - 1) / sy;
            sample = new float[nMaps][sampleRows * sampleCols];
            sampleN = new int[nMaps];
            for (int m = 0; m < nMaps; m++) {
                moments[m] = new MapStatistics.Moments();
            }
            solveChunks(maps, r0 * width, r1 * width, batch, worker);
            return new Stripe(moments, sample, sampleN);
        }

        private void solveChunks(float[][] maps, int from, int to, Batch batch, int worker) {
            Region all = regions[ALL];
            fullLcf = k > 0 && plan.subsetGi[(1 << k) - 1] != null;
            if (batch != null) {
                batch.begin(worker, from / width);
            }
            for (int i0 = from; i0 < to; i0 += CHUNK) {
                int len = Math.min(CHUNK, to - i0);
                if (batch != null) {
                    batch.accumulateTo(worker, i0 + len, to);
                }
                if (all.s == null) {
                    java.util.Arrays.fill(sAll, 0, len, Double.NaN);
                } else {
                    System.arraycopy(all.s, i0, sAll, 0, len);
                }
                linePasses(i0, len);
                polynomialPass(regions[WL], plan.wlGi, plan.wlP, wlC, wlProj, i0, len);
                if (order == 2) {
                    quadraticWhitelinePass(i0, len);
                }
                if (k > 0) {
                    polynomialPass(regions[ALL], plan.subsetGi[(1 << k) - 1], plan.q, lcC, lcProj, i0, len);
                    fullLcfPass(i0, len);
                }
                edgeCrossing(i0, len);
                if (!plan.whitelineOnly && order == 2) {
                    edgePixels(i0, len);
                } else {
                    for (int c = 0; c < len; c++) {
                        pixel(i0 + c, c);
                    }
                }
                if (k > 0) {
                    subsetSearch(i0, len);
                }
                double[] mask = out[nMaps - 1];
                int firstTrusted = 0;
                while (firstTrusted < len && mask[firstTrusted] == 0) {
                    firstTrusted++;
                }
                for (int m = 0; m < nMaps; m++) {
                    moments[m].storeTrusted(out[m], maps[m], i0, mask, firstTrusted, len, sums);
                }
                collectSample(maps, i0, len);
            }
        }

        /**
         * Pre-edge coefficients, residual and sd (into pre_edge_sd); post-edge value at the edge and the
         * jump. With both lines from one region each (the widening bands retired: the common case) one pass
         * over the five planes in place; else through scratch copies.
         */
        private void linePasses(int i0, int len) {
            double[] sd = out[5];
            if (plan.preGi != null && plan.postGi != null && plan.pre.length == 1 && plan.post.length == 1
                    && !plan.whitelineOnly) {
                Region a = plan.pre[0];
                Region z = plan.post[0];
                Convert.edgeLines(a.b[0], a.b[1], a.s, z.b[0], z.b[1], i0, lineParams, preC0, preC1, sd, out[4], len);
                return;
            }
            if (plan.preGi != null) {
                double g00 = plan.preGi[0];
                double g01 = plan.preGi[1];
                double g11 = plan.preGi[3];
                Region a = plan.pre[0];
                System.arraycopy(a.b[0], i0, preC0, 0, len);
                System.arraycopy(a.b[1], i0, preC1, 0, len);
                System.arraycopy(a.s, i0, preS, 0, len);
                if (plan.pre.length > 1) {
                    Region x = plan.pre[1];
                    Convert.add(preC0, 0, x.b[0], i0, len);
                    Convert.add(preC1, 0, x.b[1], i0, len);
                    Convert.add(preS, 0, x.s, i0, len);
                }
                double invDof = 1.0 / (plan.preN - 2);
                for (int c = 0; c < len; c++) {
                    double b0 = preC0[c];
                    double b1 = preC1[c];
                    double c0 = g00 * b0 + g01 * b1;
                    double c1 = g01 * b0 + g11 * b1;
                    double rss = preS[c] - (c0 * b0 + c1 * b1);
                    preC0[c] = c0;
                    preC1[c] = c1;
                    sd[c] = Math.sqrt(Math.max(rss, 0.0) * invDof);
                }
            } else {
                java.util.Arrays.fill(sd, 0, len, Double.NaN);
            }
            if (plan.postGi != null) {
                double g00 = plan.postGi[0];
                double g01 = plan.postGi[1];
                Region a = plan.post[0];
                // plane segments first into scratch: loops over equal indices vectorize
                System.arraycopy(a.b[0], i0, tmp, 0, len);
                System.arraycopy(a.b[1], i0, tmp2, 0, len);
                if (plan.post.length > 1) {
                    Region x = plan.post[1];
                    Convert.add(tmp, 0, x.b[0], i0, len);
                    Convert.add(tmp2, 0, x.b[1], i0, len);
                }
                for (int c = 0; c < len; c++) {
                    postC0[c] = g00 * tmp[c] + g01 * tmp2[c];
                }
            }
            if (!plan.whitelineOnly) {
                double[] jump = out[4];
                for (int c = 0; c < len; c++) {
                    jump[c] = SpectrumEstimators.edgeJump(postC0[c], preC0[c]);
                }
            }
        }

        /**
         * {@code coef = G⁻¹ b} and {@code proj = coefᵀ b} for the chunk: in vector registers straight from
         * the planes for 3 or 4 terms (the quadratic whiteline, the LCF with one or two references), else one
         * plane at a time through scratch copies.
         */
        private void polynomialPass(Region r, double[] gi, int p, double[][] coef, double[] proj, int i0, int len) {
            if (gi == null) {
                return;
            }
            if (Convert.polynomialInPlace(p)) {
                Convert.polynomial(r.b, i0, gi, p, coef, proj, len);
                return;
            }
            // plane segments first into scratch: loops over equal indices vectorize
            for (int t = 0; t < p; t++) {
                System.arraycopy(r.b[t], i0, planes[t], 0, len);
            }
            for (int j = 0; j < p; j++) {
                double[] cj = coef[j];
                java.util.Arrays.fill(cj, 0, len, 0.0);
                for (int t = 0; t < p; t++) {
                    double g = gi[j * p + t];
                    double[] bt = planes[t];
                    for (int c = 0; c < len; c++) {
                        cj[c] += g * bt[c];
                    }
                }
            }
            java.util.Arrays.fill(proj, 0, len, 0.0);
            for (int j = 0; j < p; j++) {
                double[] cj = coef[j];
                double[] bj = planes[j];
                for (int c = 0; c < len; c++) {
                    proj[c] += cj[c] * bj[c];
                }
            }
        }

        /**
         * Vertex, height and delta-method error of the quadratic for every pixel of the chunk (validity —
         * negative curvature, vertex inside the window — is decided per pixel afterwards).
         */
        private void quadraticWhitelinePass(int i0, int len) {
            if (plan.wlGi == null) {
                return;
            }
            System.arraycopy(regions[WL].s, i0, planeS, 0, len);
            Convert.quadraticVertex(wlC, planeS, wlProj, quadParams, out, tmp, len);
        }

        /** Fractions, their errors and the scale of the unconstrained (all references) LCF solution. */
        private void fullLcfPass(int i0, int len) {
            int full = (1 << k) - 1;
            if (plan.subsetGi[full] == null) {
                return;
            }
            double[] rssOut = out[6 + 2 * k + 2];
            double[] r2Out = out[6 + 2 * k + 1];
            double[] sumMu = regions[ALL].b[k]; // Σmu, read in place
            double invN = 1.0 / plan.allN;
            for (int c = 0; c < len; c++) {
                double sc = sAll[c];
                double rss = clampResidual(sc - lcProj[c], sc);
                double tss = sc - sumMu[i0 + c] * sumMu[i0 + c] * invN;
                rssOut[c] = rss;
                r2Out[c] = tss > 0 ? 1 - rss / tss : Double.NaN;
            }
            int q = plan.q;
            double[] gi = plan.subsetGi[full];
            double[] rowSum = plan.subsetRefRowSum[full];
            double total = plan.subsetRefTotal[full];
            double invDof = plan.allN > q ? 1.0 / (plan.allN - q) : Double.NaN;
            double[] sum = out[6 + 2 * k];
            System.arraycopy(lcC[0], 0, sum, 0, len);
            for (int j = 1; j < k; j++) {
                double[] cj = lcC[j];
                for (int c = 0; c < len; c++) {
                    sum[c] += cj[c];
                }
            }
            // σ²/S⁴ into tmp
            for (int c = 0; c < len; c++) {
                double s2 = sum[c] * sum[c];
                tmp[c] = Math.max(sAll[c] - lcProj[c], 0.0) * invDof / (s2 * s2);
            }
            for (int j = 0; j < k; j++) {
                double[] cj = lcC[j];
                double[] f = out[6 + 2 * j];
                double[] fs = out[7 + 2 * j];
                double ujj = gi[j * q + j];
                double rj = rowSum[j];
                for (int c = 0; c < len; c++) {
                    double s = sum[c];
                    double w = cj[c];
                    f[c] = w / s;
                    fs[c] = Math.sqrt(tmp[c] * (s * s * ujj - 2 * s * w * rj + w * w * total));
                }
            }
        }

        /**
         * First upward crossing of 0.5 of the normalized mu inside the edge window for every pixel of the
         * chunk, into the edge map scratch (NaN when none or where the jump is not positive):
         * {@link Convert#crossingScan}, a few pixels at a time through the images around the edge.
         */
        private void edgeCrossing(int i0, int len) {
            double[] edge = out[3];
            if (plan.whitelineOnly || plan.crossEv.length < 2) {
                java.util.Arrays.fill(edge, 0, len, Double.NaN);
                return;
            }
            Convert.crossingScan(plan.crossImages, plan.crossX, plan.crossEv, settings.preset().edgeLoEv(),
                    settings.preset().edgeHiEv(), i0, preC0, preC1, out[4], edge, len);
        }

        /**
         * The LCF of pixels whose unconstrained solution is not usable (a negative weight, all weights 0,
         * or no unconstrained solution): collected without branches, then solved one by one.
         */
        private void subsetSearch(int i0, int len) {
            double[] sum = out[6 + 2 * k];
            // the smallest reference weight of the unconstrained solution (NaN if any is NaN)
            if (fullLcf) {
                System.arraycopy(lcC[0], 0, minW, 0, len);
                for (int j = 1; j < k; j++) {
                    double[] cj = lcC[j];
                    for (int c = 0; c < len; c++) {
                        minW[c] = Math.min(minW[c], cj[c]);
                    }
                }
            }
            int n = 0;
            for (int c = 0; c < len; c++) {
                boolean fast = fullLcf && sum[c] > 0 & minW[c] >= 0;
                boolean valid = Double.isFinite(sAll[c]);
                slowIdx[n] = c;
                n += valid & !fast ? 1 : 0;
            }
            if (n == 0) {
                return;
            }
            // a feasible unconstrained solution here has all weights exactly 0: no fractions (rss, r2 and
            // the zero scale come from the chunk pass); the others go through the subset search
            int full = (1 << k) - 1;
            int m = 0;
            for (int t = 0; t < n; t++) {
                int c = slowIdx[t];
                if (fullLcf && minW[c] >= 0) {
                    for (int j = 0; j < 2 * k; j++) {
                        out[6 + j][c] = Double.NaN;
                    }
                } else {
                    slowIdx[m++] = c;
                }
            }
            // the searched pixels' accumulators, compacted: every subset is solved for all of them at once
            Region all = regions[ALL];
            int q = plan.q;
            for (int j = 0; j < q; j++) {
                double[] bj = all.b[j];
                double[] sj = sb[j];
                for (int t = 0; t < m; t++) {
                    sj[t] = bj[i0 + slowIdx[t]];
                }
            }
            for (int t = 0; t < m; t++) {
                sS[t] = sAll[slowIdx[t]];
                bestSub[t] = -1;
                bestProj[t] = Double.NEGATIVE_INFINITY;
            }
            for (int sub = full - 1; sub >= 0; sub--) {
                double[] gi = plan.subsetGi[sub];
                if (gi == null) {
                    continue;
                }
                int[] cols = plan.subsetCols[sub];
                int ps = cols.length;
                if (Convert.subsetStepFused(ps)) {
                    for (int u = 0; u < ps; u++) {
                        subsetCols[u] = sb[cols[u]];
                    }
                    Convert.subsetStep(subsetCols, gi, ps, sS, RSS_RESOLUTION, sub, bestProj, bestSub, m);
                    continue;
                }
                // c_S = G_S⁻¹ b_S (same summation order as SmallMatrices.multiply)
                for (int r = 0; r < ps; r++) {
                    double[] cr = cs[r];
                    java.util.Arrays.fill(cr, 0, m, 0.0);
                    for (int u = 0; u < ps; u++) {
                        double g = gi[r * ps + u];
                        double[] bu = sb[cols[u]];
                        for (int t = 0; t < m; t++) {
                            cr[t] += g * bu[t];
                        }
                    }
                }
                // NaN (never feasible) if any weight is NaN; without references every solution is feasible
                if (ps == 2) {
                    java.util.Arrays.fill(minC, 0, m, 0.0);
                } else {
                    System.arraycopy(cs[0], 0, minC, 0, m);
                    for (int r = 1; r < ps - 2; r++) {
                        double[] cr = cs[r];
                        for (int t = 0; t < m; t++) {
                            minC[t] = Math.min(minC[t], cr[t]);
                        }
                    }
                }
                java.util.Arrays.fill(proj, 0, m, 0.0);
                for (int r = 0; r < ps; r++) {
                    double[] cr = cs[r];
                    double[] br = sb[cols[r]];
                    for (int t = 0; t < m; t++) {
                        proj[t] += cr[t] * br[t];
                    }
                }
                // branch-free lane selects: which subset wins is unpredictable on background pixels
                Convert.keepBest(minC, proj, sS, RSS_RESOLUTION, sub, bestProj, bestSub, m);
            }
            // outputs subset by subset: its constants once, its pixels gathered into contiguous columns
            for (int sub = full - 1; sub >= -1; sub--) {
                int g = 0;
                for (int t = 0; t < m; t++) {
                    group[g] = t;
                    g += bestSub[t] == sub ? 1 : 0;
                }
                if (g > 0) {
                    subsetOutputs(sub, g);
                }
            }
        }

        /**
         * Outputs of the searched pixels {@code group[0..g)} (compacted indices) whose best feasible subset
         * is {@code sub} (none: −1): the same arithmetic as the batch LCF per pixel, as straight-line loops
         * over the group (the divisions and roots vectorize), then scattered into the chunk rows.
         */
        private void subsetOutputs(int sub, int g) {
            int n = plan.allN;
            if (sub < 0) {
                for (int u = 0; u < g; u++) {
                    int c = slowIdx[group[u]];
                    for (int m = 0; m < 2 * k + 3; m++) {
                        out[6 + m][c] = Double.NaN;
                    }
                }
                return;
            }
            int[] cols = plan.subsetCols[sub];
            int ps = cols.length;
            int nr = ps - 2;
            double[] gi = plan.subsetGi[sub];
            double[] rowSum = plan.subsetRefRowSum[sub];
            double total = plan.subsetRefTotal[sub];
            for (int u = 0; u < g; u++) {
                int t = group[u];
                gS[u] = sS[t];
                gProj[u] = bestProj[t];
                gMu[u] = sb[k][t]; // Σmu
            }
            // the free reference weights of c_S = G_S⁻¹ b_S, summed as in the subset pass; cs is free now
            double[][] gb = cs;
            for (int v = 0; v < ps; v++) {
                double[] src = sb[cols[v]];
                double[] dst = gb[v];
                for (int u = 0; u < g; u++) {
                    dst[u] = src[group[u]];
                }
            }
            java.util.Arrays.fill(gSum, 0, g, 0.0);
            for (int r = 0; r < nr; r++) {
                double[] w = gW[r];
                java.util.Arrays.fill(w, 0, g, 0.0);
                for (int v = 0; v < ps; v++) {
                    double gv = gi[r * ps + v];
                    double[] bv = gb[v];
                    for (int u = 0; u < g; u++) {
                        w[u] += gv * bv[u];
                    }
                }
                for (int u = 0; u < g; u++) {
                    gSum[u] += w[u];
                }
            }
            if (n > ps) {
                double dof = n - ps;
                for (int u = 0; u < g; u++) {
                    gSig2[u] = Math.max(gS[u] - gProj[u], 0.0) / dof;
                }
            } else {
                java.util.Arrays.fill(gSig2, 0, g, Double.NaN);
            }
            // Var(w_j/S) by the delta method over the free reference weights (U = reference block of G_S⁻¹):
            // σ²/S⁴ · (S²·U_jj − 2·S·w_j·Σ_s U_js + w_j²·Σ_rs U_rs); zero for a clamped reference (weight 0)
            int r = 0;
            for (int j = 0; j < k; j++) {
                double[] f = gF[j];
                double[] fs = gFs[j];
                if (r < nr && cols[r] == j) {
                    double[] w = gW[r];
                    double ujj = gi[r * ps + r];
                    double rj = rowSum[r];
                    for (int u = 0; u < g; u++) {
                        double sum = gSum[u];
                        double s2 = sum * sum;
                        double wj = w[u];
                        double var = s2 * ujj - 2 * sum * wj * rj + wj * wj * total;
                        f[u] = wj / sum;
                        fs[u] = Math.sqrt(gSig2[u] * var / (s2 * s2));
                    }
                    r++;
                } else {
                    for (int u = 0; u < g; u++) {
                        double sum = gSum[u];
                        double s2 = sum * sum;
                        f[u] = 0 / sum;
                        fs[u] = Math.sqrt(gSig2[u] * 0.0 / (s2 * s2));
                    }
                }
            }
            double nD = n;
            // selects and scatter (NaN fractions without a positive scale, residual clamp, r2 without spread)
            double nan = Double.NaN;
            double[] scale = out[6 + 2 * k];
            double[] r2Out = out[6 + 2 * k + 1];
            double[] rssOut = out[6 + 2 * k + 2];
            for (int u = 0; u < g; u++) {
                int c = slowIdx[group[u]];
                double sum = gSum[u];
                boolean positive = sum > 0;
                for (int j = 0; j < k; j++) {
                    out[6 + 2 * j][c] = positive ? gF[j][u] : nan;
                    out[7 + 2 * j][c] = positive ? gFs[j][u] : nan;
                }
                scale[c] = sum;
                double sc = gS[u];
                double rss = clampResidual(sc - gProj[u], sc);
                double tss = sc - gMu[u] * gMu[u] / nD;
                r2Out[c] = tss > 0 ? 1 - rss / tss : nan;
                rssOut[c] = rss;
            }
        }

        private void collectSample(float[][] maps, int i0, int len) {
            double[] trusted = out[nMaps - 1];
            int y = i0 / width;
            int x = i0 - y * width;
            int c = 0;
            while (c < len) {
                int rowLeft = Math.min(len - c, width - x);
                if (y % sy == 0) {
                    // lattice columns x ≡ 0 (mod sx) of this row segment
                    int first = (sx - x % sx) % sx;
                    for (int t = first; t < rowLeft; t += sx) {
                        int cc = c + t;
                        if (trusted[cc] != 0) {
                            for (int m = 0; m < nMaps; m++) {
                                float v = maps[m][i0 + cc];
                                if (Float.isFinite(v)) {
                                    sample[m][sampleN[m]++] = v;
                                }
                            }
                        }
                    }
                }
                c += rowLeft;
                x = 0;
                y++;
            }
        }

        /**
         * {@link #pixel} for a whole chunk when the edge lines exist and the whiteline is the quadratic of
         * the chunk pass (the common case): straight-line selects, then the rare invalid pixels (NaN in some
         * image) one by one.
         */
        private void edgePixels(int i0, int len) {
            double kMask = settings.maskK();
            double[] jump = out[4];
            double[] noise = out[5];
            double[] mask = out[nMaps - 1];
            double nan = Double.NaN;
            boolean anyInvalid = false;
            for (int c = 0; c < len; c++) {
                mask[c] = jump[c] > kMask * noise[c] ? 1 : 0;
                anyInvalid |= !Double.isFinite(sAll[c]);
            }
            if (plan.wlGi == null) {
                java.util.Arrays.fill(out[0], 0, len, nan);
                java.util.Arrays.fill(out[1], 0, len, nan);
                java.util.Arrays.fill(out[2], 0, len, nan);
            }
            if (anyInvalid) {
                for (int c = 0; c < len; c++) {
                    if (!Double.isFinite(sAll[c])) {
                        pixel(i0 + c, c);
                    }
                }
            }
        }

        /** The per-pixel decisions for pixel i whose scratch index in the chunk is c. */
        private void pixel(int i, int c) {
            final double nan = Double.NaN;
            double s = sAll[c];
            if (!Double.isFinite(s)) {
                for (int m = 0; m < nMaps - 1; m++) {
                    out[m][c] = nan;
                }
                out[nMaps - 1][c] = 0;
                return;
            }

            // whiteline: the quadratic was computed for the whole chunk, here only its validity
            if (plan.wlGi == null) {
                out[0][c] = nan;
                out[1][c] = nan;
                out[2][c] = nan;
            } else if (order == 3) {
                cubicWhiteline(i, c);
            }

            // edge
            double jump;
            double noise = out[5][c];
            if (!plan.whitelineOnly) {
                jump = out[4][c]; // the crossing scan left edge_ev NaN where the jump is not positive
            } else {
                Region wl = regions[WL];
                jump = plan.wlN > 0 ? wl.b[0][i] / plan.wlN : nan;
                if (plan.preGi == null) {
                    noise = quadraticNoise(i);
                }
                out[4][c] = jump;
            }
            boolean trusted = jump > settings.maskK() * noise;
            out[nMaps - 1][c] = trusted ? 1 : 0;
        }

        private void cubicWhiteline(int i, int c) {
            int p = plan.wlP;
            double nan = Double.NaN;
            for (int j = 0; j < p; j++) {
                wlCoef[j] = wlC[j][c];
            }
            double x = SpectrumEstimators.vertex(wlCoef, order);
            double ev = wlMid + wlHalf * x;
            out[0][c] = nan;
            out[1][c] = nan;
            out[2][c] = nan;
            if (ev >= settings.preset().whitelineLoEv() && ev <= settings.preset().whitelineHiEv()) {
                out[0][c] = ev;
                out[1][c] = SpectrumEstimators.polynomial(wlCoef, order, x);
                if (plan.wlN > p) {
                    double sigma2 = Math.max(regions[WL].s[i] - wlProj[c], 0.0) / (plan.wlN - p);
                    SpectrumEstimators.vertexGradient(wlCoef, order, x, grad);
                    out[2][c] = wlHalf * Math.sqrt(sigma2 * SmallMatrices.quadraticForm(plan.wlGi, p, grad));
                }
            }
        }

        /** Whiteline-only noise without a pre-edge line: residual sd of the quadratic whiteline fit. */
        private double quadraticNoise(int i) {
            if (plan.wlQuadGi == null || plan.wlN <= 3) {
                return Double.NaN;
            }
            Region wl = regions[WL];
            double b0 = wl.b[0][i];
            double b1 = wl.b[1][i];
            double b2 = wl.b[2][i];
            double[] g = plan.wlQuadGi;
            double c0 = g[0] * b0 + g[1] * b1 + g[2] * b2;
            double c1 = g[3] * b0 + g[4] * b1 + g[5] * b2;
            double c2 = g[6] * b0 + g[7] * b1 + g[8] * b2;
            return Math.sqrt(Math.max(wl.s[i] - (c0 * b0 + c1 * b1 + c2 * b2), 0.0) / (plan.wlN - 3));
        }
    }

    /**
     * {@code RSS} from {@code rss = s − cᵀb}, with values below the resolution of that difference (a
     * relative {@value #RSS_RESOLUTION} of {@code s}, far below any measurement noise) reported as exactly 0
     * rather than as rounding noise of either sign.
     */
    private static double clampResidual(double rss, double s) {
        return rss > RSS_RESOLUTION * s ? rss : 0;
    }

    /** Indices of the images taken at one energy (grows by doubling). */
    private static final class Indices {
        int[] values = new int[1];
        int n;

        void add(int index) {
            if (n == values.length) {
                values = java.util.Arrays.copyOf(values, 2 * n);
            }
            values[n++] = index;
        }
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
        /** Planes (some) from the buffers, still holding a former fit's values until a batch zeroes them. */
        boolean dirty;
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

        void retire() {
            retired = true;
        }
    }
}
