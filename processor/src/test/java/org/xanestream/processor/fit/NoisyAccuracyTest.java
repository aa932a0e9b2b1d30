package org.xanestream.processor.fit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.RowParallel;

/**
 * Accuracy of the maps on noisy mixtures of the real Ni references, against the same estimators on the
 * noiseless spectra (the ground-truth convention of DESIGN §4.4).
 */
class NoisyAccuracyTest {

    @Test
    void whitelineAndFractionsStayCloseToTheNoiselessTruthAtTypicalNoise() {
        ElementPreset ni = ElementPreset.of("Ni");
        double[] e = SyntheticStack.nickelScan();
        int w = 48;
        int h = 40;
        // same seed: same pixel parameters; noise 0 vs 0.01 (≈ 1 % transmission noise per energy point)
        SyntheticStack clean = new SyntheticStack(w, h, e, TestReferences.nickel(), 0.0, 21, ni.edgeEv());
        SyntheticStack noisy = new SyntheticStack(w, h, e, TestReferences.nickel(), 0.01, 21, ni.edgeEv());
        FitSettings s = FitSettings.defaults(ni).withReferences(TestReferences.nickel());
        MapsSnapshot snap;
        try (RowParallel rows = new RowParallel(2)) {
            IncrementalXanesFit fit = new IncrementalXanesFit(s, w, h, rows);
            fit.addEnergies(e, noisy.images);
            snap = fit.snapshot("acc", true, 0);
        }
        float[] wl = snap.maps().get(FitMaps.WHITELINE_EV);
        float[] fNiO = snap.maps().get(FitMaps.fraction("NiO"));
        float[] mask = snap.maps().get(FitMaps.MASK);
        double[] wlErr = new double[w * h];
        double[] fErr = new double[w * h];
        int n = 0;
        int masked = 0;
        int particles = 0;
        int falseTrusted = 0;
        for (int i = 0; i < w * h; i++) {
            boolean particle = clean.scale[i] > 0;
            particles += particle ? 1 : 0;
            if (mask[i] == 1f) {
                masked++;
                falseTrusted += particle ? 0 : 1;
            }
            if (!particle) {
                continue;
            }
            double[] mu = clean.spectrum(i, e.length);
            double truthWl = SpectrumEstimators.whiteline(e, mu, ni, 2).peakEv();
            wlErr[n] = Math.abs(wl[i] - truthWl);
            fErr[n] = Math.abs(fNiO[i] - clean.fraction0[i]);
            n++;
        }
        double wlMedian = median(Arrays.copyOf(wlErr, n));
        double fMedian = median(Arrays.copyOf(fErr, n));
        assertTrue(wlMedian <= 0.15, "median whiteline error " + wlMedian + " eV");
        assertTrue(fMedian <= 0.05, "median NiO fraction error " + fMedian);
        System.out.printf("noisy accuracy: median |whiteline - truth| %.4f eV, median |f_NiO - truth| %.4f, "
                + "%d/%d particle pixels trusted, %d background trusted%n", wlMedian, fMedian, masked - falseTrusted,
                particles, falseTrusted);
        assertTrue(falseTrusted <= 0.01 * (w * h - particles), falseTrusted + " background pixels trusted");
        assertTrue(masked >= 0.95 * particles, masked + " of " + particles + " particle pixels trusted");
    }

    private static double median(double[] v) {
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }
}
