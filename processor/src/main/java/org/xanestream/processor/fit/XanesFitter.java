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

    /**
     * Adds several images, equivalent to {@link #addEnergy} for each in order. Implementations may do it
     * faster in one pass (this default calls {@code addEnergy} for each).
     *
     * @param energiesEv energies, eV, one per image; not modified
     * @param mu         images, retained by reference and never modified
     */
    default void addEnergies(double[] energiesEv, float[][] mu) {
        if (energiesEv.length != mu.length) {
            throw new IllegalArgumentException("need as many images as energies, got " + energiesEv.length
                    + " energies and " + mu.length + " images");
        }
        for (int e = 0; e < mu.length; e++) {
            addEnergy(energiesEv[e], mu[e]);
        }
    }

    /**
     * {@link #addEnergies} then {@link #snapshot}: the path of a full refit, which an implementation may do in
     * one pass over the pixels (the same maps and summaries as the two calls).
     */
    default MapsSnapshot addEnergiesAndSnapshot(double[] energiesEv, float[][] mu, String scanId,
                                                boolean finalSnapshot, long epochMillis) {
        addEnergies(energiesEv, mu);
        return snapshot(scanId, finalSnapshot, epochMillis);
    }

    /**
     * Does work deferred by {@link #addEnergy} that is due; called by the processor after an energy point's
     * results (event, live maps) were handed over, so that deferred work does not delay them. Snapshots
     * never depend on it: they catch up on whatever they need. This default has nothing to do.
     */
    default void catchUp() {
    }

    /**
     * The fit is over: gives back what it can reuse (an {@link IncrementalXanesFit} made with shared
     * {@link FitBuffers} gives its accumulator planes to them). Nothing may be called afterwards; snapshots already
     * taken stay valid. Idempotent. This default does nothing.
     */
    default void close() {
    }

    /** Number of energy images added so far. */
    int energies();

    /**
     * Computes all maps from what has been added so far. Allocates the map arrays of the snapshot.
     *
     * @param finalSnapshot marks the snapshot as the scan's final one
     */
    MapsSnapshot snapshot(String scanId, boolean finalSnapshot, long epochMillis);
}
