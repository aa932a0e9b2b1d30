package org.xanestream.simulators.acquisition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xanestream.processor.fit.ElementPreset;

class EnergyGridTest {
    private final ElementPreset ni = ElementPreset.of("Ni");

    @Test
    void defaultGridHasAtLeastThreePostEdgeEnergiesAndReachesEdgePlus150() {
        double[] e = EnergyGrid.fxiLike().energiesEv(ni.edgeEv());
        double edge = ni.edgeEv();
        int post = 0;
        int pre = 0;
        for (double v : e) {
            if (v >= edge + 100) {
                post++;
            }
            if (v <= edge - 50) {
                pre++;
            }
        }
        assertTrue(post >= 3, "post-edge energies: " + post);
        assertTrue(pre >= 3, "pre-edge energies: " + pre);
        assertTrue(e[e.length - 1] >= edge + 150, "last energy " + e[e.length - 1]);
        assertEquals(edge - 100, e[0], 1e-9);
        assertEquals(60, e.length);
    }

    @Test
    void defaultGridStepsAtMostOneEvAcrossEdgeAndWhitelineWindows() {
        double[] e = EnergyGrid.fxiLike().energiesEv(ni.edgeEv());
        double lo = Math.min(ni.edgeLoEv(), ni.whitelineLoEv());
        double hi = Math.max(ni.edgeHiEv(), ni.whitelineHiEv());
        int inside = 0;
        for (int i = 1; i < e.length; i++) {
            assertTrue(e[i] > e[i - 1]);
            if (e[i - 1] >= lo && e[i] <= hi) {
                assertTrue(e[i] - e[i - 1] <= 1.0 + 1e-9, "step at " + e[i]);
                inside++;
            }
        }
        assertTrue(inside >= 14, "steps inside the windows: " + inside);
    }

    @Test
    void parsesRegionsSinglesAndKev() {
        assertArrayEquals(new double[] {8300, 8305, 8310, 8311, 8312},
                EnergyGrid.parse("-47:-37:5, -36:-35:1", true).energiesEv(8347), 1e-9);
        assertArrayEquals(new double[] {8340, 8345.5, 8350},
                EnergyGrid.parse("8.340, 8345.5, 8350", false).energiesEv(0), 1e-9);
        assertArrayEquals(new double[] {8340, 8341, 8342},
                EnergyGrid.parse("8.340:8.342:0.001", false).energiesEv(0), 1e-6);
        assertArrayEquals(new double[] {1, 2, 3, 4}, EnergyGrid.parse("1:2:1,2:4:1", true).energiesEv(0), 1e-9);
    }

    @Test
    void rejectsGridsThatDoNotIncrease() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnergyGrid.parse("8350,8340", false));
        assertTrue(e.getMessage().contains("8340"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EnergyGrid.parse("8340,8340", false));
        assertThrows(IllegalArgumentException.class, () -> EnergyGrid.parse("1:2", true));
        assertThrows(IllegalArgumentException.class, () -> EnergyGrid.parse("a:b:c", true));
        assertThrows(IllegalArgumentException.class, () -> new EnergyRegion(5, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new EnergyRegion(1, 5, 0));
    }

    @Test
    void planCountsAndTimesFollowTheConfiguration() {
        AcquisitionPlan plan = new AcquisitionPlan(AcquisitionConfig.defaults().withScans(2), 4);
        assertEquals(5 * 9, plan.framesPerScan());
        assertEquals(90, plan.totalFrames());
        assertTrue(plan.flatTimeS(0, 0) > plan.sampleTimeS(0, 0));
        assertTrue(plan.sampleTimeS(1, 0) > plan.flatTimeS(0, 3) + 60);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AcquisitionConfig.defaults().withChunkSize(0));
        assertTrue(e.getMessage().contains("chunkSize"), e.getMessage());
    }
}
