package org.xanestream.processor.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xanestream.processor.ImageBinning;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.RowParallel;

class LiveBinnedFitterTest {
    private static final double EDGE = 8347;
    private final RowParallel rows = new RowParallel(2);

    @AfterEach
    void close() {
        rows.close();
    }

    private static FitSettings settings() {
        return FitSettings.defaults(ElementPreset.of("Ni")).withReferences(TestReferences.nickel());
    }

    /** A stack of odd size (partial blocks at the right and bottom), with a NaN pixel in some images only. */
    private static SyntheticStack stack(int w, int h) {
        SyntheticStack s = new SyntheticStack(w, h, SyntheticStack.nickelScan(), TestReferences.nickel(), 0.01, 7, EDGE);
        for (int e = 0; e < s.images.length; e += 3) {
            s.images[e][5 * w + 7] = Float.NaN;
        }
        for (float[] img : s.images) {
            img[0] = Float.NaN; // a dead pixel: NaN in every image
        }
        return s;
    }

    @Test
    void liveMapsAreTheFitsOfTheNanAwareBinnedStackAndFinalMapsThoseOfTheFullStack() {
        int w = 37;
        int h = 29;
        int bin = 3;
        SyntheticStack s = stack(w, h);
        FitSettings fs = settings();
        int bw = ImageBinning.binnedSize(w, bin);
        int bh = ImageBinning.binnedSize(h, bin);
        LiveBinnedFitter live = new LiveBinnedFitter(new IncrementalXanesFit(fs, w, h, rows),
                new IncrementalXanesFit(fs, bw, bh, rows), w, h, bin, rows);
        IncrementalXanesFit fullRef = new IncrementalXanesFit(fs, w, h, rows);
        IncrementalXanesFit binnedRef = new IncrementalXanesFit(fs, bw, bh, rows);
        for (int e = 0; e < s.energies.length; e++) {
            live.addEnergy(s.energies[e], s.images[e]);
            fullRef.addEnergy(s.energies[e], s.images[e]);
            float[] small = new float[bw * bh];
            ImageBinning.binNanMean(s.images[e], w, h, bin, small, new double[bw], new int[bw]);
            binnedRef.addEnergy(s.energies[e], small);
        }
        assertEquals(s.energies.length, live.energies());

        MapsSnapshot m = live.snapshot("scan", false, 5);
        MapsSnapshot ref = binnedRef.snapshot("scan", false, 5);
        assertEquals(bin, m.bin());
        assertEquals(bw, m.width());
        assertEquals(bh, m.height());
        assertEquals(w, m.sourceWidth());
        assertEquals(h, m.sourceHeight());
        assertFalse(m.finalSnapshot());
        assertEquals(ref.maps().keySet(), m.maps().keySet());
        for (String name : ref.maps().keySet()) {
            assertArrayEquals(ref.maps().get(name), m.maps().get(name), name);
        }
        // the dead pixel's block still has finite pixels: binning ignores NaN, so the block is fitted
        assertTrue(Float.isFinite(m.maps().get("edge_jump")[0]));

        MapsSnapshot fin = live.snapshot("scan", true, 6);
        MapsSnapshot finRef = fullRef.snapshot("scan", true, 6);
        assertTrue(fin.finalSnapshot());
        assertEquals(1, fin.bin());
        assertEquals(w, fin.width());
        for (String name : finRef.maps().keySet()) {
            assertArrayEquals(finRef.maps().get(name), fin.maps().get(name), name);
        }
        assertTrue(Float.isNaN(fin.maps().get("edge_jump")[0]), "full-resolution maps keep the dead pixel invalid");
    }

    @Test
    void refusesABinBelowTwoAndImagesOfTheWrongSize() {
        FitSettings fs = settings();
        IncrementalXanesFit a = new IncrementalXanesFit(fs, 8, 8, rows);
        IncrementalXanesFit b = new IncrementalXanesFit(fs, 8, 8, rows);
        assertThrows(IllegalArgumentException.class, () -> new LiveBinnedFitter(a, b, 8, 8, 1, rows));
        LiveBinnedFitter f = new LiveBinnedFitter(a, new IncrementalXanesFit(fs, 4, 4, rows), 8, 8, 2, rows);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.addEnergy(8300, new float[63]));
        assertTrue(e.getMessage().contains("8x8"), e.getMessage());
        assertEquals(0, f.energies());
    }
}
