package org.xanestream.simulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameKind;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
import org.xanestream.simulators.acquisition.EnergyGrid;
import org.xanestream.simulators.detector.DetectorConfig;
import org.xanestream.simulators.sink.InMemoryFrameSink;

/** Flat-field pixel statistics against Poisson at the configured count level (uniform beam, darks removed). */
class NoiseStatisticsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final int CHUNK = 30;
    private static final int SIZE = 64;

    /** Frames per kind of the first energy, as doubles [frame][pixel]. */
    private static List<double[]> frames(DetectorConfig det, FrameKind kind) throws Exception {
        SimulatorConfig cfg = SimulatorConfig.defaults().withSize(SIZE, SIZE).withPixelSizeUm(0.3).withThreads(2)
                .withEnergies(EnergyGrid.parse("8300,8400", false)).withDetector(det)
                .withAcquisition(AcquisitionConfig.defaults().withChunkSize(CHUNK));
        InMemoryFrameSink sink = new InMemoryFrameSink();
        try (XanesSimulator sim = XanesSimulator.create(cfg)) {
            sim.stream(sink, StreamOptions.quiet(CLOCK));
        }
        List<double[]> out = new ArrayList<>();
        for (Frame f : sink.frames()) {
            if (f.header().kind() == kind && (kind == FrameKind.DARK || f.header().energyEv() == 8300)) {
                double[] px = new double[SIZE * SIZE];
                for (int i = 0; i < px.length; i++) {
                    px[i] = f.pixelAsFloat(i);
                }
                out.add(px);
            }
        }
        assertEquals(CHUNK, out.size());
        return out;
    }

    private static double[] perPixelMean(List<double[]> frames) {
        double[] m = new double[frames.get(0).length];
        for (double[] f : frames) {
            for (int i = 0; i < m.length; i++) {
                m[i] += f[i] / frames.size();
            }
        }
        return m;
    }

    /**
     * {mean, temporal variance averaged over pixels, skewness, fraction of zeros} of flat − mean dark.
     * The skewness is taken over all values pooled around their global mean (the beam is uniform), so
     * it carries no small-sample bias of per-pixel means.
     */
    private static double[] flatStatistics(DetectorConfig det) throws Exception {
        double[] dark = perPixelMean(frames(det, FrameKind.DARK));
        List<double[]> flats = frames(det, FrameKind.FLAT);
        double[] mean = perPixelMean(flats);
        int n = SIZE * SIZE;
        double total = n * (double) CHUNK;
        double sum = 0;
        double var = 0;
        double zeros = 0;
        for (int i = 0; i < n; i++) {
            sum += mean[i] - dark[i];
            for (double[] f : flats) {
                double d = f[i] - mean[i];
                var += d * d;
                if (f[i] - dark[i] < 0.5) {
                    zeros++;
                }
            }
        }
        double globalMean = sum / n;
        double p2 = 0;
        double p3 = 0;
        for (int i = 0; i < n; i++) {
            for (double[] f : flats) {
                double d = f[i] - dark[i] - globalMean;
                p2 += d * d;
                p3 += d * d * d;
            }
        }
        double skew = (p3 / total) / Math.pow(p2 / total, 1.5);
        return new double[] {globalMean, var / (n * (CHUNK - 1.0)), skew, zeros / total};
    }

    private static DetectorConfig uniform(double counts, double readNoise) {
        return DetectorConfig.defaults().withUniformBeam().withHotPixelFraction(0).withOpenBeamCounts(counts)
                .withReadNoiseAdu(readNoise);
    }

    @Test
    void flatPixelsArePoissonAtTheDefaultCountLevel() throws Exception {
        double[] s = flatStatistics(uniform(20000, 2));
        assertEquals(20000, s[0], 20000 * 0.001, "mean counts after removing the dark");
        // Poisson variance = mean, plus read noise 2² and rounding 1/12
        assertEquals(20000 + 4 + 1 / 12.0, s[1], 20000 * 0.02, "temporal variance");
    }

    @Test
    void darkFramesShowOnlyReadNoise() throws Exception {
        List<double[]> darks = frames(uniform(20000, 2), FrameKind.DARK);
        double[] mean = perPixelMean(darks);
        double var = 0;
        double offset = 0;
        for (int i = 0; i < mean.length; i++) {
            offset += mean[i] / mean.length;
            for (double[] d : darks) {
                var += (d[i] - mean[i]) * (d[i] - mean[i]) / (mean.length * (CHUNK - 1.0));
            }
        }
        assertEquals(100, offset, 0.5, "dark offset");
        assertEquals(4 + 1 / 12.0, var, 0.25, "read noise variance");
    }

    @Test
    void lowCountsAreSampledExactlyPoisson() throws Exception {
        double lambda = 5;
        double[] s = flatStatistics(uniform(lambda, 0));
        assertEquals(lambda, s[0], lambda * 0.01, "mean");
        assertEquals(lambda, s[1], lambda * 0.03, "variance");
        assertEquals(1 / Math.sqrt(lambda), s[2], 0.03, "skewness of Poisson");
        assertEquals(Math.exp(-lambda), s[3], Math.exp(-lambda) * 0.15, "P(0)");
    }

    @Test
    void moderateCountsKeepPoissonMeanAndVariance() throws Exception {
        double lambda = 40;
        double[] s = flatStatistics(uniform(lambda, 1));
        assertEquals(lambda, s[0], lambda * 0.01, "mean");
        assertEquals(lambda + 1 + 1 / 12.0, s[1], lambda * 0.03, "variance");
    }

    @Test
    void brightBeamSaturatesAt65535() throws Exception {
        List<double[]> flats = frames(uniform(80000, 2), FrameKind.FLAT);
        for (double[] f : flats) {
            for (double v : f) {
                assertEquals(65535.0, v);
            }
        }
    }

    @Test
    void structuredFlatFieldIsNotUniformButSmooth() throws Exception {
        List<double[]> flats = frames(DetectorConfig.defaults().withHotPixelFraction(0), FrameKind.FLAT);
        double[] m = perPixelMean(flats);
        double min = Double.MAX_VALUE;
        double max = 0;
        for (double v : m) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(max / min > 1.2, "envelope, rings and stripes give structure: " + min + ".." + max);
        assertTrue(max < 20000 * 1.2, "centre near the configured count level: " + max);
    }
}
