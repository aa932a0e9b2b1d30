package org.xanestream.processor.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.RowParallel;

class ElementPresetFitTest {
    private static final RowParallel ROWS = new RowParallel(2);

    @AfterAll
    static void close() {
        ROWS.close();
    }

    /** An arctan edge centred in the preset's edge window plus a Gaussian whiteline centred in its window. */
    private static double model(ElementPreset p, double e, double jump, double shiftEv) {
        double e0 = 0.5 * (p.edgeLoEv() + p.edgeHiEv()) + shiftEv;
        double ewl = 0.5 * (p.whitelineLoEv() + p.whitelineHiEv()) + shiftEv;
        double step = 0.5 + Math.atan((e - e0) / 1.5) / Math.PI;
        double line = Math.exp(-0.5 * (e - ewl) * (e - ewl) / 9.0);
        return 0.1 + 1e-4 * (e - p.edgeEv()) + jump * (step + 0.6 * line);
    }

    private static double[] scan(ElementPreset p) {
        List<Double> e = new ArrayList<>();
        for (double v = p.edgeEv() - 150; v < p.edgeLoEv() - 5; v += 10) {
            e.add(v);
        }
        for (double v = p.edgeLoEv() - 5; v <= p.whitelineHiEv() + 5; v += 0.5) {
            e.add(v);
        }
        for (double v = p.whitelineHiEv() + 10; v <= p.edgeEv() + 250; v += 10) {
            e.add(v);
        }
        return e.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void everyPresetFindsWhitelineAndEdgeInsideItsWindowsAndIncrementalMatchesBatch() {
        assertEquals(List.of("Co", "Cu", "Fe", "Mn", "Ni", "Zn"), ElementPreset.knownElements());
        for (String element : ElementPreset.knownElements()) {
            ElementPreset p = ElementPreset.of(element);
            double[] e = scan(p);
            int w = 5;
            int h = 4;
            Random rnd = new Random(element.hashCode());
            float[][] images = new float[e.length][w * h];
            for (int i = 0; i < w * h; i++) {
                double jump = 0.5 + rnd.nextDouble();
                double shift = (rnd.nextDouble() - 0.5) * 2;
                for (int t = 0; t < e.length; t++) {
                    images[t][i] = (float) (model(p, e[t], jump, shift) + 0.003 * rnd.nextGaussian());
                }
            }
            FitSettings s = FitSettings.defaults(p);
            IncrementalXanesFit fit = new IncrementalXanesFit(s, w, h, ROWS);
            for (int t = 0; t < e.length; t++) {
                fit.addEnergy(e[t], images[t]);
            }
            MapsSnapshot snap = fit.snapshot(element, true, 0);
            assertFalse(snap.whitelineOnly(), element);
            BatchReference.assertMatches(snap, BatchReference.fit(s, e, Arrays.asList(images), e.length),
                    fit.mapNames(), 1e-4);
            for (int i = 0; i < w * h; i++) {
                float wl = snap.maps().get(FitMaps.WHITELINE_EV)[i];
                float edge = snap.maps().get(FitMaps.EDGE_EV)[i];
                assertTrue(wl >= p.whitelineLoEv() && wl <= p.whitelineHiEv(), element + " whiteline " + wl);
                assertTrue(edge >= p.edgeLoEv() && edge <= p.edgeHiEv(), element + " edge " + edge);
                assertEquals(1f, snap.maps().get(FitMaps.MASK)[i], element);
            }
        }
    }

    @Test
    void unknownElementNamesTheKnownOnes() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> ElementPreset.of("Xx"));
        assertTrue(ex.getMessage().contains("Ni"), ex.getMessage());
    }

    @Test
    void settingsRejectBadValuesWithMessagesNamingThem() {
        ElementPreset ni = ElementPreset.of("Ni");
        FitSettings d = FitSettings.defaults(ni);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withWhitelineOrder(4)).getMessage()
                .contains("4"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withMaskK(-1)).getMessage().contains("-1"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> d.withReferences(List.of(TestReferences.nio(), TestReferences.nio()))).getMessage()
                .contains("NiO"));
        assertThrows(IllegalArgumentException.class, () -> new NormalizationWindows(20, 50, 100, 30, 3));
        assertThrows(IllegalArgumentException.class, () -> new NormalizationWindows(50, 20, 100, 30, 2));
    }
}
