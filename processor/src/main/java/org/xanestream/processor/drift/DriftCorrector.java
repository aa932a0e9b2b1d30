package org.xanestream.processor.drift;

import org.xanestream.processor.RowParallel;

/**
 * Drift correction of one scan: estimates each energy image's displacement against the scan's reference
 * (the first image, or the running mean of the images already aligned — never the previous image, as
 * chains accumulate error), guards against implausible jumps, and writes the aligned image.
 *
 * <p>Operando series: given the previous scan's {@link SeriesAnchor}, the first image of this scan is
 * registered to the anchor's mean image, and that offset is added to every shift of the scan, so all
 * scans of a series share the first scan's coordinates. Reported shifts are relative to those series
 * coordinates (for the first scan of a series: to the scan's own reference).
 *
 * <p>Jump guard: an estimate whose confidence is below {@code minConfidence}, or that differs from the
 * previous accepted shift by more than {@code maxJumpPx} (Euclidean), is replaced by the previous accepted
 * shift and flagged.
 *
 * <p>Running-mean reference: the estimator keeps the mean of the aligned images binned to its analysis size, so
 * each energy costs one binning pass and one FFT of the mean, not full-resolution mean images.
 *
 * <p>Not thread safe (processor thread). Buffers are allocated at construction; {@link #correct} allocates
 * only its small result record.
 */
public final class DriftCorrector {
    /** Result of one correction, displacements in image pixels (series coordinates). */
    public record Correction(double dxPx, double dyPx, double confidence, boolean replaced) {
    }

    private final int width;
    private final int height;
    private final DriftConfig config;
    private final PhaseCorrelationDriftEstimator estimator;
    private final ShiftApplier applier;
    private final SeriesAnchor anchor;
    private final boolean runningMean;
    private int images;
    private boolean referenceSet;
    private double offsetX;
    private double offsetY;
    private double offsetConfidence = 1;
    private boolean offsetReplaced;
    private double prevX;
    private double prevY;
    private long replacedCount;
    private long estimates;

    /**
     * @param anchor the previous scan of the series, or {@code null} for a first scan (or cross-scan off)
     */
    public DriftCorrector(int width, int height, DriftConfig config, RowParallel rows, SeriesAnchor anchor) {
        this.width = width;
        this.height = height;
        this.config = config;
        this.estimator = config.enabled() ? new PhaseCorrelationDriftEstimator(width, height, config, rows) : null;
        this.applier = new ShiftApplier(rows);
        this.anchor = config.enabled() && config.crossScan() && anchor != null
                && anchor.width() == width && anchor.height() == height ? anchor : null;
        this.runningMean = config.enabled() && config.referenceMode() == DriftConfig.ReferenceMode.RUNNING_MEAN;
    }

    /** Bin factor of the estimator (1 when correction is disabled). */
    public int bin() {
        return estimator == null ? 1 : estimator.bin();
    }

    /** Cross-scan offset of this scan (0 for the first scan of a series). */
    public double offsetXPx() {
        return offsetX;
    }

    public double offsetYPx() {
        return offsetY;
    }

    /** Confidence of the cross-scan registration (1 if there was none). */
    public double offsetConfidence() {
        return offsetConfidence;
    }

    /** Whether the cross-scan offset was not confident and the previous scan's offset was used instead. */
    public boolean offsetReplaced() {
        return offsetReplaced;
    }

    /** Displacement estimates made so far (including the cross-scan registration). */
    public long estimates() {
        return estimates;
    }

    /** Estimates replaced by the jump guard so far. */
    public long replacedCount() {
        return replacedCount;
    }

    /**
     * Estimates the displacement of {@code mu} and writes the aligned image.
     *
     * @param mu      normalized image, row-major, NaN where invalid; not modified
     * @param aligned output, row-major, distinct from {@code mu}; modified (NaN where shifted in from outside)
     */
    public Correction correct(float[] mu, float[] aligned) {
        if (estimator == null) {
            System.arraycopy(mu, 0, aligned, 0, mu.length);
            images++;
            return new Correction(0, 0, 1, false);
        }
        Correction result;
        if (!referenceSet) {
            result = firstImage(mu);
        } else {
            ShiftEstimate e;
            if (runningMean) {
                estimator.setReferenceToMean();
                e = estimator.estimate(mu);
                estimates++;
                result = guard(e.dxPx(), e.dyPx(), e.confidence());
            } else {
                e = estimator.estimate(mu);
                estimates++;
                result = guard(e.dxPx() + offsetX, e.dyPx() + offsetY, e.confidence());
            }
        }
        applier.apply(mu, width, height, result.dxPx(), result.dyPx(), aligned);
        if (runningMean) {
            estimator.addToReferenceMean(aligned);
        }
        images++;
        return result;
    }

    private Correction firstImage(float[] mu) {
        double confidence = 1;
        if (anchor != null && images == 0) {
            estimator.setReference(anchor.meanImage());
            ShiftEstimate e = estimator.hasReference() ? estimator.estimate(mu) : new ShiftEstimate(0, 0, 0);
            estimates++;
            if (e.confidence() >= config.minConfidence()) {
                offsetX = e.dxPx();
                offsetY = e.dyPx();
            } else {
                offsetX = anchor.offsetXPx();
                offsetY = anchor.offsetYPx();
                offsetReplaced = true;
            }
            offsetConfidence = e.confidence();
            confidence = e.confidence();
        }
        // An image without any finite pixel cannot serve as reference: the next one is tried.
        referenceSet = estimator.setReference(mu);
        prevX = offsetX;
        prevY = offsetY;
        return new Correction(offsetX, offsetY, confidence, offsetReplaced);
    }

    private Correction guard(double dx, double dy, double confidence) {
        double jump = Math.hypot(dx - prevX, dy - prevY);
        if (confidence < config.minConfidence() || !(jump <= config.maxJumpPx())) {
            replacedCount++;
            return new Correction(prevX, prevY, confidence, true);
        }
        prevX = dx;
        prevY = dy;
        return new Correction(dx, dy, confidence, false);
    }
}
