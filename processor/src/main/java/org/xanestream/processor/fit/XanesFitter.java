package org.xanestream.processor.fit;

import org.xanestream.processor.MapsSnapshot;

/**
 * The per-pixel spectral fits of one scan, updated as energy images arrive (DESIGN §5).
 *
 * <p>Called from the processor thread only; implementations parallelize internally across rows.
 */
public interface XanesFitter {
    /**
     * Adds one aligned absorbance image.
     *
     * @param energyEv photon energy of the image, eV; energies may arrive unsorted or repeated
     * @param mu       row-major mu image, NaN where invalid; retained by reference and never modified
     *                 (the caller must not modify it afterwards either)
     */
    void addEnergy(double energyEv, float[] mu);

    /** Number of energy images added so far. */
    int energies();

    /**
     * Computes all maps from what has been added so far. Allocates the map arrays of the snapshot.
     *
     * @param finalSnapshot marks the snapshot as the scan's final one
     */
    MapsSnapshot snapshot(String scanId, boolean finalSnapshot, long epochMillis);
}
