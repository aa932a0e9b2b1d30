package org.xanestream.processor;

import java.util.Objects;

/**
 * A scan finished: its final maps and counters.
 *
 * @param info           the scan
 * @param energiesDone   energy points completed
 * @param framesReceived valid frames accepted for the scan
 * @param framesRejected frames rejected while the scan was open
 * @param finalMaps      the final (full resolution) maps
 * @param energiesEv     the energies of the stack, ascending
 * @param epochMillis    when the scan ended
 */
public record ScanEnd(ScanInfo info, int energiesDone, long framesReceived, long framesRejected,
                      MapsSnapshot finalMaps, double[] energiesEv, long epochMillis) {
    public ScanEnd {
        Objects.requireNonNull(info, "info");
    }
}
