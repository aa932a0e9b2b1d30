package org.xanestream.processor.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

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

    /** A fitter that records what it receives and in which calls. */
    private static final class Recording implements XanesFitter {
        final List<Double> energies = new ArrayList<>();
        final List<float[]> images = new ArrayList<>();
        final List<Integer> batches = new ArrayList<>();
        int failBatches;
        int catchUps;

        @Override
        public void catchUp() {
            catchUps++;
        }

        @Override
        public void addEnergy(double energyEv, float[] mu) {
            energies.add(energyEv);
            images.add(mu);
        }

        @Override
        public void addEnergies(double[] energiesEv, float[][] mu) {
            batches.add(mu.length);
            if (failBatches > 0) {
                failBatches--;
                throw new IllegalStateException("batch refused");
            }
            XanesFitter.super.addEnergies(energiesEv, mu);
        }

        @Override
        public int energies() {
            return energies.size();
        }

        @Override
        public MapsSnapshot snapshot(String scanId, boolean finalSnapshot, long epochMillis) {
            return new MapsSnapshot(scanId, energies.size(), finalSnapshot, 2, 2, java.util.Map.of(),
                    java.util.Map.of(), false, epochMillis);
        }
    }

    @Test
    void fullResolutionImagesGoToTheirFitterInBatchesOnCatchUpAndTheRestWithTheFinalSnapshot() {
        int batch = LiveBinnedFitter.FULL_BATCH;
        Recording full = new Recording();
        Recording binned = new Recording();
        LiveBinnedFitter f = new LiveBinnedFitter(full, binned, 4, 4, 2, rows);
        float[][] images = new float[batch + 3][16];
        for (int e = 0; e < images.length; e++) {
            java.util.Arrays.fill(images[e], e);
        }
        for (int e = 0; e < batch; e++) {
            f.addEnergy(8300 + e, images[e]);
            if (e < batch - 1) {
                f.catchUp();
            }
        }
        assertEquals(List.of(), full.energies, "no full batch waited before the last image");
        assertEquals(batch, binned.energies.size(), "the binned fitter has every image at once");
        assertEquals(batch, f.energies());
        f.catchUp();
        assertEquals(List.of(batch), full.batches);
        for (int e = 0; e < batch; e++) {
            assertEquals(8300 + e, full.energies.get(e));
            assertTrue(full.images.get(e) == images[e], "image " + e + " by reference, in order");
        }
        for (int e = batch; e < images.length; e++) {
            f.addEnergy(8300 + e, images[e]);
        }
        f.catchUp();
        assertEquals(List.of(batch), full.batches, "three waiting images are no batch yet");
        assertThrows(IllegalArgumentException.class, () -> f.addEnergy(Double.NaN, images[0]));
        assertEquals(images.length, f.energies(), "a refused image is not counted nor queued");
        f.snapshot("scan", false, 1);
        assertEquals(List.of(batch), full.batches, "live maps come from the binned fitter");
        f.snapshot("scan", true, 2);
        assertEquals(List.of(batch, 3), full.batches, "the final snapshot takes the rest first");
        assertEquals(images.length, full.energies());
        assertTrue(full.images.get(images.length - 1) == images[images.length - 1]);
        assertEquals(images.length, f.energies());
    }

    @Test
    void aFullBatchStillWaitingWhenTheNextImageComesGoesFirstAndAFailedBatchIsDroppedOnce() {
        int batch = LiveBinnedFitter.FULL_BATCH;
        Recording full = new Recording();
        Recording binned = new Recording();
        LiveBinnedFitter f = new LiveBinnedFitter(full, binned, 4, 4, 2, rows);
        for (int e = 0; e <= batch; e++) {
            f.addEnergy(8300 + e, new float[16]);
        }
        assertEquals(List.of(batch), full.batches, "the next image found a full batch waiting without a catch-up");
        assertEquals(batch + 1, f.energies());
        f.catchUp();
        assertEquals(1, full.catchUps, "catch-up reaches the fitters' own deferred work");
        assertEquals(1, binned.catchUps);

        full.failBatches = 1;
        for (int e = 1; e < batch; e++) {
            f.addEnergy(8400 + e, new float[16]);
        }
        IllegalStateException failure = assertThrows(IllegalStateException.class, f::catchUp);
        assertEquals("batch refused", failure.getMessage());
        // the failed batch is not retried: the stream goes on, the live fit gets every image
        f.addEnergy(8500, new float[16]);
        f.catchUp();
        assertEquals(List.of(batch, batch), full.batches);
        assertEquals(2 * batch + 1, binned.energies());
        // a full batch that fails when the next image comes (no catch-up): reported, and that image still kept
        for (int e = 1; e < batch; e++) {
            f.addEnergy(8600 + e, new float[16]);
        }
        full.failBatches = 1;
        assertThrows(IllegalStateException.class, () -> f.addEnergy(8700, new float[16]));
        assertEquals(3 * batch + 1, binned.energies(), "the image of the failed call reached the live fit");
        f.snapshot("scan", true, 3);
        assertEquals(List.of(batch, batch, batch, 1), full.batches);
        assertEquals(8700, full.energies.get(full.energies.size() - 1), "and the final fit");
        assertEquals(batch + 1, full.energies(), "the dropped batches are missing from the full-resolution fit");
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
