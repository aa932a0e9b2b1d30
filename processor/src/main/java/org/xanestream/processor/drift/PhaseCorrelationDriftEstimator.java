package org.xanestream.processor.drift;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.xanestream.processor.RowParallel;

/**
 * Phase correlation against a reference image with sub-pixel refinement on the DFT-interpolated correlation
 * surface (the surface the upsampled DFT of Guizar-Sicairos, Thurman &amp; Fienup, Opt. Lett. 33, 156 (2008)
 * samples).
 *
 * <p>Both images go through the same preparation: crop to the ROI, bin, replace NaN by the mean of the finite
 * pixels (normalized images carry NaN, which an FFT would spread everywhere), optionally take the squared gradient
 * magnitude (edges survive a contrast change across the absorption edge, areas do not), subtract the mean, apodize
 * (Hann/Tukey) to suppress the wrap-around edge of the FFT, zero-pad to powers of two. The reference's spectrum is
 * computed once, in {@link #setReference}. The normalized cross-power spectrum
 * {@code M·conj(R)/(|M·conj(R)| + floor)} is inverted for the integer peak. The peak is then refined to the maximum
 * of the exact trigonometric interpolation of the correlation,
 * {@code c(x, y) = Re Σ C(u, v)·e^{2πi(v·x/W + u·y/H)}} (u, v the row and column frequencies), by Newton's method
 * with the analytic gradient and Hessian, each step one pass over the half spectrum (three complex multiply-adds per
 * frequency), started from a parabola through the integer peak and its neighbours; it converges in 2–4 steps to
 * well below {@code resolutionPx}. Where the surface is not concave around the start (a flat or split peak), the
 * multi-stage upsampled-DFT grid search (steps 1/8, 1/64, … down to {@code resolutionPx / bin}) takes over. Real
 * images have Hermitian spectra, so every pass runs over half the frequencies.
 *
 * <p>Confidence is the peak's distinctness: {@code 1 − second / peak}, where {@code second} is the highest
 * correlation value farther than 3 analysis pixels from the peak (0 = two equal peaks or none, 1 = a single
 * peak over a flat floor).
 *
 * <p>Cost for a 2048² image at the default 1024² analysis size: two passes over the image to bin it, one real
 * 2-D FFT forward and one inverse of the analysis size, a few passes over its half spectrum; the per-pixel work
 * runs in row (or column) bands on the {@link RowParallel} workers.
 *
 * <p>Not thread safe (one per scan, processor thread). All buffers are allocated in the constructor (the FFT's
 * column scratch once per worker thread); {@link #setReference} and {@link #estimate} allocate only the
 * returned record.
 */
public final class PhaseCorrelationDriftEstimator {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /**
     * Even (odd) lanes of a vector into both its lower and its upper half; blended with {@link #UPPER_HALF}, the
     * left (right) pixels of the 2×2 bins of two consecutive vectors (single-vector shuffles and blends are
     * intrinsics in Java 17, the two-vector rearrange is not).
     */
    private static final VectorShuffle<Float> EVEN_LANES = VectorShuffle.fromOp(F, i -> (2 * i) % F.length());
    private static final VectorShuffle<Float> ODD_LANES = VectorShuffle.fromOp(F, i -> (2 * i + 1) % F.length());
    private static final VectorMask<Float> UPPER_HALF = VectorMask.fromLong(F, -1L << (F.length() / 2));
    private static final int REFINE_POINTS_PER_SIDE = 8;
    private static final int SECOND_PEAK_EXCLUSION = 3;
    /**
     * Regularization of the spectral whitening, relative to the largest cross-power magnitude: pure phase
     * correlation gives frequencies that hold only rounding noise the same weight as the signal, which
     * measurably biases the sub-pixel peak (0.02–0.04 px on clean synthetic images); this floor keeps the
     * sharp peak and drops that bias below 0.01 px.
     */
    private static final double WHITENING_FLOOR = 1e-3;
    private static final int MAX_NEWTON_STEPS = 10;
    /** Newton stops when a step is below this, in analysis pixels (far below any configurable resolution). */
    private static final double NEWTON_TOLERANCE = 1e-4;
    /** The refined peak must stay this close to the integer peak (analysis pixels), else the grid search runs. */
    private static final double MAX_REFINEMENT = 1.0;

