package org.xanestream.simulators.acquisition;

/**
 * One region of an energy grid: the energies {@code fromEv + k·stepEv} for k = 0, 1, … up to and
 * including {@code toEv} (within 1 meV). A single energy is {@code fromEv == toEv}.
 *
 * @param fromEv first energy, eV (relative to the edge or absolute, as the owning {@link EnergyGrid} says)
 * @param toEv   last energy, eV, {@code >= fromEv}
 * @param stepEv step, eV, {@code > 0}
 */
public record EnergyRegion(double fromEv, double toEv, double stepEv) {
    public EnergyRegion {
        if (!Double.isFinite(fromEv) || !Double.isFinite(toEv) || !(toEv >= fromEv)) {
            throw new IllegalArgumentException("energy region must have finite from <= to, got " + fromEv + ".." + toEv + " eV");
        }
        if (!(stepEv > 0) || !Double.isFinite(stepEv)) {
            throw new IllegalArgumentException("energy region step must be > 0 eV, got " + stepEv);
        }
        if ((toEv - fromEv) / stepEv > 100_000) {
            throw new IllegalArgumentException("energy region " + fromEv + ".." + toEv + " eV with step " + stepEv
                    + " eV has more than 100000 points");
        }
    }

    /** A region holding one energy. */
    public static EnergyRegion single(double eV) {
        return new EnergyRegion(eV, eV, 1.0);
    }
}
