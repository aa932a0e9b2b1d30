package org.xanestream.processor.spectra;

import java.util.Objects;

/**
 * A measured reference spectrum: strictly increasing energies (eV) and mu, edge-normalized
 * (pre-edge 0, post-edge 1) unless {@code normalized} is false.
 *
 * @param name       short name used in map names ({@code fraction_<name>}), e.g. {@code NiO}
 * @param energyEv   energies in eV, strictly increasing; not modified
 * @param mu         absorbance at those energies; not modified
 * @param normalized whether mu is already edge-normalized
 * @param origin     where it came from (file path), for result-file provenance
 */
public record ReferenceSpectrum(String name, double[] energyEv, double[] mu, boolean normalized, String origin) {
    public ReferenceSpectrum {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_.+-]+")) {
            throw new IllegalArgumentException("reference name must be letters, digits, _ . + -; got '" + name + "'");
        }
        if (energyEv.length != mu.length || energyEv.length < 2) {
            throw new IllegalArgumentException("reference '" + name + "' needs >= 2 points with as many mu as energies, got "
                    + energyEv.length + " energies and " + mu.length + " mu");
        }
        for (int i = 1; i < energyEv.length; i++) {
            if (!(energyEv[i] > energyEv[i - 1])) {
                throw new IllegalArgumentException("reference '" + name + "' energies must increase strictly; point "
                        + i + " has " + energyEv[i] + " eV after " + energyEv[i - 1] + " eV");
            }
        }
        origin = origin == null ? "" : origin;
    }

    /** Linear interpolation at {@code eV}; clamps to the end values outside the measured range. */
    public double valueAt(double eV) {
        int n = energyEv.length;
        if (eV <= energyEv[0]) {
            return mu[0];
        }
        if (eV >= energyEv[n - 1]) {
            return mu[n - 1];
        }
        int lo = 0;
        int hi = n - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (energyEv[mid] <= eV) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double t = (eV - energyEv[lo]) / (energyEv[hi] - energyEv[lo]);
        return mu[lo] + t * (mu[hi] - mu[lo]);
    }
}