    private final int width;
    private final int height;
    private final int roiX;
    private final int roiY;
    private final int bin;
    private final int aw;
    private final int ah;
    private final boolean gradient;
    private final double finalStep;
    private final RowParallel rows;
    private final RealFft2d fft;
    /** FFT size (powers of two, &ge; the analysis size) and half-spectrum width. */
    private final int fw;
    private final int fh;
    private final int hw;
    private final float[] window;
    private final float[] analysis;
    private final float[] gradientScratch;
    /** Row passes of the FFTs; after {@link #estimate} the integer-sampled correlation. */
    private final float[] work;
    /** Planar half spectra of the reference and the moving image. */
    private final float[] refRe;
    private final float[] refIm;
    private final float[] movRe;
    private final float[] movIm;
    private final float[] crossRe;
    private final float[] crossIm;
    private final double[] rowSum;
    private final int[] rowFinite;
    private final double[] rowSignal;
    private final float[] rowMax;
    private final int[] rowArg;
    // Newton: weighted x-kernels (value, ·v, ·v²; real, imaginary, negated imaginary) and per-row partial sums
    private final float[][] newtonKernel = new float[9][];
    private final double[] newtonPartial;
    private final double[] derivatives = new double[6];
    // upsampled-DFT grid fallback
    private final int maxGrid = 2 * REFINE_POINTS_PER_SIDE + 1;
    private final float[] colKernelRe;
    private final float[] colKernelIm;
    private final double[] partialRe;
    private final double[] partialIm;
    private final double[] grid;
    private int gridSize;
    private double refinedX;
    private double refinedY;
    private boolean hasReference;
    /** Running mean of binned images (reference mode "running mean"): sums and counts of finite bins. */
    private float[] meanSum;
    private int[] meanCount;
    /** Estimates refined by the grid search because Newton's method did not apply (diagnostics, tests). */
    private long gridSearches;
    /** Tests: always refine by the grid search. */
    boolean gridSearchOnly;
    // reused band tasks (no capturing lambda per call)
    private final BinRows binRows = new BinRows();
    private final FillRows fillRows = new FillRows();
    private final MeanRows meanRows = new MeanRows();
    private final GradientRows gradientRows = new GradientRows();
    private final SpectrumRows spectrumRows = new SpectrumRows();
    private final Columns columns = new Columns();
    private final CrossRows crossRows = new CrossRows();
    private final InverseRows inverseRows = new InverseRows();
    private final NewtonRows newtonRows = new NewtonRows();
    private final GridRows gridRows = new GridRows();
    // per-call inputs of the tasks
    private float[] input;
    private float fill;
    private float mean;

    /** An estimator whose per-pixel work runs on the calling thread. */
    public PhaseCorrelationDriftEstimator(int width, int height, DriftConfig config) {
        this(width, height, config, new RowParallel(1));
    }

    /**
     * @param width  full image width
     * @param height full image height
     * @param config ROI, binning, window, filter and resolution
     * @param rows   where the per-pixel passes run (not closed by the estimator)
     * @throws IllegalArgumentException if the ROI does not fit the image or the analysis image would be
     *                                  smaller than 8×8 pixels
     */
    public PhaseCorrelationDriftEstimator(int width, int height, DriftConfig config, RowParallel rows) {
        this.width = width;
        this.height = height;
        this.rows = rows;
        int rw = config.roiWidth() == 0 ? width : config.roiWidth();
        int rh = config.roiHeight() == 0 ? height : config.roiHeight();
        if (config.roiX() + rw > width || config.roiY() + rh > height) {
            throw new IllegalArgumentException("drift roi " + config.roiX() + "," + config.roiY() + " " + rw + "x" + rh
                    + " does not fit the " + width + "x" + height + " image");
        }
        this.roiX = config.roiX();
        this.roiY = config.roiY();
        int b = config.bin();
        if (b == 0) {
            b = 1;
            while (Math.max(rw, rh) / b > config.maxAnalysisSizePx()) {
                b *= 2;
            }
        }
        this.bin = b;
        this.aw = rw / b;
        this.ah = rh / b;
        if (aw < 8 || ah < 8) {
            throw new IllegalArgumentException("drift analysis image " + aw + "x" + ah + " (roi " + rw + "x" + rh
                    + " binned by " + b + ") is below the minimum 8x8");
        }
        this.gradient = config.gradientFilter();
        this.finalStep = config.resolutionPx() / b;
        this.fw = Integer.highestOneBit(aw - 1) << 1;
        this.fh = Integer.highestOneBit(ah - 1) << 1;
        this.hw = fw / 2;
        this.fft = new RealFft2d(fh, fw);
        this.window = makeWindow(config, aw, ah);
        int n = aw * ah;
        this.analysis = new float[n];
        this.gradientScratch = gradient ? new float[n] : null;
        this.work = new float[fh * fw];
        this.refRe = new float[fh * hw];
        this.refIm = new float[fh * hw];
        this.movRe = new float[fh * hw];
        this.movIm = new float[fh * hw];
        this.crossRe = new float[fh * hw];
        this.crossIm = new float[fh * hw];
        this.rowSum = new double[ah];
        this.rowFinite = new int[ah];
        this.rowSignal = new double[ah];
        this.rowMax = new float[fh];
        this.rowArg = new int[fh];
        for (int k = 0; k < newtonKernel.length; k++) {
            newtonKernel[k] = new float[hw];
        }
        this.newtonPartial = new double[6 * fh];
        this.colKernelRe = new float[maxGrid * hw];
        this.colKernelIm = new float[maxGrid * hw];
        this.partialRe = new double[fh * maxGrid];
        this.partialIm = new double[fh * maxGrid];
        this.grid = new double[maxGrid * maxGrid];
    }

    /** Binning factor actually used. */
    public int bin() {
        return bin;
    }

    /** Analysis image width (ROI width / bin). */
    public int analysisWidth() {
        return aw;
    }

    /** Analysis image height. */
    public int analysisHeight() {
        return ah;
    }

    /** Estimates so far whose refinement fell back from Newton's method to the upsampled-DFT grid search. */
    public long gridSearches() {
        return gridSearches;
    }

    /** Whether a reference has been set. */
    public boolean hasReference() {
        return hasReference;
    }

    /**
     * Sets the image that displacements are measured against.
     *
     * @param image row-major, full size, NaN allowed; not modified, not retained
     * @return false if the image has no finite pixel in the ROI (the reference is then unset)
     */
    public boolean setReference(float[] image) {
        hasReference = prepare(image, refRe, refIm);
        return hasReference;
    }

