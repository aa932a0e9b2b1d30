package org.xanestream.publisher.results;

import org.xanestream.processor.MapSummary;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One record of the {@code scans} topic.
 *
 * @param type              start, progress or end
 * @param scanId            scan identifier
 * @param epochMillis       the record's {@code time}
 * @param element           element preset, e.g. {@code Ni}; empty if absent
 * @param edgeEv            edge energy of the preset, eV; NaN if absent
 * @param width             full-resolution image width, pixels
 * @param height            full-resolution image height, pixels
 * @param energiesPlannedEv planned energies in eV, or {@code null} if the sender did not announce them
 * @param energiesDone      energy points completed so far
 * @param framesReceived    valid frames accepted so far
 * @param framesRejected    frames rejected while the scan was open
 * @param summary           per map statistics over masked pixels (empty at start)
 * @param whitelineOnly     true if the record says the edge maps used the whiteline-only mode
 * @param seriesIndex       position in an operando series, or -1 if the record does not say
 */
public record ScanRecord(Type type, String scanId, long epochMillis, String element, double edgeEv,
                         int width, int height, List<Double> energiesPlannedEv, int energiesDone,
                         long framesReceived, long framesRejected, Map<String, MapSummary> summary,
                         boolean whitelineOnly, int seriesIndex) {

    /** The {@code type} field. */
    public enum Type { START, PROGRESS, END }

    public ScanRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(scanId, "scanId");
        element = element == null ? "" : element;
        summary = summary == null ? Map.of() : Map.copyOf(summary);
        energiesPlannedEv = energiesPlannedEv == null ? null : List.copyOf(energiesPlannedEv);
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("scan size must be >= 0, got " + width + "x" + height);
        }
        if (energiesDone < 0) {
            throw new IllegalArgumentException("energies_done must be >= 0, got " + energiesDone);
        }
    }
}
