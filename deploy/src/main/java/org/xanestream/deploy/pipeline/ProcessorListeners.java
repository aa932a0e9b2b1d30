package org.xanestream.deploy.pipeline;

import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.processor.ScanEnd;
import org.xanestream.processor.ScanInfo;

import java.util.List;

/**
 * Hands each result to several listeners in order. A listener that throws does not keep the others
 * from their call; the first failure is rethrown afterwards so the processor counts it.
 *
 * <p>Called on the processor thread; allocates nothing per call.
 */
final class ProcessorListeners implements ProcessorListener {
    private final ProcessorListener[] listeners;

    ProcessorListeners(List<ProcessorListener> listeners) {
        this.listeners = listeners.toArray(new ProcessorListener[0]);
    }

    @Override
    public void onScanStart(ScanInfo scan) {
        RuntimeException failure = null;
        for (ProcessorListener l : listeners) {
            try {
                l.onScanStart(scan);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        rethrow(failure);
    }

    @Override
    public void onEnergyPoint(EnergyPoint point) {
        RuntimeException failure = null;
        for (ProcessorListener l : listeners) {
            try {
                l.onEnergyPoint(point);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        rethrow(failure);
    }

    @Override
    public void onMaps(MapsSnapshot maps) {
        RuntimeException failure = null;
        for (ProcessorListener l : listeners) {
            try {
                l.onMaps(maps);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        rethrow(failure);
    }

    @Override
    public void onScanEnd(ScanEnd end) {
        RuntimeException failure = null;
        for (ProcessorListener l : listeners) {
            try {
                l.onScanEnd(end);
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        rethrow(failure);
    }

    /** Whether every listener keeps to the leases of live maps. */
    @Override
    public boolean followsMapsLeases() {
        for (ProcessorListener l : listeners) {
            if (!l.followsMapsLeases()) {
                return false;
            }
        }
        return true;
    }

    private static void rethrow(RuntimeException failure) {
        if (failure != null) {
            throw failure;
        }
    }
}
