package org.xanestream.processor.session;

/**
 * How frames group into energy points.
 *
 * @param energyToleranceEv       frames whose energies differ by at most this belong to the same point, 0.001..100
 * @param plannedSamplesPerPoint  if &gt; 0, a point completes as soon as it has this many sample (or transmission)
 *                                frames and, if {@code plannedFlatsPerPoint > 0}, that many flats; 0 = unknown
 *                                (points complete when the next energy starts or the scan ends)
 * @param plannedFlatsPerPoint    flats expected per point for early completion; 0 = flats are not taken at every
 *                                energy (early completion then waits for the samples only)
 * @param flatBankSize            most recent flat images kept for borrowing by points without flats, 1..64
 * @param maxPendingPoints        points held while no flat has been received yet in the scan, 0..1000
 *                                (each holds one image); beyond that, or at scan end, they are dropped and counted
 */
public record SessionConfig(double energyToleranceEv, int plannedSamplesPerPoint, int plannedFlatsPerPoint,
                            int flatBankSize, int maxPendingPoints) {
    public SessionConfig {
        if (!(energyToleranceEv >= 0.001 && energyToleranceEv <= 100)) {
            throw new IllegalArgumentException("session energyToleranceEv must be in 0.001..100 eV, got " + energyToleranceEv);
        }
        if (plannedSamplesPerPoint < 0 || plannedSamplesPerPoint > 100_000) {
            throw new IllegalArgumentException("session plannedSamplesPerPoint must be in 0..100000, got "
                    + plannedSamplesPerPoint);
        }
        if (plannedFlatsPerPoint < 0 || plannedFlatsPerPoint > 100_000) {
            throw new IllegalArgumentException("session plannedFlatsPerPoint must be in 0..100000, got "
                    + plannedFlatsPerPoint);
        }
        if (flatBankSize < 1 || flatBankSize > 64) {
            throw new IllegalArgumentException("session flatBankSize must be in 1..64, got " + flatBankSize);
        }
        if (maxPendingPoints < 0 || maxPendingPoints > 1000) {
            throw new IllegalArgumentException("session maxPendingPoints must be in 0..1000, got " + maxPendingPoints);
        }
    }

    /** 0.05 eV tolerance, no planned counts, 2 flats kept for borrowing, up to 8 points waiting for a first flat. */
    public static SessionConfig defaults() {
        return new SessionConfig(0.05, 0, 0, 2, 8);
    }

    public SessionConfig withPlannedCounts(int samples, int flats) {
        return new SessionConfig(energyToleranceEv, samples, flats, flatBankSize, maxPendingPoints);
    }
}
