package org.xanestream.simulators.acquisition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.xanestream.ingest.FrameKind;

/**
 * The frame sequence of a series of scans, FXI {@code xanes_scan2} order: per scan {@code chunkSize}
 * darks, then per energy {@code chunkSize} samples and {@code chunkSize} flats. Also the simulated
 * times of each block (used by the beam and drift models).
 *
 * <p>Immutable, thread safe; built once (allocates the frame list), never per frame.
 */
public final class AcquisitionPlan {
    private final AcquisitionConfig config;
    private final int energies;
    private final List<List<PlannedFrame>> scans;
    private final double[][] sampleTimeS;
    private final double[][] flatTimeS;

    public AcquisitionPlan(AcquisitionConfig config, int energies) {
        if (energies < 1) {
            throw new IllegalArgumentException("a scan needs at least one energy, got " + energies);
        }
        this.config = config;
        this.energies = energies;
        int c = config.chunkSize();
        List<List<PlannedFrame>> all = new ArrayList<>(config.scans());
        sampleTimeS = new double[config.scans()][energies];
        flatTimeS = new double[config.scans()][energies];
        double t = 0;
        for (int s = 0; s < config.scans(); s++) {
            List<PlannedFrame> frames = new ArrayList<>(c * (1 + 2 * energies));
            int n = 0;
            for (int r = 0; r < c; r++) {
                frames.add(new PlannedFrame(s, n++, FrameKind.DARK, -1, r, t));
                t += config.exposureS();
            }
            for (int e = 0; e < energies; e++) {
                t += config.energyMoveS();
                sampleTimeS[s][e] = t;
                for (int r = 0; r < c; r++) {
                    frames.add(new PlannedFrame(s, n++, FrameKind.SAMPLE, e, r, t));
                    t += config.exposureS();
                }
                t += config.sampleMoveS();
                flatTimeS[s][e] = t;
                for (int r = 0; r < c; r++) {
                    frames.add(new PlannedFrame(s, n++, FrameKind.FLAT, e, r, t));
                    t += config.exposureS();
                }
                t += config.sampleMoveS();
            }
            t += config.scanGapS();
            all.add(Collections.unmodifiableList(frames));
        }
        this.scans = Collections.unmodifiableList(all);
    }

    public AcquisitionConfig config() {
        return config;
    }

    /** Energies per scan. */
    public int energies() {
        return energies;
    }

    /** Scans in the series. */
    public int scans() {
        return scans.size();
    }

    /** The frames of scan {@code s}, in sending order. */
    public List<PlannedFrame> frames(int s) {
        return scans.get(s);
    }

    /** Frames per scan: {@code chunkSize · (1 + 2 · energies)}. */
    public int framesPerScan() {
        return config.chunkSize() * (1 + 2 * energies);
    }

    /** Frames of the whole series. */
    public long totalFrames() {
        return (long) framesPerScan() * scans.size();
    }

    /** Simulated start time of the sample block of energy {@code e} in scan {@code s}, seconds. */
    public double sampleTimeS(int s, int e) {
        return sampleTimeS[s][e];
    }

    /** Simulated start time of the flat block of energy {@code e} in scan {@code s}, seconds. */
    public double flatTimeS(int s, int e) {
        return flatTimeS[s][e];
    }
}
