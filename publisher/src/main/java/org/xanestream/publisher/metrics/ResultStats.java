package org.xanestream.publisher.metrics;

import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.processor.ScanEnd;
import org.xanestream.processor.ScanInfo;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what the processor delivers (scans, energy points, map snapshots) and keeps the latest drift
 * and the current scan, for metrics and {@code /health}. Registered as one more
 * {@link ProcessorListener}; knows nothing of Micrometer ({@link PipelineMetrics} binds it).
 *
 * <p>Written on the processor thread only, read from any thread (atomics and volatiles); no allocation.
 */
public final class ResultStats implements ProcessorListener {
    private final AtomicLong scansStarted = new AtomicLong();
    private final AtomicLong scansEnded = new AtomicLong();
    private final AtomicLong energyPoints = new AtomicLong();
    private final AtomicLong driftReplaced = new AtomicLong();
    private final AtomicLong liveMaps = new AtomicLong();
    private final AtomicLong finalMaps = new AtomicLong();
    private volatile String currentScan;
    private volatile double driftXPx = Double.NaN;
    private volatile double driftYPx = Double.NaN;
    private volatile double driftConfidence = Double.NaN;
    private volatile long lastPointEpochMillis;

    @Override
    public void onScanStart(ScanInfo scan) {
        scansStarted.incrementAndGet();
        currentScan = scan.scanId();
    }

    @Override
    public void onEnergyPoint(EnergyPoint p) {
        energyPoints.incrementAndGet();
        driftXPx = p.driftXPx();
        driftYPx = p.driftYPx();
        driftConfidence = p.driftConfidence();
        if (p.driftReplaced()) {
            driftReplaced.incrementAndGet();
        }
        lastPointEpochMillis = p.epochMillis();
    }

    @Override
    public void onMaps(MapsSnapshot maps) {
        (maps.finalSnapshot() ? finalMaps : liveMaps).incrementAndGet();
    }

    @Override
    public void onScanEnd(ScanEnd end) {
        scansEnded.incrementAndGet();
        if (end.info().scanId().equals(currentScan)) {
            currentScan = null;
        }
    }

    public long scansStarted() {
        return scansStarted.get();
    }

    public long scansEnded() {
        return scansEnded.get();
    }

    /** Energy points completed. */
    public long energyPoints() {
        return energyPoints.get();
    }

    /** Drift estimates flagged implausible and replaced. */
    public long driftReplaced() {
        return driftReplaced.get();
    }

    public long liveMapSnapshots() {
        return liveMaps.get();
    }

    public long finalMapSnapshots() {
        return finalMaps.get();
    }

    /** The scan open now, or {@code null} between scans. */
    public String currentScan() {
        return currentScan;
    }

    /** Measured sample displacement along x of the latest energy point (NaN before the first). */
    public double driftXPx() {
        return driftXPx;
    }

    public double driftYPx() {
        return driftYPx;
    }

    public double driftConfidence() {
        return driftConfidence;
    }

    /** Completion time of the latest energy point, 0 before the first. */
    public long lastPointEpochMillis() {
        return lastPointEpochMillis;
    }
}