    /**
     * Adds an (aligned) image to the running mean that {@link #setReferenceToMean} uses, binned to the analysis
     * size: the mean of the binned images equals the binned mean image up to the weighting of bins that are
     * partly NaN in some images. The mean's buffers are allocated on the first call.
     *
     * @param image row-major, full size, NaN allowed; not modified, not retained
     */
    public void addToReferenceMean(float[] image) {
        checkSize(image);
        if (meanSum == null) {
            meanSum = new float[aw * ah];
            meanCount = new int[aw * ah];
        }
        binToAnalysis(image);
        meanRows.add = true;
        rows.forEachBand(ah, meanRows);
    }

    /**
     * Sets the reference to the mean of the images given to {@link #addToReferenceMean} so far.
     *
     * @return false if there is none or it has no finite pixel (the reference is then unset)
     */
    public boolean setReferenceToMean() {
        if (meanSum == null) {
            hasReference = false;
            return false;
        }
        meanRows.add = false;
        rows.forEachBand(ah, meanRows);
        hasReference = transform(refRe, refIm);
        return hasReference;
    }

    /**
     * Measures the displacement of {@code image} relative to the reference.
     *
     * @param image row-major, full size, NaN allowed; not modified, not retained
     * @return the displacement in full-image pixels; confidence 0 (and zero shift) if the image has no finite
     *         pixel in the ROI or the correlation has no positive peak
     * @throws IllegalStateException if no reference is set
     */
    public ShiftEstimate estimate(float[] image) {
        if (!hasReference) {
            throw new IllegalStateException("no drift reference set");
        }
        if (!prepare(image, movRe, movIm)) {
            return new ShiftEstimate(0, 0, 0);
        }
        crossRows.normalize = false;
        rows.forEachBand(fh, crossRows);
        float maxMag = 0f;
        for (int u = 0; u < fh; u++) {
            maxMag = Math.max(maxMag, rowMax[u]);
        }
        crossRows.normalize = true;
        crossRows.floor = (float) (WHITENING_FLOOR * maxMag) + Float.MIN_NORMAL;
        rows.forEachBand(fh, crossRows);
        columns.forward = false;
        rows.forEachBand(fft.columnBlocks(), columns);
        rows.forEachBand(fh, inverseRows);

        int py = 0;
        for (int u = 1; u < fh; u++) {
            if (rowMax[u] > rowMax[py]) {
                py = u;
            }
        }
        int px = rowArg[py];
        float peakValue = rowMax[py];
        if (!(peakValue > 0f)) {
            return new ShiftEstimate(0, 0, 0);
        }
        float second = secondPeak(py, px);
        double confidence = second == Float.NEGATIVE_INFINITY ? 1.0 : 1.0 - Math.max(0f, second) / peakValue;

        int cy = py > fh / 2 ? py - fh : py;
        int cx = px > fw / 2 ? px - fw : px;
        if (gridSearchOnly || !newton(cx, cy, px, py)) {
            gridSearches++;
            gridSearch(cx, cy);
        }
        return new ShiftEstimate(refinedX * bin, refinedY * bin, Math.max(0.0, Math.min(1.0, confidence)));
    }

    /** Highest correlation value farther than the exclusion distance (circular) from the peak. */
    private float secondPeak(int py, int px) {
        float second = Float.NEGATIVE_INFINITY;
        for (int y = 0; y < fh; y++) {
            int dy = Math.abs(y - py);
            dy = Math.min(dy, fh - dy);
            if (dy > SECOND_PEAK_EXCLUSION) {
                second = Math.max(second, rowMax[y]);
                continue;
            }
            int row = y * fw;
            for (int x = 0; x < fw; x++) {
                int dx = Math.abs(x - px);
                if (Math.min(dx, fw - dx) > SECOND_PEAK_EXCLUSION && work[row + x] > second) {
                    second = work[row + x];
                }
            }
        }
        return second;
    }

    // ------------------------------------------------------------------------------------------ refinement

    /**
     * Newton's method on the interpolated correlation from a parabolic estimate around the integer peak
     * {@code (cx, cy)} (signed; {@code (px, py)} its array position). Sets {@link #refinedX}/{@link #refinedY}.
     *
     * @return false if the surface is not concave on the way or the maximum lies too far from the integer peak
     */
    private boolean newton(int cx, int cy, int px, int py) {
        int row = py * fw;
        float c0 = work[row + px];
        double x = cx + parabolicOffset(work[row + (px + fw - 1) % fw], c0, work[row + (px + 1) % fw]);
        double y = cy + parabolicOffset(work[((py + fh - 1) % fh) * fw + px], c0, work[((py + 1) % fh) * fw + px]);
        for (int step = 0; step < MAX_NEWTON_STEPS; step++) {
            derivativesAt(x, y);
            double[] d = derivatives;
            double gx = d[1];
            double gy = d[2];
            double hxx = d[3];
            double hyy = d[4];
            double hxy = d[5];
            double det = hxx * hyy - hxy * hxy;
            if (!(hxx < 0 && det > 0)) {
                return false;
            }
            double sx = -(hyy * gx - hxy * gy) / det;
            double sy = -(hxx * gy - hxy * gx) / det;
            sx = Math.max(-0.5, Math.min(0.5, sx));
            sy = Math.max(-0.5, Math.min(0.5, sy));
            x += sx;
            y += sy;
            if (Math.abs(x - cx) > MAX_REFINEMENT || Math.abs(y - cy) > MAX_REFINEMENT) {
                return false;
            }
            if (Math.max(Math.abs(sx), Math.abs(sy)) < NEWTON_TOLERANCE) {
                refinedX = x;
                refinedY = y;
                return true;
            }
        }
        return false;
    }

