package org.xanestream.processor.session;

/**
 * Counters of the processor thread, for metrics (the deploy module binds them to Micrometer).
 *
 * <p>Thread safety: written only by the processor thread (single writer), read from any thread; every field
 * is volatile, so readers see recent values. Reading allocates nothing.
 */
public final class ProcessorStats {
    volatile long framesAccumulated;
    volatile long darkFrames;
    volatile long flatFrames;
    volatile long sampleFrames;
    volatile long transmissionFrames;
    volatile long framesRejected;
    volatile long energyPoints;
    volatile long borrowedFlats;
    volatile long pointsWithoutFlat;
    volatile long pointsWithoutDark;
    volatile long scansStarted;
    volatile long scansEnded;
    volatile long unmatchedEndOfScan;
    volatile long driftEstimates;
    volatile long driftReplaced;
    volatile double lastDriftXPx;
    volatile double lastDriftYPx;
    volatile double lastDriftConfidence;
    volatile double driftConfidenceSum;
    volatile long mapsSnapshots;
    volatile long processingErrors;
    volatile long listenerErrors;
    volatile long lastEnergyUpdateNanos;
    volatile long lastSnapshotNanos;

    /** Frames added to a running sum (all kinds). */
    public long framesAccumulated() {
        return framesAccumulated;
    }

    public long darkFrames() {
        return darkFrames;
    }

    public long flatFrames() {
        return flatFrames;
    }

    public long sampleFrames() {
        return sampleFrames;
    }

    public long transmissionFrames() {
        return transmissionFrames;
    }

    /** Frames the processor refused (size differs from the open scan's). */
    public long framesRejected() {
        return framesRejected;
    }

    /** Energy points completed (all scans). */
    public long energyPoints() {
        return energyPoints;
    }

    /** Energy points normalized with the flat of another energy. */
    public long borrowedFlats() {
        return borrowedFlats;
    }

    /** Energy points dropped because no flat was available. */
    public long pointsWithoutFlat() {
        return pointsWithoutFlat;
    }

    /** Energy points normalized before any dark frame (dark taken as 0). */
    public long pointsWithoutDark() {
        return pointsWithoutDark;
    }

    public long scansStarted() {
        return scansStarted;
    }

    public long scansEnded() {
        return scansEnded;
    }

    /** End-of-scan events that matched no open scan. */
    public long unmatchedEndOfScan() {
        return unmatchedEndOfScan;
    }

    /** Drift estimates made (one per energy point after each scan's first, plus cross-scan registrations). */
    public long driftEstimates() {
        return driftEstimates;
    }

    /** Drift estimates replaced by the jump guard. */
    public long driftReplaced() {
        return driftReplaced;
    }

    public double lastDriftXPx() {
        return lastDriftXPx;
    }

    public double lastDriftYPx() {
        return lastDriftYPx;
    }

    public double lastDriftConfidence() {
        return lastDriftConfidence;
    }

    /** Mean confidence of all drift estimates (NaN before the first). */
    public double meanDriftConfidence() {
        long n = driftEstimates;
        return n == 0 ? Double.NaN : driftConfidenceSum / n;
    }

    /** Maps snapshots computed (live and final). */
    public long mapsSnapshots() {
        return mapsSnapshots;
    }

    /** Events whose processing failed with an exception (logged; the stream went on). */
    public long processingErrors() {
        return processingErrors;
    }

    /** Listener calls that threw (logged; the stream went on). */
    public long listenerErrors() {
        return listenerErrors;
    }

    /** Wall time of the last energy update (normalize, drift, stack, fit accumulate), ns. */
    public long lastEnergyUpdateNanos() {
        return lastEnergyUpdateNanos;
    }

    /** Wall time of the last maps snapshot, ns. */
    public long lastSnapshotNanos() {
        return lastSnapshotNanos;
    }
}
