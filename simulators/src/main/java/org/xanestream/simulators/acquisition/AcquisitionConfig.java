package org.xanestream.simulators.acquisition;

import java.util.Objects;

/**
 * How a scan is acquired, after the FXI {@code xanes_scan2} plan: {@code chunkSize} dark frames first,
 * then for each energy {@code chunkSize} sample frames followed by {@code chunkSize} flat frames.
 * The times (exposure, motor moves) only set the simulated frame timestamps and the time-dependent
 * physics (beam intensity, drift); {@code frameRateHz} sets how fast frames are actually sent.
 *
 * @param chunkSize        frames per block (darks, and samples and flats per energy), 1..1000
 * @param scans            scans in the series (1 = a single scan; more = an operando series), 1..10000
 * @param exposureS        nominal time per frame, seconds (0.05 = the FXI 20 frames/s)
 * @param energyMoveS      time to change energy, seconds
 * @param sampleMoveS      time to move the sample out of (or into) the beam for the flats, seconds
 * @param scanGapS         time between the end of one scan and the start of the next, seconds
 * @param frameRateHz      frames sent per second; 0 = as fast as possible (the sink's back-pressure limits it)
 * @param scanIdPrefix     scan ids are {@code <prefix>-001}, {@code <prefix>-002}, …
 */
public record AcquisitionConfig(int chunkSize, int scans, double exposureS, double energyMoveS, double sampleMoveS,
                                double scanGapS, double frameRateHz, String scanIdPrefix) {
    public AcquisitionConfig {
        if (chunkSize < 1 || chunkSize > 1000) {
            throw new IllegalArgumentException("chunkSize must be 1..1000, got " + chunkSize);
        }
        if (scans < 1 || scans > 10_000) {
            throw new IllegalArgumentException("scans must be 1..10000, got " + scans);
        }
        nonNegative(exposureS, "exposureS");
        nonNegative(energyMoveS, "energyMoveS");
        nonNegative(sampleMoveS, "sampleMoveS");
        nonNegative(scanGapS, "scanGapS");
        if (!(frameRateHz >= 0) || frameRateHz > 100_000) {
            throw new IllegalArgumentException("frameRateHz must be 0 (as fast as possible) or up to 100000, got " + frameRateHz);
        }
        Objects.requireNonNull(scanIdPrefix, "scanIdPrefix");
        if (!scanIdPrefix.matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw new IllegalArgumentException("scanIdPrefix must be 1..64 of letters, digits, _ . : -, got '" + scanIdPrefix + "'");
        }
    }

    private static void nonNegative(double v, String name) {
        if (!(v >= 0) || !Double.isFinite(v) || v > 1e6) {
            throw new IllegalArgumentException(name + " must be 0..1e6 s, got " + v);
        }
    }

    /** chunk 5, one scan, 50 ms frames, 0.3 s energy moves, 1 s sample moves, 60 s between scans, as fast as possible, prefix {@code sim}. */
    public static AcquisitionConfig defaults() {
        return new AcquisitionConfig(5, 1, 0.05, 0.3, 1.0, 60.0, 0.0, "sim");
    }

    public AcquisitionConfig withChunkSize(int v) {
        return new AcquisitionConfig(v, scans, exposureS, energyMoveS, sampleMoveS, scanGapS, frameRateHz, scanIdPrefix);
    }

    public AcquisitionConfig withScans(int v) {
        return new AcquisitionConfig(chunkSize, v, exposureS, energyMoveS, sampleMoveS, scanGapS, frameRateHz, scanIdPrefix);
    }

    public AcquisitionConfig withFrameRateHz(double v) {
        return new AcquisitionConfig(chunkSize, scans, exposureS, energyMoveS, sampleMoveS, scanGapS, v, scanIdPrefix);
    }

    public AcquisitionConfig withScanIdPrefix(String v) {
        return new AcquisitionConfig(chunkSize, scans, exposureS, energyMoveS, sampleMoveS, scanGapS, frameRateHz, v);
    }

    /** The id of scan {@code index} (0-based). */
    public String scanId(int index) {
        return String.format(java.util.Locale.ROOT, "%s-%03d", scanIdPrefix, index + 1);
    }
}