    /** Vertex offset of the parabola through three equally spaced samples, within ±0.5 (0 if not a maximum). */
    private static double parabolicOffset(float left, float centre, float right) {
        double curvature = left - 2.0 * centre + right;
        if (!(curvature < 0)) {
            return 0;
        }
        return Math.max(-0.5, Math.min(0.5, 0.5 * (left - right) / curvature));
    }

    /**
     * Value, gradient and Hessian of the interpolated correlation at {@code (x, y)} (analysis pixels) into
     * {@link #derivatives}: {c, ∂x, ∂y, ∂xx, ∂yy, ∂xy}. Half spectrum: column {@code v > 0} stands for itself
     * and its conjugate mirror (weight 2).
     */
    private void derivativesAt(double x, double y) {
        float[][] k = newtonKernel;
        double twoPi = 2 * Math.PI;
        for (int v = 0; v < hw; v++) {
            double phase = twoPi * v * x / fw;
            double w = v == 0 ? 1 : 2;
            float kr = (float) (w * Math.cos(phase));
            float ki = (float) (w * Math.sin(phase));
            float v1 = v;
            float v2 = (float) v * v;
            k[0][v] = kr;
            k[1][v] = ki;
            k[2][v] = -ki;
            k[3][v] = kr * v1;
            k[4][v] = ki * v1;
            k[5][v] = -ki * v1;
            k[6][v] = kr * v2;
            k[7][v] = ki * v2;
            k[8][v] = -ki * v2;
        }
        rows.forEachBand(fh, newtonRows);
        double c = 0;
        double gx = 0;
        double gy = 0;
        double hxx = 0;
        double hyy = 0;
        double hxy = 0;
        for (int u = 0; u < fh; u++) {
            int fu = signedFrequency(u, fh);
            double phase = twoPi * fu * y / fh;
            double kyr = Math.cos(phase);
            double kyi = Math.sin(phase);
            int p = 6 * u;
            double[] s = newtonPartial;
            double q0r = kyr * s[p] - kyi * s[p + 1];
            double q0i = kyr * s[p + 1] + kyi * s[p];
            double q1r = kyr * s[p + 2] - kyi * s[p + 3];
            double q1i = kyr * s[p + 3] + kyi * s[p + 2];
            double q2r = kyr * s[p + 4] - kyi * s[p + 5];
            c += q0r;
            gx += q1i;
            gy += fu * q0i;
            hxx += q2r;
            hyy += (double) fu * fu * q0r;
            hxy += fu * q1r;
        }
        double ax = twoPi / fw;
        double ay = twoPi / fh;
        derivatives[0] = c;
        derivatives[1] = -ax * gx;
        derivatives[2] = -ay * gy;
        derivatives[3] = -ax * ax * hxx;
        derivatives[4] = -ay * ay * hyy;
        derivatives[5] = -ax * ay * hxy;
    }

    /**
     * Multi-stage upsampled-DFT grid search around the integer peak: grids of ±1 px at 1/8 px, then ±1/8 at
     * 1/64, … down to the configured resolution. Sets {@link #refinedX}/{@link #refinedY}.
     */
    private void gridSearch(double cx, double cy) {
        double range = 1.0;
        double step = Math.max(finalStep, range / REFINE_POINTS_PER_SIDE);
        while (true) {
            int half = (int) Math.ceil(range / step - 1e-9);
            int g = 2 * half + 1;
            evaluateGrid(cy, cx, step, half);
            int best = 0;
            for (int k = 1; k < g * g; k++) {
                if (grid[k] > grid[best]) {
                    best = k;
                }
            }
            cy += (best / g - half) * step;
            cx += (best % g - half) * step;
            if (step <= finalStep * (1 + 1e-9)) {
                break;
            }
            range = step;
            step = Math.max(finalStep, range / REFINE_POINTS_PER_SIDE);
        }
        refinedX = cx;
        refinedY = cy;
    }

    /**
     * The interpolated correlation at the grid {@code (cy + (i - half)·step, cx + (j - half)·step)}, into
     * {@link #grid} ({@code g × g}, row-major).
     */
    private void evaluateGrid(double cy, double cx, double step, int half) {
        int g = 2 * half + 1;
        double twoPi = 2 * Math.PI;
        for (int j = 0; j < g; j++) {
            double x = cx + (j - half) * step;
            for (int v = 0; v < hw; v++) {
                double phase = twoPi * v * x / fw;
                double w = v == 0 ? 1 : 2;
                colKernelRe[j * hw + v] = (float) (w * Math.cos(phase));
                colKernelIm[j * hw + v] = (float) (w * Math.sin(phase));
            }
        }
        gridSize = g;
        rows.forEachBand(fh, gridRows);
        for (int i = 0; i < g; i++) {
            double y = cy + (i - half) * step;
            for (int j = 0; j < g; j++) {
                grid[i * g + j] = 0;
            }
            for (int u = 0; u < fh; u++) {
                double phase = twoPi * signedFrequency(u, fh) * y / fh;
                double kr = Math.cos(phase);
                double ki = Math.sin(phase);
                int p = u * maxGrid;
                for (int j = 0; j < g; j++) {
                    grid[i * g + j] += kr * partialRe[p + j] - ki * partialIm[p + j];
                }
            }
        }
    }

    private static int signedFrequency(int k, int n) {
        return k <= (n - 1) / 2 ? k : k - n;
    }

    // ------------------------------------------------------------------------------------------ preparation

    /**
     * Crop, bin, NaN-fill, filter, de-mean, window, zero-pad and transform {@code image} into the planar half
     * spectrum {@code spectrumRe/Im}.
     */
    private boolean prepare(float[] image, float[] spectrumRe, float[] spectrumIm) {
        checkSize(image);
        binToAnalysis(image);
        return transform(spectrumRe, spectrumIm);
    }

