package org.xanestream.processor;

/**
 * Receives the processor's results, in order, on the processor thread. Implementations must not block
 * for long: hand work to a bounded queue (the publisher does).
 *
 * <p>Order per scan: {@code onScanStart}, then {@code onEnergyPoint}/{@code onMaps} interleaved,
 * then {@code onScanEnd} (whose final maps are also delivered through {@code onMaps} first, marked final).
 */
public interface ProcessorListener {
    default void onScanStart(ScanInfo scan) {
    }

    default void onEnergyPoint(EnergyPoint point) {
    }

    default void onMaps(MapsSnapshot maps) {
    }

    default void onScanEnd(ScanEnd end) {
    }

    /**
     * Whether this listener keeps to the leases of live maps ({@link MapsSnapshot#lease()}): it reads a live
     * (non-final) snapshot's arrays only during {@link #onMaps}, or keeps the snapshot past the call only after
     * {@link MapsSnapshot#retain()} and until its {@link MapsSnapshot#release()}. If so, the processor releases
     * its own hold on each live snapshot after {@code onMaps}, and the fitter reuses the arrays for a later
     * snapshot once every holder released them. Final snapshots are never reused (they also travel in
     * {@link ScanEnd}). Default false: the arrays of a snapshot handed to this listener are never reused.
     */
    default boolean followsMapsLeases() {
        return false;
    }
}
