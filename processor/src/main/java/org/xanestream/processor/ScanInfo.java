package org.xanestream.processor;

import java.util.List;
import java.util.Objects;

/**
 * What is known about a scan when it starts (its first frame arrived).
 *
 * @param scanId           scan identifier
 * @param element          element preset name (e.g. {@code Ni})
 * @param edgeEv           absorption edge energy of the preset, eV
 * @param width            image width in pixels (after any configured binning)
 * @param height           image height in pixels
 * @param energiesPlannedEv planned energies in eV if the sender announced them, else {@code null}
 * @param startEpochMillis when the first frame arrived
 * @param seriesIndex      0-based position of this scan in an operando series on the same source
 */
public record ScanInfo(String scanId, String element, double edgeEv, int width, int height,
                       List<Double> energiesPlannedEv, long startEpochMillis, int seriesIndex) {
    public ScanInfo {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(element, "element");
        energiesPlannedEv = energiesPlannedEv == null ? null : List.copyOf(energiesPlannedEv);
    }

    /** The same scan with another image size (e.g. its binned images). */
    public ScanInfo withSize(int newWidth, int newHeight) {
        return new ScanInfo(scanId, element, edgeEv, newWidth, newHeight, energiesPlannedEv, startEpochMillis,
                seriesIndex);
    }
}