    private void checkSize(float[] image) {
        if (image.length != width * height) {
            throw new IllegalArgumentException("image has " + image.length + " pixels, expected " + width + "x" + height);
        }
    }

    /** Crops and bins {@code image} into {@link #analysis} (not retained). */
    private void binToAnalysis(float[] image) {
        input = image;
        try {
            rows.forEachBand(ah, binRows);
        } finally {
            input = null;
        }
    }

    /**
     * NaN-fill, filter, de-mean, window, zero-pad and transform {@link #analysis} (with its row statistics) into
     * the planar half spectrum {@code spectrumRe/Im}.
     *
     * @return false if the analysis image has no finite pixel
     */
    private boolean transform(float[] spectrumRe, float[] spectrumIm) {
        double total = 0;
        long finite = 0;
        for (int y = 0; y < ah; y++) {
            total += rowSum[y];
            finite += rowFinite[y];
        }
        if (finite == 0) {
            return false;
        }
        fill = (float) (total / finite);
        if (finite < (long) aw * ah) {
            rows.forEachBand(ah, fillRows);
        }
        if (gradient) {
            rows.forEachBand(ah, gradientRows);
            double s = rowSignal[1] + rowSignal[ah - 2]; // the copied border rows
            for (int y = 1; y < ah - 1; y++) {
                s += rowSignal[y];
            }
            mean = (float) (s / ((long) aw * ah));
        } else {
            mean = fill; // NaN pixels take the mean of the finite ones, so the mean is unchanged
        }
        rows.forEachBand(fh, spectrumRows);
        columns.forward = true;
        columns.re = spectrumRe;
        columns.im = spectrumIm;
        try {
            rows.forEachBand(fft.columnBlocks(), columns);
        } finally {
            columns.re = null;
            columns.im = null;
        }
        return true;
    }

    /**
     * Pass 1: bin the ROI into {@link #analysis} (NaN where a bin has no finite pixel) with per-row sums and counts
     * of the finite bins. Bin 1 and 2 (the common cases) run vector loops; 2×2 bins are summed vertically into a
     * per-thread row scratch, then pairwise.
     */
    private final class BinRows implements RowParallel.BandTask {
        private final ThreadLocal<float[]> pairs = ThreadLocal.withInitial(() -> new float[2 * aw]);

        @Override
        public void run(int row0, int row1) {
            float[] img = input;
            float[] t = bin == 2 ? pairs.get() : null;
            for (int ay = row0; ay < row1; ay++) {
                int out = ay * aw;
                if (bin == 1) {
                    int src = (roiY + ay) * width + roiX;
                    int x = 0;
                    for (int upper = F.loopBound(aw); x < upper; x += F.length()) {
                        FloatVector v = FloatVector.fromArray(F, img, src + x);
                        // infinities become NaN: v - v is 0 only for finite values
                        v.blend(Float.NaN, v.sub(v).compare(VectorOperators.NE, 0f)).intoArray(analysis, out + x);
                    }
                    for (; x < aw; x++) {
                        float v = img[src + x];
                        analysis[out + x] = v - v == 0f ? v : Float.NaN;
                    }
                } else if (bin == 2) {
                    int s0 = (roiY + 2 * ay) * width + roiX;
                    int s1 = s0 + width;
                    int n2 = 2 * aw;
                    int x = 0;
                    for (int upper = F.loopBound(n2); x < upper; x += F.length()) {
                        FloatVector.fromArray(F, img, s0 + x).add(FloatVector.fromArray(F, img, s1 + x)).intoArray(t, x);
                    }
                    for (; x < n2; x++) {
                        t[x] = img[s0 + x] + img[s1 + x];
                    }
                    int ax = 0;
                    for (int upper = F.loopBound(aw); ax < upper; ax += F.length()) {
                        FloatVector lo = FloatVector.fromArray(F, t, 2 * ax);
                        FloatVector hi = FloatVector.fromArray(F, t, 2 * ax + F.length());
                        FloatVector even = lo.rearrange(EVEN_LANES).blend(hi.rearrange(EVEN_LANES), UPPER_HALF);
                        FloatVector odd = lo.rearrange(ODD_LANES).blend(hi.rearrange(ODD_LANES), UPPER_HALF);
                        FloatVector m = even.add(odd).mul(0.25f);
                        m.intoArray(analysis, out + ax);
                        // m - m is 0 for finite lanes, NaN otherwise; a lane sum rather than a mask's
                        // anyTrue(), which C2 of JDK 17 sometimes compiles as a boxed fallback
                        if (m.sub(m).reduceLanes(VectorOperators.ADD) != 0f) {
                            for (int k = ax; k < ax + F.length(); k++) {
                                analysis[out + k] = meanOfFinite(img, s0 + 2 * k, 2);
                            }
                        }
                    }
                    for (; ax < aw; ax++) {
                        float m = 0.25f * (t[2 * ax] + t[2 * ax + 1]);
                        analysis[out + ax] = m - m == 0f ? m : meanOfFinite(img, s0 + 2 * ax, 2);
                    }
                } else {
                    int s0 = (roiY + bin * ay) * width + roiX;
                    for (int ax = 0; ax < aw; ax++) {
                        analysis[out + ax] = meanOfFinite(img, s0 + bin * ax, bin);
                    }
                }
                rowStatistics(ay);
            }
        }

