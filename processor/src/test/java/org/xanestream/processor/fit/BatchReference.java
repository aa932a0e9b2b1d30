package org.xanestream.processor.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

import org.xanestream.processor.MapsSnapshot;

/**
 * Test helper: the straightforward batch fit of every pixel with {@link SpectrumEstimators} (double
 * precision, each spectrum on its own), and the comparison of a snapshot with it.
 */
final class BatchReference {
    private BatchReference() {
    }

    /** Batch maps in {@link FitMaps#names} order, for the first {@code count} images. */
    static double[][] fit(FitSettings s, double[] energies, List<float[]> images, int count) {
        int pixels = images.get(0).length;
        List<String> names = FitMaps.names(s.references());
        double[][] out = new double[names.size()][pixels];
        double[] e = java.util.Arrays.copyOf(energies, count);
        double[] mu = new double[count];
        int k = s.references().size();
        for (int i = 0; i < pixels; i++) {
            boolean valid = true;
            for (int t = 0; t < count; t++) {
                mu[t] = images.get(t)[i];
                valid &= Double.isFinite(mu[t]);
            }
            SpectrumEstimators.Whiteline w = SpectrumEstimators.whiteline(e, mu, s.preset(), s.whitelineOrder());
            SpectrumEstimators.Edge edge = SpectrumEstimators.edge(e, mu, s.preset(), s.windows());
            int m = 0;
            out[m++][i] = w.peakEv();
            out[m++][i] = w.height();
            out[m++][i] = w.sigmaEv();
            out[m++][i] = edge.edgeEv();
            out[m++][i] = edge.edgeJump();
            out[m++][i] = edge.preEdgeSd();
            if (k > 0) {
                SpectrumEstimators.Lcf lcf = SpectrumEstimators.lcf(e, mu, s.references(), s.preset(), s.windows());
                for (int j = 0; j < k; j++) {
                    out[m++][i] = lcf.fractions()[j];
                    out[m++][i] = lcf.fractionSigmas()[j];
                }
                out[m++][i] = lcf.scale();
                out[m++][i] = lcf.r2();
                out[m++][i] = lcf.rss();
            }
            out[m][i] = valid && edge.passesMask(s.maskK()) ? 1 : 0;
        }
        return out;
    }

    static double absoluteFloor(String map) {
        if (map.equals(FitMaps.RSS)) {
            return 1e-10;
        }
        if (map.endsWith("_sigma") || map.equals(FitMaps.WHITELINE_SIGMA_EV) || map.equals(FitMaps.PRE_EDGE_SD)) {
            return 1e-6;
        }
        return 0;
    }

    /**
     * Asserts every map of the snapshot equals the batch maps: same NaN pattern, values within
     * {@code rel} relative, with an absolute floor of {@code rel·1e-3·(largest |value| of that map)} for
     * quantities that are near zero.
     */
    static void assertMatches(MapsSnapshot snap, double[][] batch, List<String> names, double rel) {
        assertEquals(names, List.copyOf(snap.maps().keySet()));
        for (int m = 0; m < names.size(); m++) {
            float[] got = snap.maps().get(names.get(m));
            double[] want = batch[m];
            double scale = 0;
            for (double v : want) {
                if (Double.isFinite(v)) {
                    scale = Math.max(scale, Math.abs(v));
                }
            }
            for (int i = 0; i < want.length; i++) {
                if (Double.isNaN(want[i])) {
                    if (!Float.isNaN(got[i])) {
                        fail(names.get(m) + " pixel " + i + ": batch NaN, incremental " + got[i] + " (version "
                                + snap.version() + ")");
                    }
                    continue;
                }
                double tol = Math.max(rel * Math.max(Math.abs(want[i]), 1e-3 * scale), absoluteFloor(names.get(m)));
                if (!(Math.abs(got[i] - want[i]) <= tol)) {
                    fail(names.get(m) + " pixel " + i + ": batch " + want[i] + ", incremental " + got[i]
                            + " (version " + snap.version() + ", tolerance " + tol + ")");
                }
            }
        }
        assertTrue(snap.summary().keySet().containsAll(names));
    }
}
