package org.xanestream.processor.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.xanestream.processor.spectra.ReferenceSpectrum;

class SpectrumEstimatorsTest {
    private static final ElementPreset NI = ElementPreset.of("Ni");

    static double[] ramp(double from, double to, double step) {
        int n = (int) Math.round((to - from) / step) + 1;
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = from + i * step;
        }
        return e;
    }

    @Test
    void quadraticWhitelineFindsTheVertexOfAnExactParabola() {
        double[] e = ramp(8340, 8360, 0.5);
        double[] mu = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            mu[i] = 1.4 - 0.02 * (e[i] - 8350.3) * (e[i] - 8350.3);
        }
        SpectrumEstimators.Whiteline w = SpectrumEstimators.whiteline(e, mu, NI, 2);
        assertEquals(8350.3, w.peakEv(), 1e-9);
        assertEquals(1.4, w.height(), 1e-9);
        assertEquals(0.0, w.sigmaEv(), 1e-5);
        SpectrumEstimators.Whiteline c = SpectrumEstimators.whiteline(e, mu, NI, 3);
        assertEquals(8350.3, c.peakEv(), 1e-9);
    }

    @Test
    void cubicWhitelineFindsTheLocalMaximum() {
        double[] e = ramp(8347, 8354, 0.25);
        double[] mu = new double[e.length];
        // derivative 0.01 - 2*0.02*(E-8350) - 3*0.004*(E-8350)^2; local max where negative curvature
        for (int i = 0; i < e.length; i++) {
            double d = e[i] - 8350;
            mu[i] = 1 + 0.01 * d - 0.02 * d * d - 0.004 * d * d * d;
        }
        double a = -0.012;
        double b = -0.04;
        double c = 0.01;
        double root = (-b - Math.sqrt(b * b - 4 * a * c)) / (2 * a);
        double other = (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
        double max = (2 * a * root + b) < 0 ? root : other;
        assertEquals(8350 + max, SpectrumEstimators.whiteline(e, mu, NI, 3).peakEv(), 1e-9);
    }

    @Test
    void whitelineIsUndefinedForPositiveCurvatureOrVertexOutsideWindow() {
        double[] e = ramp(8345, 8356, 1);
        double[] up = new double[e.length];
        double[] outside = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            up[i] = 1 + 0.02 * (e[i] - 8350) * (e[i] - 8350);
            outside[i] = 1 - 0.02 * (e[i] - 8358) * (e[i] - 8358);
        }
        assertTrue(Double.isNaN(SpectrumEstimators.whiteline(e, up, NI, 2).peakEv()));
        assertTrue(Double.isNaN(SpectrumEstimators.whiteline(e, outside, NI, 2).peakEv()));
        double[] few = {8348, 8350};
        assertTrue(Double.isNaN(SpectrumEstimators.whiteline(few, new double[] {1, 1.1}, NI, 2).peakEv()));
    }

    @Test
    void aFlatSpectrumHasNoJumpNoEdgeAndFailsTheMask() {
        double[] e = ramp(8200, 8600, 1.3);
        for (double level : new double[] {0.7, 1e-3, 3.1}) {
            double[] mu = new double[e.length];
            java.util.Arrays.fill(mu, level);
            SpectrumEstimators.Edge edge = SpectrumEstimators.edge(e, mu, NI);
            // the two line fits agree to the last bits at best: that difference is no jump
            assertEquals(0.0, edge.edgeJump(), 0.0, "level " + level);
            assertTrue(Double.isNaN(edge.edgeEv()), "level " + level);
            assertFalse(edge.passesMask(3), "level " + level);
        }
    }

    @Test
    void edgeOfAPiecewiseLinearStepIsWhereTheNormalizedRampCrossesHalf() {
        double[] e = ramp(8200, 8600, 1);
        double[] mu = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            double pre = 0.2 + 0.0002 * (e[i] - 8347);
            double post = 1.7 - 0.0001 * (e[i] - 8347);
            double t = Math.min(1, Math.max(0, (e[i] - 8340) / 8.0));
            mu[i] = pre + t * (post - pre);
        }
        SpectrumEstimators.Edge edge = SpectrumEstimators.edge(e, mu, NI);
        assertFalse(edge.whitelineOnly());
        assertEquals(1.5, edge.edgeJump(), 1e-9);
        assertEquals(0.0, edge.preEdgeSd(), 1e-9);
        // normalized crossing with the constant-jump normalization: solve numerically on the fine grid
        double expected = Double.NaN;
        for (int i = 0; i + 1 < e.length; i++) {
            double n0 = edge.normalize(e[i], mu[i]);
            double n1 = edge.normalize(e[i + 1], mu[i + 1]);
            if (n0 < 0.5 && n1 >= 0.5) {
                expected = e[i] + (0.5 - n0) / (n1 - n0);
                break;
            }
        }
        assertEquals(expected, edge.edgeEv(), 1e-9);
        assertTrue(edge.edgeEv() > 8343.5 && edge.edgeEv() < 8344.5, "edge " + edge.edgeEv());
        assertTrue(edge.passesMask(3));
    }

    @Test
    void narrowScanUsesWhitelineOnlyMode() {
        double[] e = ramp(8340, 8360, 1);
        double[] mu = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            mu[i] = 1.2 - 0.01 * (e[i] - 8350) * (e[i] - 8350) + 0.001 * Math.sin(i);
        }
        SpectrumEstimators.Edge edge = SpectrumEstimators.edge(e, mu, NI);
        assertTrue(edge.whitelineOnly());
        assertTrue(Double.isNaN(edge.edgeEv()));
        assertTrue(Double.isNaN(edge.preEdgeSd()));
        assertTrue(edge.edgeJump() > 1.0);
        assertTrue(edge.noise() > 0 && edge.noise() < 0.01);
        assertTrue(edge.passesMask(3));
    }

    @Test
    void lcfRecoversFractionsOfANoiselessMixtureOfRealReferences() {
        List<ReferenceSpectrum> refs = TestReferences.nickel();
        double[] e = ramp(8250, 8500, 2);
        double[] mu = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            mu[i] = 1.5 * (0.3 * refs.get(0).valueAt(e[i]) + 0.7 * refs.get(1).valueAt(e[i])) + 0.05
                    + 0.0002 * (e[i] - 8347);
        }
        SpectrumEstimators.Lcf lcf = SpectrumEstimators.lcf(e, mu, refs, NI);
        assertEquals(0.3, lcf.fractions()[0], 1e-9);
        assertEquals(0.7, lcf.fractions()[1], 1e-9);
        assertEquals(1.5, lcf.scale(), 1e-9);
        assertEquals(0.05, lcf.offset(), 1e-9);
        assertEquals(0.0002, lcf.slopePerEv(), 1e-12);
        assertEquals(1.0, lcf.r2(), 1e-12);
    }

    @Test
    void lcfKeepsAnAbsentReferenceAtZeroInsteadOfGoingNegative() {
        List<ReferenceSpectrum> refs = TestReferences.nickel();
        double[] e = ramp(8250, 8500, 2);
        double[] mu = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            // a little beyond pure NiO: the unconstrained fit would give LiNiO2 a negative weight
            mu[i] = 1.2 * refs.get(0).valueAt(e[i]) - 0.1 * refs.get(1).valueAt(e[i]);
        }
        SpectrumEstimators.Lcf lcf = SpectrumEstimators.lcf(e, mu, refs, NI);
        assertEquals(1.0, lcf.fractions()[0], 0);
        assertEquals(0.0, lcf.fractions()[1], 0);
        assertTrue(lcf.weights()[1] == 0);
    }
}
