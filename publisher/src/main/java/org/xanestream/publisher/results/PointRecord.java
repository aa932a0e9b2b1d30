package org.xanestream.publisher.results;

import java.util.Objects;

/**
 * One record of the {@code points} topic: a completed energy point.
 *
 * @param scanId          scan identifier
 * @param index           0-based, in completion order
 * @param energyEv        photon energy, eV
 * @param frames          sample frames averaged
 * @param flats           flat frames averaged
 * @param flatEnergyEv    energy of the flat actually used, eV
 * @param driftXPx        measured sample displacement along +x (columns), pixels
 * @param driftYPx        measured sample displacement along +y (rows), pixels
 * @param driftConfidence 0 to 1
 * @param meanMu          mean absorbance over valid pixels
 * @param epochMillis     the record's {@code time}
 */
public record PointRecord(String scanId, int index, double energyEv, int frames, int flats, double flatEnergyEv,
                          double driftXPx, double driftYPx, double driftConfidence, double meanMu,
                          long epochMillis) {
    public PointRecord {
        Objects.requireNonNull(scanId, "scanId");
        if (index < 0) {
            throw new IllegalArgumentException("point index must be >= 0, got " + index);
        }
        if (!(Double.isFinite(energyEv) && energyEv > 0)) {
            throw new IllegalArgumentException("energy_ev must be finite and > 0, got " + energyEv);
        }
    }
}
