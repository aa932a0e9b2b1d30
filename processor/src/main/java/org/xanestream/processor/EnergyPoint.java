package org.xanestream.processor;

import java.util.Objects;

/**
 * One completed energy point of a scan: its normalized, drift-corrected absorbance image and the
 * numbers a dashboard plots.
 *
 * @param scanId          scan identifier
 * @param index           0-based, in completion order
 * @param energyEv        photon energy, eV
 * @param frames          sample frames averaged
 * @param flats           flat frames averaged into the flat that was used
 * @param flatEnergyEv    energy of the flat actually used (differs from {@code energyEv} when borrowed)
 * @param driftXPx        measured displacement of the sample relative to the reference, +x = increasing column
 * @param driftYPx        likewise, +y = increasing row; the applied correction is the opposite
 * @param driftConfidence 0 to 1
 * @param driftReplaced   true if the estimate was implausible and replaced (by the previous shift)
 * @param meanMu          mean absorbance over valid pixels
 * @param epochMillis     completion time
 * @param width           image width
 * @param height          image height
 * @param alignedMu       the aligned mu image, row-major, NaN where invalid; owned by the scan's stack, never modified after publication
 */
public record EnergyPoint(String scanId, int index, double energyEv, int frames, int flats, double flatEnergyEv,
                          double driftXPx, double driftYPx, double driftConfidence, boolean driftReplaced,
                          double meanMu, long epochMillis, int width, int height, float[] alignedMu) {
    public EnergyPoint {
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(alignedMu, "alignedMu");
        if (alignedMu.length != width * height) {
            throw new IllegalArgumentException("alignedMu has " + alignedMu.length + " pixels, expected "
                    + width + "x" + height);
        }
    }
}
