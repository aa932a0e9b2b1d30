package org.xanestream.publisher.metrics;

import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.processor.ScanEnd;
import org.xanestream.processor.ScanInfo;

/**
 * Remembers the scan being processed and when its latest energy point completed, for {@code /health}.
 * Registered as one more {@link ProcessorListener}; the processor's own counters live in its
 * {@code ProcessorStats}.
 *
 * <p>Written on the processor thread only, read from any thread (volatiles); no allocation.
 */
public final class ScanTracker implements ProcessorListener {
    private volatile String currentScan;
    private volatile long lastPointEpochMillis;

    @Override
    public void onScanStart(ScanInfo scan) {
        currentScan = scan.scanId();
    }

    @Override
    public void onEnergyPoint(EnergyPoint p) {
        lastPointEpochMillis = p.epochMillis();
    }

    /** Reads no live maps (only the final ones, which are never reused). */
    @Override
    public boolean followsMapsLeases() {
        return true;
    }

    @Override
    public void onScanEnd(ScanEnd end) {
        if (end.info().scanId().equals(currentScan)) {
            currentScan = null;
        }
    }

    /** The scan open now, or {@code null} between scans. */
    public String currentScan() {
        return currentScan;
    }

    /** Completion time of the latest energy point, 0 before the first. */
    public long lastPointEpochMillis() {
        return lastPointEpochMillis;
    }
}