        /** Mean of the finite pixels of the {@code b × b} block at {@code start}, NaN if none. */
        private float meanOfFinite(float[] img, int start, int b) {
            double s = 0;
            int c = 0;
            for (int j = 0; j < b; j++) {
                int r = start + j * width;
                for (int i = 0; i < b; i++) {
                    float v = img[r + i];
                    if (v - v == 0f) {
                        s += v;
                        c++;
                    }
                }
            }
            return c == 0 ? Float.NaN : (float) (s / c);
        }
    }

    /** Sum and count of the finite (non-NaN) bins of analysis row {@code ay}. */
    private void rowStatistics(int ay) {
        int out = ay * aw;
        FloatVector sum = FloatVector.zero(F);
        int count = 0;
        int x = 0;
        for (int upper = F.loopBound(aw); x < upper; x += F.length()) {
            FloatVector v = FloatVector.fromArray(F, analysis, out + x);
            var ok = v.compare(VectorOperators.EQ, v);
            sum = sum.add(v.blend(0f, ok.not()));
            count += ok.trueCount();
        }
        double s = sum.reduceLanes(VectorOperators.ADD);
        for (; x < aw; x++) {
            float v = analysis[out + x];
            if (v == v) {
                s += v;
                count++;
            }
        }
        rowSum[ay] = s;
        rowFinite[ay] = count;
    }

    /** Running mean of binned images: add {@link #analysis} to it, or replace {@link #analysis} by it. */
    private final class MeanRows implements RowParallel.BandTask {
        boolean add;

        @Override
        public void run(int row0, int row1) {
            for (int ay = row0; ay < row1; ay++) {
                int from = ay * aw;
                int to = from + aw;
                if (add) {
                    for (int k = from; k < to; k++) {
                        float v = analysis[k];
                        if (v == v) {
                            meanSum[k] += v;
                            meanCount[k]++;
                        }
                    }
                } else {
                    for (int k = from; k < to; k++) {
                        analysis[k] = meanCount[k] == 0 ? Float.NaN : meanSum[k] / meanCount[k];
                    }
                    rowStatistics(ay);
                }
            }
        }
    }

    /** Pass 1b, only when some bin is NaN: NaN bins take the mean of the finite ones. */
    private final class FillRows implements RowParallel.BandTask {
        @Override
        public void run(int row0, int row1) {
            float f = fill;
            for (int k = row0 * aw, end = row1 * aw; k < end; k++) {
                if (analysis[k] != analysis[k]) {
                    analysis[k] = f;
                }
            }
        }
    }

    /**
     * Pass 2 (gradient filter): squared central-difference gradient magnitude of the (filled) analysis image into
     * {@link #gradientScratch}, with per-row sums; border columns take their inner neighbour's value (border rows
     * are read from their inner neighbours in pass 3). The square is smooth where the gradient vanishes, whereas
     * the magnitude's kink there spreads energy to high frequencies that do not shift with the image (0.1–0.4 px
     * bias measured). Taken after binning: the squared gradient of the full-resolution image, box-binned,
     * measured a 0.3 px bias at bin 4.
     */
    private final class GradientRows implements RowParallel.BandTask {
        @Override
        public void run(int row0, int row1) {
            float[] src = analysis;
            float[] dst = gradientScratch;
            for (int y = Math.max(1, row0); y < Math.min(ah - 1, row1); y++) {
                int row = y * aw;
                FloatVector sum = FloatVector.zero(F);
                int x = 1;
                for (int upper = 1 + F.loopBound(aw - 2); x < upper; x += F.length()) {
                    int k = row + x;
                    FloatVector gx = FloatVector.fromArray(F, src, k + 1).sub(FloatVector.fromArray(F, src, k - 1));
                    FloatVector gy = FloatVector.fromArray(F, src, k + aw).sub(FloatVector.fromArray(F, src, k - aw));
                    FloatVector g = gx.fma(gx, gy.mul(gy));
                    g.intoArray(dst, k);
                    sum = sum.add(g);
                }
                double s = sum.reduceLanes(VectorOperators.ADD);
                for (; x < aw - 1; x++) {
                    int k = row + x;
                    float gx = src[k + 1] - src[k - 1];
                    float gy = src[k + aw] - src[k - aw];
                    float g = gx * gx + gy * gy;
                    dst[k] = g;
                    s += g;
                }
                dst[row] = dst[row + 1];
                dst[row + aw - 1] = dst[row + aw - 2];
                rowSignal[y] = s + dst[row] + dst[row + aw - 1];
            }
        }
    }

    /** Pass 3: de-mean, window and zero-pad each FFT row into {@link #work}, then its real FFT. */
    private final class SpectrumRows implements RowParallel.BandTask {
        @Override
        public void run(int row0, int row1) {
            float[] t = work;
            float m = mean;
            float[] sig = gradient ? gradientScratch : analysis;
            for (int u = row0; u < row1; u++) {
                int off = u * fw;
                if (u >= ah) {
                    Arrays.fill(t, off, off + fw, 0f);
                    continue;
                }
                int win = u * aw;
                int src = gradient ? Math.max(1, Math.min(ah - 2, u)) * aw : win;
                int x = 0;
                for (int upper = F.loopBound(aw); x < upper; x += F.length()) {
                    FloatVector.fromArray(F, sig, src + x).sub(m).mul(FloatVector.fromArray(F, window, win + x))
                            .intoArray(t, off + x);
                }
                for (; x < aw; x++) {
                    t[off + x] = (sig[src + x] - m) * window[win + x];
                }
                Arrays.fill(t, off + aw, off + fw, 0f);
                fft.forwardRows(t, u, u + 1);
            }
        }
    }

