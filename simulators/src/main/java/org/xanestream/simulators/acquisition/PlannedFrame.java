package org.xanestream.simulators.acquisition;

import org.xanestream.ingest.FrameKind;

/**
 * One frame of the acquisition sequence.
 *
 * @param scanIndex   0-based scan in the series
 * @param frameNumber 0-based frame counter within the scan (the ADZMQ {@code frame} field)
 * @param kind        dark, sample or flat
 * @param energyIndex index into the scan's energies; -1 for darks
 * @param repeat      0-based position within its block of {@code chunkSize}
 * @param timeS       simulated acquisition time since the start of the series, seconds
 */
public record PlannedFrame(int scanIndex, int frameNumber, FrameKind kind, int energyIndex, int repeat, double timeS) {
}
