package org.xanestream.simulators;

/**
 * What a run did.
 *
 * @param scans          scans sent
 * @param frames         frames sent
 * @param bytes          pixel bytes sent
 * @param elapsedS       wall time of the run, seconds (including per-energy preparation)
 * @param generateS      wall time spent generating (preparing energies and rendering noise), seconds
 */
public record StreamStats(int scans, long frames, long bytes, double elapsedS, double generateS) {
    /** Frames per second over the whole run. */
    public double framesPerSecond() {
        return elapsedS > 0 ? frames / elapsedS : Double.NaN;
    }

    /** Frames per second counting only the generation time. */
    public double generatedFramesPerSecond() {
        return generateS > 0 ? frames / generateS : Double.NaN;
    }
}