    /**
     * Column FFTs by column blocks: forward from {@link #work} into the planar spectrum {@code re/im}, or inverse
     * from the whitened cross-power spectrum into {@link #work}.
     */
    private final class Columns implements RowParallel.BandTask {
        boolean forward;
        float[] re;
        float[] im;

        @Override
        public void run(int block0, int block1) {
            if (forward) {
                fft.forwardColumns(work, block0, block1, re, im);
            } else {
                fft.inverseColumns(crossRe, crossIm, block0, block1, work);
            }
        }
    }

    /**
     * Cross-power spectrum {@code M·conj(R)} into {@link #crossRe}/{@link #crossIm} with per-row maximum magnitudes
     * (first call), then its whitening in place (second call). The zero frequency (the mean was removed: no
     * displacement information) and the Nyquist row are zeroed. Vector API on the planar spectra.
     */
    private final class CrossRows implements RowParallel.BandTask {
        boolean normalize;
        float floor;

        @Override
        public void run(int row0, int row1) {
            if (normalize) {
                whiten(row0, row1);
            } else {
                cross(row0, row1);
            }
        }

        private void cross(int row0, int row1) {
            int upper = F.loopBound(hw);
            for (int u = row0; u < row1; u++) {
                int c = u * hw;
                if (u == fh / 2) {
                    Arrays.fill(crossRe, c, c + hw, 0f);
                    Arrays.fill(crossIm, c, c + hw, 0f);
                    rowMax[u] = 0f;
                    continue;
                }
                FloatVector max2 = FloatVector.zero(F);
                int v = 0;
                for (; v < upper; v += F.length()) {
                    FloatVector mr = FloatVector.fromArray(F, movRe, c + v);
                    FloatVector mi = FloatVector.fromArray(F, movIm, c + v);
                    FloatVector rr = FloatVector.fromArray(F, refRe, c + v);
                    FloatVector ri = FloatVector.fromArray(F, refIm, c + v);
                    FloatVector cr = mr.fma(rr, mi.mul(ri));
                    FloatVector ci = mi.fma(rr, mr.mul(ri).neg());
                    cr.intoArray(crossRe, c + v);
                    ci.intoArray(crossIm, c + v);
                    max2 = max2.max(cr.fma(cr, ci.mul(ci)));
                }
                float m2 = max2.reduceLanes(VectorOperators.MAX);
                for (; v < hw; v++) {
                    float mr = movRe[c + v];
                    float mi = movIm[c + v];
                    float rr = refRe[c + v];
                    float ri = refIm[c + v];
                    float cr = mr * rr + mi * ri;
                    float ci = mi * rr - mr * ri;
                    crossRe[c + v] = cr;
                    crossIm[c + v] = ci;
                    m2 = Math.max(m2, cr * cr + ci * ci);
                }
                if (u == 0) {
                    // the zero frequency does not count
                    crossRe[0] = 0f;
                    crossIm[0] = 0f;
                    m2 = 0f;
                    for (int k = 1; k < hw; k++) {
                        m2 = Math.max(m2, crossRe[k] * crossRe[k] + crossIm[k] * crossIm[k]);
                    }
                }
                rowMax[u] = (float) Math.sqrt(m2);
            }
        }

        private void whiten(int row0, int row1) {
            float fl = floor;
            int upper = F.loopBound(hw);
            for (int u = row0; u < row1; u++) {
                int c = u * hw;
                int v = 0;
                for (; v < upper; v += F.length()) {
                    FloatVector cr = FloatVector.fromArray(F, crossRe, c + v);
                    FloatVector ci = FloatVector.fromArray(F, crossIm, c + v);
                    FloatVector mag = cr.fma(cr, ci.mul(ci)).sqrt().add(fl);
                    cr.div(mag).intoArray(crossRe, c + v);
                    ci.div(mag).intoArray(crossIm, c + v);
                }
                for (; v < hw; v++) {
                    float cr = crossRe[c + v];
                    float ci = crossIm[c + v];
                    float mag = (float) Math.sqrt(cr * cr + ci * ci) + fl;
                    crossRe[c + v] = cr / mag;
                    crossIm[c + v] = ci / mag;
                }
            }
        }
    }

    /** Inverse real FFT of each row (after the column pass) and the row's maximum and its position. */
    private final class InverseRows implements RowParallel.BandTask {
        @Override
        public void run(int row0, int row1) {
            for (int u = row0; u < row1; u++) {
                fft.inverseRows(work, u, u + 1);
                int off = u * fw;
                float best = work[off];
                int arg = 0;
                for (int x = 1; x < fw; x++) {
                    if (work[off + x] > best) {
                        best = work[off + x];
                        arg = x;
                    }
                }
                rowMax[u] = best;
                rowArg[u] = arg;
            }
        }
    }

