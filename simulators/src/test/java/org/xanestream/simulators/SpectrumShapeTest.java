package org.xanestream.simulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameKind;
import org.xanestream.processor.spectra.ReferenceSpectra;
import org.xanestream.processor.spectra.ReferenceSpectrum;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
import org.xanestream.simulators.acquisition.EnergyGrid;
import org.xanestream.simulators.detector.DriftConfig;
import org.xanestream.simulators.phantom.PhantomConfig;
import org.xanestream.simulators.sink.InMemoryFrameSink;
import org.xanestream.simulators.truth.GroundTruth;

/** Pure-NiO and pure-LiNiO2 samples must reproduce the measured reference shapes (shared/data/spectra). */
class SpectrumShapeTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static SimulatorConfig pure(double fraction, PhantomConfig base) {
        return SimulatorConfig.defaults().withSize(64, 64).withPixelSizeUm(0.3).withThreads(2)
                .withPhantom(base.withUniformFraction(fraction).withCoverage(0.6)).withDrift(DriftConfig.none());
    }

    @Test
    void noiselessSpectrumWithoutBackgroundIsTheReferenceTimesTheEdgeStep() throws Exception {
        for (Object[] c : new Object[][] {{0.0, "pyxas_ref_NiO.txt"}, {1.0, "pyxas_ref_LiNiO2.txt"}}) {
            ReferenceSpectrum ref = ReferenceSpectra.load(SharedSpectra.file((String) c[1]));
            SimulatorConfig cfg = pure((Double) c[0], PhantomConfig.defaults().withBackground(0, 0))
                    .withEnergies(EnergyGrid.parse("8250:8450:1", false));
            try (XanesSimulator sim = XanesSimulator.create(cfg)) {
                GroundTruth truth = sim.groundTruth();
                int i = argMax(truth.map(GroundTruth.EDGE_STEP));
                double step = truth.map(GroundTruth.EDGE_STEP)[i];
                assertTrue(step > 0.3, "a particle pixel with a sizeable edge step: " + step);
                double[] mu = sim.noiselessSpectrum(0, i % 64, i / 64);
                double[] e = sim.energiesEv();
                int knots = 0;
                for (int k = 0; k < e.length; k++) {
                    boolean knot = isPoint(ref, e[k]);
                    // the model is the natural spline through the reference points: exact at the points
                    assertEquals(ref.valueAt(e[k]), mu[k] / step, knot ? 1e-5 : 0.004, c[1] + " at " + e[k] + " eV");
                    knots += knot ? 1 : 0;
                }
                assertTrue(knots > 100, "energies on reference points: " + knots);
                assertEquals((Double) c[0], (double) truth.scan(0).map(GroundTruth.FRACTION_OX)[i], 1e-6);
            }
        }
    }

    @Test
    void framesOfPureSamplesGiveTheReferenceShapesAndLandmarks() throws Exception {
        double[] whiteline = new double[2];
        double[] halfRise = new double[2];
        for (int phase = 0; phase < 2; phase++) {
            ReferenceSpectrum ref = ReferenceSpectra.load(SharedSpectra.file(phase == 0 ? "pyxas_ref_NiO.txt"
                    : "pyxas_ref_LiNiO2.txt"));
            SimulatorConfig cfg = pure(phase, PhantomConfig.defaults())
                    .withEnergies(EnergyGrid.parse("-80:-30:10,-20:25:1,40:140:20", true))
                    .withAcquisition(AcquisitionConfig.defaults().withChunkSize(4));
            InMemoryFrameSink sink = new InMemoryFrameSink();
            double[] e;
            float[] step;
            try (XanesSimulator sim = XanesSimulator.create(cfg)) {
                sim.stream(sink, StreamOptions.quiet(CLOCK));
                e = sim.energiesEv();
                step = sim.groundTruth().map(GroundTruth.EDGE_STEP);
            }
            double[] spectrum = meanMu(sink, e, step);
            double[] norm = normalize(e, spectrum, 8347);
            double[] refAtE = new double[e.length];
            for (int k = 0; k < e.length; k++) {
                refAtE[k] = ref.valueAt(e[k]);
            }
            // the same normalization on both sides: the shapes must agree within noise
            double[] refNorm = normalize(e, refAtE, 8347);
            for (int k = 0; k < e.length; k++) {
                assertEquals(refNorm[k], norm[k], 0.02, "phase " + phase + " at " + e[k] + " eV");
            }
            whiteline[phase] = e[argMax(norm, e, 8340, 8360)];
            halfRise[phase] = firstAbove(norm, e, 0.5);
        }
        // README landmarks: NiO whiteline ≈ 8347.5 eV, LiNiO2 ≈ 8349.5 eV (1 eV grid)
        assertEquals(8347.5, whiteline[0], 1.0);
        assertEquals(8349.5, whiteline[1], 1.0);
        assertTrue(halfRise[1] > halfRise[0] + 1, "the oxidized edge lies higher: " + halfRise[0] + " vs " + halfRise[1]);
    }

    /** Mean absorbance over pixels with edge step > 0.3, per energy. */
    private static double[] meanMu(InMemoryFrameSink sink, double[] e, float[] step) {
        int n = step.length;
        double[] dark = new double[n];
        double[][] s = new double[e.length][n];
        double[][] f = new double[e.length][n];
        int[] count = new int[3];
        for (Frame fr : sink.frames()) {
            FrameKind kind = fr.header().kind();
            double[] target = kind == FrameKind.DARK ? dark : null;
            if (kind != FrameKind.DARK) {
                int k = java.util.Arrays.binarySearch(e, fr.header().energyEv());
                target = kind == FrameKind.SAMPLE ? s[k] : f[k];
            }
            for (int i = 0; i < n; i++) {
                target[i] += fr.pixelAsFloat(i);
            }
            count[kind.ordinal() % 3]++;
        }
        double[] out = new double[e.length];
        for (int k = 0; k < e.length; k++) {
            double sum = 0;
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (step[i] > 0.3) {
                    sum += -Math.log((s[k][i] - dark[i]) / (f[k][i] - dark[i]));
                    m++;
                }
            }
            out[k] = sum / m;
        }
        return out;
    }

    /** Pre-edge line over E ≤ E0−30, post-edge line over E ≥ E0+40; (mu − pre)/(post − pre at E0), flattened. */
    private static double[] normalize(double[] e, double[] mu, double e0) {
        double[] pre = line(e, mu, 0, e0 - 30);
        double[] post = line(e, mu, e0 + 40, 1e9);
        double step = (post[0] + post[1] * e0) - (pre[0] + pre[1] * e0);
        double[] out = new double[e.length];
        for (int k = 0; k < e.length; k++) {
            double p = pre[0] + pre[1] * e[k];
            out[k] = (mu[k] - p) / step;
            if (e[k] > e0) {
                out[k] -= (post[0] + post[1] * e[k] - p) / step - 1;
            }
        }
        return out;
    }

    private static double[] line(double[] e, double[] mu, double lo, double hi) {
        double n = 0;
        double se = 0;
        double sm = 0;
        double see = 0;
        double sem = 0;
        for (int k = 0; k < e.length; k++) {
            if (e[k] >= lo && e[k] <= hi) {
                n++;
                se += e[k];
                sm += mu[k];
                see += e[k] * e[k];
                sem += e[k] * mu[k];
            }
        }
        double slope = (sem - se * sm / n) / (see - se * se / n);
        return new double[] {(sm - slope * se) / n, slope};
    }

    private static boolean isPoint(ReferenceSpectrum ref, double eV) {
        for (double x : ref.energyEv()) {
            if (Math.abs(x - eV) < 1e-6) {
                return true;
            }
        }
        return false;
    }

    private static int argMax(float[] m) {
        int best = 0;
        for (int i = 1; i < m.length; i++) {
            if (m[i] > m[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int argMax(double[] v, double[] e, double lo, double hi) {
        int best = -1;
        for (int k = 0; k < v.length; k++) {
            if (e[k] >= lo && e[k] <= hi && (best < 0 || v[k] > v[best])) {
                best = k;
            }
        }
        return best;
    }

    private static double firstAbove(double[] v, double[] e, double level) {
        for (int k = 1; k < v.length; k++) {
            if (v[k] >= level && v[k - 1] < level) {
                return e[k - 1] + (level - v[k - 1]) / (v[k] - v[k - 1]) * (e[k] - e[k - 1]);
            }
        }
        return Double.NaN;
    }
}
