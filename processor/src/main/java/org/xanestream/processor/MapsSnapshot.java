package org.xanestream.processor;

import java.util.Map;
import java.util.Objects;

/**
 * All fit maps of a scan at one moment (DESIGN §4.4).
 *
 * @param scanId         scan identifier
 * @param version        number of energy points included
 * @param finalSnapshot  true for the last snapshot of the scan (all energies)
 * @param width          map width
 * @param height         map height
 * @param maps           map name → float32 row-major pixels, in a stable order (insertion order);
 *                       the arrays belong to this snapshot and are not modified after publication
 * @param summary        map name → statistics over masked pixels
 * @param whitelineOnly  true if normalization windows had too few energies and edge maps used the whiteline-only mode
 * @param epochMillis    when the snapshot was computed
 */
public record MapsSnapshot(String scanId, int version, boolean finalSnapshot, int width, int height,
                           Map<String, float[]> maps, Map<String, MapSummary> summary, boolean whitelineOnly,
                           long epochMillis) {
    public MapsSnapshot {
        Objects.requireNonNull(scanId, "scanId");
        maps = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(maps));
        summary = summary == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(summary));
    }
}