    /**
     * Per row {@code u}: {@code P_k(u) = Σ_v w_v·v^k·C(u, v)·e^{2πi·v·x/W}}, k = 0, 1, 2, into
     * {@link #newtonPartial} (re, im pairs). Vector API, float lanes, reduced to double per row.
     */
    private final class NewtonRows implements RowParallel.BandTask {
        @Override
        public void run(int row0, int row1) {
            float[][] k = newtonKernel;
            float[] k0r = k[0];
            float[] k0i = k[1];
            float[] k0n = k[2];
            float[] k1r = k[3];
            float[] k1i = k[4];
            float[] k1n = k[5];
            float[] k2r = k[6];
            float[] k2i = k[7];
            float[] k2n = k[8];
            int upper = F.loopBound(hw);
            for (int u = row0; u < row1; u++) {
                int base = u * hw;
                FloatVector a0r = FloatVector.zero(F);
                FloatVector a0i = FloatVector.zero(F);
                FloatVector a1r = FloatVector.zero(F);
                FloatVector a1i = FloatVector.zero(F);
                FloatVector a2r = FloatVector.zero(F);
                FloatVector a2i = FloatVector.zero(F);
                int v = 0;
                for (; v < upper; v += F.length()) {
                    FloatVector cr = FloatVector.fromArray(F, crossRe, base + v);
                    FloatVector ci = FloatVector.fromArray(F, crossIm, base + v);
                    FloatVector kr = FloatVector.fromArray(F, k0r, v);
                    a0r = ci.fma(FloatVector.fromArray(F, k0n, v), cr.fma(kr, a0r));
                    a0i = ci.fma(kr, cr.fma(FloatVector.fromArray(F, k0i, v), a0i));
                    kr = FloatVector.fromArray(F, k1r, v);
                    a1r = ci.fma(FloatVector.fromArray(F, k1n, v), cr.fma(kr, a1r));
                    a1i = ci.fma(kr, cr.fma(FloatVector.fromArray(F, k1i, v), a1i));
                    kr = FloatVector.fromArray(F, k2r, v);
                    a2r = ci.fma(FloatVector.fromArray(F, k2n, v), cr.fma(kr, a2r));
                    a2i = ci.fma(kr, cr.fma(FloatVector.fromArray(F, k2i, v), a2i));
                }
                double s0r = a0r.reduceLanes(VectorOperators.ADD);
                double s0i = a0i.reduceLanes(VectorOperators.ADD);
                double s1r = a1r.reduceLanes(VectorOperators.ADD);
                double s1i = a1i.reduceLanes(VectorOperators.ADD);
                double s2r = a2r.reduceLanes(VectorOperators.ADD);
                double s2i = a2i.reduceLanes(VectorOperators.ADD);
                for (; v < hw; v++) {
                    double cr = crossRe[base + v];
                    double ci = crossIm[base + v];
                    s0r += cr * k0r[v] - ci * k0i[v];
                    s0i += cr * k0i[v] + ci * k0r[v];
                    s1r += cr * k1r[v] - ci * k1i[v];
                    s1i += cr * k1i[v] + ci * k1r[v];
                    s2r += cr * k2r[v] - ci * k2i[v];
                    s2i += cr * k2i[v] + ci * k2r[v];
                }
                int p = 6 * u;
                newtonPartial[p] = s0r;
                newtonPartial[p + 1] = s0i;
                newtonPartial[p + 2] = s1r;
                newtonPartial[p + 3] = s1i;
                newtonPartial[p + 4] = s2r;
                newtonPartial[p + 5] = s2i;
            }
        }
    }

    /** Per row {@code u} and grid column {@code j}: {@code Σ_v C(u, v)·colKernel(j, v)} into the partials. */
    private final class GridRows implements RowParallel.BandTask {
        @Override
        public void run(int row0, int row1) {
            int g = gridSize;
            int upper = F.loopBound(hw);
            for (int u = row0; u < row1; u++) {
                int row = u * hw;
                for (int j = 0; j < g; j++) {
                    int kb = j * hw;
                    FloatVector rrkr = FloatVector.zero(F);
                    FloatVector riki = FloatVector.zero(F);
                    FloatVector rrki = FloatVector.zero(F);
                    FloatVector rikr = FloatVector.zero(F);
                    int v = 0;
                    for (; v < upper; v += F.length()) {
                        FloatVector rr = FloatVector.fromArray(F, crossRe, row + v);
                        FloatVector ri = FloatVector.fromArray(F, crossIm, row + v);
                        FloatVector kr = FloatVector.fromArray(F, colKernelRe, kb + v);
                        FloatVector ki = FloatVector.fromArray(F, colKernelIm, kb + v);
                        rrkr = rr.fma(kr, rrkr);
                        riki = ri.fma(ki, riki);
                        rrki = rr.fma(ki, rrki);
                        rikr = ri.fma(kr, rikr);
                    }
                    double sr = (double) rrkr.reduceLanes(VectorOperators.ADD) - riki.reduceLanes(VectorOperators.ADD);
                    double si = (double) rrki.reduceLanes(VectorOperators.ADD) + rikr.reduceLanes(VectorOperators.ADD);
                    for (; v < hw; v++) {
                        double rr = crossRe[row + v];
                        double ri = crossIm[row + v];
                        double kr = colKernelRe[kb + v];
                        double ki = colKernelIm[kb + v];
                        sr += rr * kr - ri * ki;
                        si += rr * ki + ri * kr;
                    }
                    partialRe[u * maxGrid + j] = sr;
                    partialIm[u * maxGrid + j] = si;
                }
            }
        }
    }

    private static float[] makeWindow(DriftConfig config, int w, int h) {
        double[] wx = window1d(config, w);
        double[] wy = window1d(config, h);
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = (float) (wx[x] * wy[y]);
            }
        }
        return out;
    }

    private static double[] window1d(DriftConfig config, int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double t = (i + 0.5) / n; // 0..1, symmetric about the centre
            switch (config.window()) {
                case NONE:
                    w[i] = 1;
                    break;
                case HANN:
                    w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * t);
                    break;
                case TUKEY: {
                    double a = config.tukeyAlpha();
                    double edge = Math.min(t, 1 - t);
                    w[i] = edge >= a / 2 ? 1 : 0.5 - 0.5 * Math.cos(2 * Math.PI * edge / a);
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown window " + config.window());
            }
        }
        return w;
    }
}
