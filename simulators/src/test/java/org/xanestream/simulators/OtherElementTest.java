package org.xanestream.simulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xanestream.processor.spectra.ReferenceSpectra;
import org.xanestream.processor.spectra.ReferenceSpectrum;
import org.xanestream.simulators.acquisition.EnergyGrid;
import org.xanestream.simulators.detector.DriftConfig;
import org.xanestream.simulators.phantom.PhantomConfig;
import org.xanestream.simulators.truth.GroundTruth;

/** Another element by giving other references: Fe with the raw XDI spectra of FeO and Fe2O3. */
class OtherElementTest {
    @Test
    void ironWithXdiReferencesFollowsTheEdgeNormalizedReferences() throws Exception {
        String feo = "FeO=" + SharedSpectra.file("xasdatalib_FeO_rt_01.xdi");
        String fe2o3 = "Fe2O3=" + SharedSpectra.file("xasdatalib_Fe2O3_rt_01.xdi");
        double[] halfRise = new double[2];
        for (int pure = 0; pure < 2; pure++) {
            SimulatorConfig cfg = SimulatorConfig.defaults().withSize(48, 48).withPixelSizeUm(0.4).withThreads(2)
                    .withElement("Fe", feo, fe2o3).withDrift(DriftConfig.none())
                    .withPhantom(PhantomConfig.defaults().withUniformFraction(pure).withBackground(0, 0).withCoverage(0.7))
                    .withEnergies(EnergyGrid.fxiLike());
            try (XanesSimulator sim = XanesSimulator.create(cfg)) {
                assertEquals(7126 - 100, sim.energiesEv()[0], 1e-9);
                ReferenceSpectrum ref = ReferenceSpectra.normalized(pure == 0 ? sim.reducedReference() : sim.oxidizedReference());
                assertEquals(pure == 0 ? "FeO" : "Fe2O3", ref.name());
                GroundTruth t = sim.groundTruth();
                float[] step = t.map(GroundTruth.EDGE_STEP);
                int best = 0;
                for (int i = 1; i < step.length; i++) {
                    best = step[i] > step[best] ? i : best;
                }
                double[] mu = sim.noiselessSpectrum(0, best % 48, best / 48);
                double[] e = sim.energiesEv();
                for (int k = 0; k < e.length; k++) {
                    // spline vs linear interpolation between the measured points
                    assertEquals(ref.valueAt(e[k]), mu[k] / step[best], 0.03, "at " + e[k] + " eV");
                }
                halfRise[pure] = t.scan(0).map(GroundTruth.EDGE_DENSE_EV)[best];
            }
        }
        assertTrue(halfRise[1] > halfRise[0] + 1, "Fe3+ edge above Fe2+: " + halfRise[0] + " vs " + halfRise[1]);
    }
}
