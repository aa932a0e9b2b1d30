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
}
