package org.xanestream.processor.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xanestream.processor.MapSummary;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.spectra.ReferenceSpectrum;

class IncrementalXanesFitTest {
    private static final ElementPreset NI = ElementPreset.of("Ni");
    private static final RowParallel ROWS = new RowParallel(2);
    private static final double REL = 1e-4;

    @AfterAll
    static void close() {
        ROWS.close();
    }

    private static FitSettings nickel() {
        return FitSettings.defaults(NI).withReferences(TestReferences.nickel());
    }

    private static MapsSnapshot feed(IncrementalXanesFit fit, double[] e, List<float[]> images) {
        for (int t = 0; t < e.length; t++) {
            fit.addEnergy(e[t], images.get(t));
        }
        return fit.snapshot("s", true, 0);
    }

    @Test
    void finalMapsEqualTheBatchFitOfTheWholeStack() {
        SyntheticStack st = new SyntheticStack(24, 17, SyntheticStack.nickelScan(), TestReferences.nickel(), 0.01, 1,
                NI.edgeEv());
        for (int order = 2; order <= 3; order++) {
            FitSettings s = nickel().withWhitelineOrder(order);
            IncrementalXanesFit fit = new IncrementalXanesFit(s, st.width, st.height, ROWS);
            MapsSnapshot snap = feed(fit, st.energies, Arrays.asList(st.images));
            assertEquals(st.energies.length, snap.version());
            assertFalse(snap.whitelineOnly());
            double[][] batch = BatchReference.fit(s, st.energies, Arrays.asList(st.images), st.energies.length);
            BatchReference.assertMatches(snap, batch, fit.mapNames(), REL);
            // the fixture has 80 % particle pixels: most must be trusted and have a whiteline
            float[] mask = snap.maps().get(FitMaps.MASK);
            int trusted = 0;
            for (float v : mask) {
                trusted += (int) v;
            }
            assertTrue(trusted > 0.6 * mask.length, "trusted " + trusted);
        }
    }

    @Test
    void shuffledAndRepeatedEnergiesGiveTheBatchFitOfTheSamples() {
        SyntheticStack st = new SyntheticStack(16, 11, SyntheticStack.nickelScan(), TestReferences.nickel(), 0.01, 2,
                NI.edgeEv());
        List<Integer> order = new ArrayList<>();
        for (int t = 0; t < st.energies.length; t++) {
            order.add(t);
        }
        // repeat a pre-edge, an edge and a whiteline energy (a second measurement with other noise)
        Collections.shuffle(order, new Random(3));
        double[] e = new double[order.size() + 3];
        List<float[]> images = new ArrayList<>();
        for (int t = 0; t < order.size(); t++) {
            e[t] = st.energies[order.get(t)];
            images.add(st.images[order.get(t)]);
        }
        Random rnd = new Random(4);
        int[] repeat = {2, 16, 30};
        for (int r = 0; r < repeat.length; r++) {
            float[] again = st.images[repeat[r]].clone();
            for (int i = 0; i < again.length; i++) {
                again[i] += (float) (0.01 * rnd.nextGaussian());
            }
            e[order.size() + r] = st.energies[repeat[r]];
            images.add(again);
        }
        FitSettings s = nickel();
        IncrementalXanesFit fit = new IncrementalXanesFit(s, st.width, st.height, ROWS);
        MapsSnapshot snap = feed(fit, e, images);
        BatchReference.assertMatches(snap, BatchReference.fit(s, e, images, e.length), fit.mapNames(), REL);
    }

    @Test
    void everyIntermediateSnapshotEqualsTheBatchFitOfTheEnergiesSoFar() {
        SyntheticStack st = new SyntheticStack(9, 7, SyntheticStack.nickelScan(), TestReferences.nickel(), 0.01, 5,
                NI.edgeEv());
        List<Integer> order = new ArrayList<>();
        for (int t = 0; t < st.energies.length; t++) {
            order.add(t);
        }
        Collections.shuffle(order, new Random(6));
        double[] e = new double[order.size()];
        List<float[]> images = new ArrayList<>();
        for (int t = 0; t < order.size(); t++) {
            e[t] = st.energies[order.get(t)];
            images.add(st.images[order.get(t)]);
        }
        FitSettings s = nickel().withWhitelineOrder(3);
        IncrementalXanesFit fit = new IncrementalXanesFit(s, st.width, st.height, ROWS);
        for (int t = 0; t < e.length; t++) {
            fit.addEnergy(e[t], images.get(t));
            MapsSnapshot snap = fit.snapshot("s", false, t);
            assertEquals(t + 1, snap.version());
            assertEquals(SpectrumEstimators.whitelineOnly(Arrays.copyOf(e, t + 1), NI, s.windows()),
                    snap.whitelineOnly(), "whiteline-only flag after " + (t + 1));
            BatchReference.assertMatches(snap, BatchReference.fit(s, e, images, t + 1), fit.mapNames(), REL);
        }
    }

    @Test
    void sortedScanSnapshotsAlsoMatchBatchAsWindowsFillAndWiden() {
        // energies in scan order: the pre-edge window fills first, the post-edge line appears last
        double[] e = SyntheticStack.nickelScan();
        SyntheticStack st = new SyntheticStack(6, 5, e, TestReferences.nickel(), 0.005, 7, NI.edgeEv());
        FitSettings s = nickel();
        IncrementalXanesFit fit = new IncrementalXanesFit(s, st.width, st.height, ROWS);
        List<float[]> images = Arrays.asList(st.images);
        for (int t = 0; t < e.length; t++) {
            fit.addEnergy(e[t], images.get(t));
            if (t % 3 == 0 || t == e.length - 1) {
                BatchReference.assertMatches(fit.snapshot("s", false, t), BatchReference.fit(s, e, images, t + 1),
                        fit.mapNames(), REL);
            }
        }
    }

    @Test
    void blockedMultiEnergyAccumulationEqualsOneEnergyAtATimeBitForBit() {
        SyntheticStack st = new SyntheticStack(40, 30, SyntheticStack.nickelScan(), TestReferences.nickel(), 0.01, 8,
                NI.edgeEv());
        FitSettings s = nickel();
        IncrementalXanesFit one = new IncrementalXanesFit(s, st.width, st.height, ROWS);
        MapsSnapshot a = feed(one, st.energies, Arrays.asList(st.images));
        IncrementalXanesFit many = new IncrementalXanesFit(s, st.width, st.height, ROWS);
        int half = st.energies.length / 2;
        many.addEnergies(Arrays.copyOf(st.energies, half), Arrays.copyOf(st.images, half));
        many.addEnergies(Arrays.copyOfRange(st.energies, half, st.energies.length),
                Arrays.copyOfRange(st.images, half, st.images.length));
        MapsSnapshot b = many.snapshot("s", true, 0);
        for (String name : one.mapNames()) {
            assertArrayEquals(a.maps().get(name), b.maps().get(name), name);
        }
    }

    @Test
    void accumulatingAndSolvingInOnePassEqualsAddEnergiesThenSnapshotBitForBit() {
        // 67x47 with NaN pixels; stripes of 47 rows (one stripe, four solver chunks, accumulated in blocks of
        // another length) and of 3 rows (many stripes, one chunk each); all energies at once, or the first
        // ones one at a time (planes already there, widening bands retired during the batch)
        SyntheticStack st = new SyntheticStack(67, 47, SyntheticStack.nickelScan(), TestReferences.nickel(), 0.01, 31,
                NI.edgeEv());
        st.images[2][7 * 67 + 5] = Float.NaN;
        st.images[st.images.length / 2][30 * 67 + 66] = Float.POSITIVE_INFINITY;
        FitSettings s = nickel();
        int n = st.energies.length;
        for (int stripeRows : new int[] {47, 3}) {
            for (int before : new int[] {0, 2, n / 2}) {
                for (int threads = 1; threads <= 2; threads++) {
                    try (RowParallel rows = new RowParallel(threads)) {
                        IncrementalXanesFit split = new IncrementalXanesFit(s, st.width, st.height, rows,
                                stripeRows * st.width);
                        IncrementalXanesFit fused = new IncrementalXanesFit(s, st.width, st.height, rows,
                                stripeRows * st.width);
                        for (int t = 0; t < before; t++) {
                            split.addEnergy(st.energies[t], st.images[t]);
                            fused.addEnergy(st.energies[t], st.images[t]);
                        }
                        double[] e = Arrays.copyOfRange(st.energies, before, n);
                        float[][] mu = Arrays.copyOfRange(st.images, before, n);
                        split.addEnergies(e, mu);
                        MapsSnapshot a = split.snapshot("s", true, 7);
                        MapsSnapshot b = fused.addEnergiesAndSnapshot(e, mu, "s", true, 7);
                        String where = stripeRows + " rows a stripe, " + before + " energies before, " + threads
                                + " threads";
                        assertEquals(a.maps().keySet(), b.maps().keySet(), where);
                        for (String name : a.maps().keySet()) {
                            assertArrayEquals(a.maps().get(name), b.maps().get(name), name + ", " + where);
                        }
                        assertEquals(a.summary(), b.summary(), where);
                        assertEquals(a.version(), b.version(), where);
                        assertEquals(a.whitelineOnly(), b.whitelineOnly(), where);
                        // the planes go on from the same state: one more energy gives the same maps again
                        split.addEnergy(st.energies[n / 3], st.images[n / 3]);
                        fused.addEnergy(st.energies[n / 3], st.images[n / 3]);
                        assertArrayEquals(split.snapshot("s", false, 8).maps().get(FitMaps.EDGE_EV),
                                fused.snapshot("s", false, 8).maps().get(FitMaps.EDGE_EV), where);
                    }
                }
            }
        }
        // an empty batch is a snapshot; a refused batch changes nothing
        IncrementalXanesFit fit = new IncrementalXanesFit(s, st.width, st.height, ROWS);
        fit.addEnergies(st.energies, st.images);
        MapsSnapshot whole = fit.snapshot("s", false, 0);
        assertArrayEquals(whole.maps().get(FitMaps.WHITELINE_EV),
                fit.addEnergiesAndSnapshot(new double[0], new float[0][], "s", false, 0).maps().get(FitMaps.WHITELINE_EV));
        assertThrows(IllegalArgumentException.class, () -> fit.addEnergiesAndSnapshot(new double[] {8350, -1},
                new float[][] {st.images[0], st.images[1]}, "s", false, 0));
        assertEquals(st.energies.length, fit.energies());
    }

    @Test
    void releasedMapArraysServeTheNextSnapshotWhateverTheyHoldAndHeldOnesAreNotReused() {
        SyntheticStack st = new SyntheticStack(40, 30, SyntheticStack.nickelScan(), TestReferences.nickel(), 0.01, 41,
                NI.edgeEv());
        FitSettings s = nickel();
        IncrementalXanesFit fit = new IncrementalXanesFit(s, st.width, st.height, ROWS);
        fit.addEnergies(st.energies, st.images);
        MapsSnapshot first = fit.snapshot("s", false, 1);
        Map<String, float[]> want = new LinkedHashMap<>();
        first.maps().forEach((name, a) -> want.put(name, a.clone()));
        // first held (twice, released once), second released: the third takes the second's arrays only
        first.retain();
        first.release();
        assertFalse(first.released(), "one holder left");
        MapsSnapshot second = fit.snapshot("s", false, 2);
        second.release();
        assertTrue(second.released());
        assertThrows(IllegalStateException.class, second::release);
        assertThrows(IllegalStateException.class, second::retain);
        MapsSnapshot third = fit.snapshot("s", false, 3);
        for (float[] a : third.maps().values()) {
            assertTrue(second.maps().values().stream().anyMatch(b -> b == a), "a released array");
            assertTrue(first.maps().values().stream().noneMatch(b -> b == a), "not a held one");
        }
        // garbage in released arrays: every pixel of every map is written again
        first.release();
        for (float[] a : first.maps().values()) {
            Arrays.fill(a, 1234.5f);
        }
        MapsSnapshot fourth = fit.snapshot("s", false, 4);
        for (String name : want.keySet()) {
            float[] a = fourth.maps().get(name);
            assertTrue(first.maps().values().stream().anyMatch(b -> b == a), name + " in a reused array");
            assertArrayEquals(want.get(name), a, name);
        }
        assertEquals(first.summary(), fourth.summary());
        // final maps are never reused: no lease
        MapsSnapshot fin = fit.snapshot("s", true, 5);
        assertEquals(null, fin.lease());
        fin.release();
        assertFalse(fin.released());
    }

    @Test
    void planesOfAClosedFitServeTheNextFitsWhateverTheyHold() {
        SyntheticStack st = new SyntheticStack(67, 47, SyntheticStack.nickelScan(), TestReferences.nickel(), 0.01, 43,
                NI.edgeEv());
        st.images[3][101] = Float.NaN;
        FitSettings s = nickel();
        MapsSnapshot want = feed(new IncrementalXanesFit(s, st.width, st.height, ROWS), st.energies,
                Arrays.asList(st.images));
        FitBuffers buffers = new FitBuffers(1L << 30);
        int n = st.energies.length;
        // one energy at a time, in two batches, and accumulated and solved in one pass, each on the planes of the
        // fit before (holding NaN); stripes of 3 rows taken by two threads, or one stripe of several blocks
        for (int way = 0; way < 6; way++) {
            int stripe = (way % 2 == 0 ? 3 : st.height) * st.width;
            IncrementalXanesFit old = new IncrementalXanesFit(s, st.width, st.height, ROWS, buffers, stripe);
            old.addEnergies(st.energies, st.images);
            List<double[]> planes = old.accumulatorPlanes();
            old.close();
            old.close();
            assertEquals(8L * st.width * st.height * planes.size(), buffers.bytes(), "planes given back");
            for (double[] plane : planes) {
                Arrays.fill(plane, Double.NaN);
            }
            assertThrows(IllegalStateException.class, () -> old.addEnergy(st.energies[0], st.images[0]));
            assertThrows(IllegalStateException.class, () -> old.snapshot("s", false, 0));
            long reusedBefore = buffers.reused();
            IncrementalXanesFit fit = new IncrementalXanesFit(s, st.width, st.height, ROWS, buffers, stripe);
            MapsSnapshot got = switch (way / 2) {
                case 0 -> feed(fit, st.energies, Arrays.asList(st.images));
                case 1 -> {
                    fit.addEnergies(Arrays.copyOf(st.energies, n / 2), Arrays.copyOf(st.images, n / 2));
                    fit.addEnergies(Arrays.copyOfRange(st.energies, n / 2, n), Arrays.copyOfRange(st.images, n / 2, n));
                    yield fit.snapshot("s", true, 0);
                }
                default -> fit.addEnergiesAndSnapshot(st.energies, st.images, "s", true, 0);
            };
            assertTrue(buffers.reused() - reusedBefore >= planes.size(), "way " + way + " reused the planes");
            for (String name : want.maps().keySet()) {
                assertArrayEquals(want.maps().get(name), got.maps().get(name), name + ", way " + way);
            }
            fit.close();
            got.release();
            buffers.clear();
        }
    }

    @Test
    void stripedSnapshotsDoNotDependOnTheThreadCountAndMatchOneStripe() {
        // 67x47 in stripes of 3 rows: 16 stripes taken by 1, 2 or 3 threads; NaN pixels in some stripes
        SyntheticStack st = new SyntheticStack(67, 47, SyntheticStack.nickelScan(), TestReferences.nickel(), 0.01, 29,
                NI.edgeEv());
        st.images[0][5 * 67 + 3] = Float.NaN;
        st.images[st.images.length - 1][40 * 67 + 66] = Float.NaN;
        FitSettings s = nickel();
        MapsSnapshot whole = feed(new IncrementalXanesFit(s, st.width, st.height, ROWS), st.energies,
                Arrays.asList(st.images));
        MapsSnapshot first = null;
        for (int threads = 1; threads <= 3; threads++) {
            try (RowParallel rows = new RowParallel(threads)) {
                IncrementalXanesFit fit = new IncrementalXanesFit(s, st.width, st.height, rows, 3 * st.width);
                // twice: which thread takes which stripe differs from call to call
                for (int round = 0; round < 2; round++) {
                    MapsSnapshot snap = feed(round == 0 ? fit : new IncrementalXanesFit(s, st.width, st.height, rows,
                            3 * st.width), st.energies, Arrays.asList(st.images));
                    for (String name : whole.maps().keySet()) {
                        // maps are per pixel: the same bits whatever the stripes
                        assertArrayEquals(whole.maps().get(name), snap.maps().get(name), name);
                        MapSummary a = whole.summary().get(name);
                        MapSummary b = snap.summary().get(name);
                        assertEquals(a.nValid(), b.nValid(), name);
                        assertEquals(a.p05(), b.p05(), 0.0, name);
                        assertEquals(a.p50(), b.p50(), 0.0, name);
                        assertEquals(a.p95(), b.p95(), 0.0, name);
                        assertEquals(a.mean(), b.mean(), 1e-12 * Math.max(1, Math.abs(a.mean())), name);
                        assertEquals(a.std(), b.std(), 1e-9 * Math.max(1, a.std()), name);
                    }
                    if (first == null) {
                        first = snap;
                    } else {
                        // merged in stripe order: the same summaries, bit for bit, for any thread count
                        assertEquals(first.summary(), snap.summary(), threads + " threads, round " + round);
                    }
                }
            }
        }
        assertTrue(whole.summary().get(FitMaps.EDGE_EV).nValid() > 1000, "trusted pixels");
    }

    @Test
    void mapsEqualTheBatchFitAcrossChunkAndBandBoundariesWithNanPixelsThere() {
        // 67x47 = 3149 pixels: one band holds three full chunks of the snapshot and a short tail, two bands
        // split a chunk; invalid pixels sit on both sides of the chunk boundaries and in the last vector tail
        SyntheticStack st = new SyntheticStack(67, 47, SyntheticStack.nickelScan(), TestReferences.nickel(), 0.01, 17,
                NI.edgeEv());
        int[] nan = {0, 1023, 1024, 1027, 2047, 2048, 3147, 3148};
        int edgeImage = 0;
        while (st.energies[edgeImage] < NI.edgeEv()) {
            edgeImage++;
        }
        for (int t = 0; t < nan.length; t++) {
            // in turn a pre-edge, an edge-window and a post-edge image
            int image = t % 3 == 0 ? 0 : t % 3 == 1 ? edgeImage : st.images.length - 1;
            st.images[image][nan[t]] = Float.NaN;
        }
        FitSettings s = nickel();
        double[][] batch = BatchReference.fit(s, st.energies, Arrays.asList(st.images), st.energies.length);
        List<String> names = FitMaps.names(s.references());
        for (int i : nan) {
            for (int m = 0; m < names.size(); m++) {
                batch[m][i] = names.get(m).equals(FitMaps.MASK) ? 0 : Double.NaN;
            }
        }
        for (int threads = 1; threads <= 2; threads++) {
            try (RowParallel rows = new RowParallel(threads)) {
                IncrementalXanesFit fit = new IncrementalXanesFit(s, st.width, st.height, rows);
                MapsSnapshot snap = feed(fit, st.energies, Arrays.asList(st.images));
                BatchReference.assertMatches(snap, batch, fit.mapNames(), REL);
                int edges = 0;
                for (float v : snap.maps().get(FitMaps.EDGE_EV)) {
                    edges += Float.isNaN(v) ? 0 : 1;
                }
                assertTrue(edges > st.width * st.height / 2, edges + " edge energies");
            }
        }
    }

    @Test
    void aPixelThatIsNanInAnyEnergyIsInvalidInEveryMap() {
        SyntheticStack st = new SyntheticStack(8, 8, SyntheticStack.nickelScan(), TestReferences.nickel(), 0.0, 9,
                NI.edgeEv());
        st.images[0][5] = Float.NaN; // pre-edge
        st.images[40][17] = Float.NaN; // whiteline window
        st.images[st.images.length - 1][33] = Float.NaN; // last post-edge energy
        IncrementalXanesFit fit = new IncrementalXanesFit(nickel(), 8, 8, ROWS);
        MapsSnapshot snap = feed(fit, st.energies, Arrays.asList(st.images));
        for (int pixel : new int[] {5, 17, 33}) {
            for (String name : fit.mapNames()) {
                float v = snap.maps().get(name)[pixel];
                if (name.equals(FitMaps.MASK)) {
                    assertEquals(0f, v, name);
                } else {
                    assertTrue(Float.isNaN(v), name + " at " + pixel + " = " + v);
                }
            }
        }
        assertTrue(Float.isFinite(snap.maps().get(FitMaps.EDGE_JUMP)[6]));
    }

    @Test
    void noEnergiesOrTooFewGiveNanMapsAndNoFailure() {
        IncrementalXanesFit fit = new IncrementalXanesFit(nickel(), 4, 3, ROWS);
        MapsSnapshot empty = fit.snapshot("s", false, 0);
        assertEquals(0, empty.version());
        assertTrue(empty.whitelineOnly());
        for (String name : fit.mapNames()) {
            for (float v : empty.maps().get(name)) {
                assertTrue(name.equals(FitMaps.MASK) ? v == 0f : Float.isNaN(v), name);
            }
            assertEquals(0, empty.summary().get(name).nValid());
        }
        float[] img = new float[12];
        Arrays.fill(img, 1f);
        fit.addEnergy(8350, img);
        fit.addEnergy(8351, img);
        MapsSnapshot two = fit.snapshot("s", false, 0);
        assertTrue(Float.isNaN(two.maps().get(FitMaps.WHITELINE_EV)[0]));
        assertTrue(Float.isNaN(two.maps().get(FitMaps.EDGE_EV)[0]));
        assertEquals(1f, two.maps().get(FitMaps.EDGE_JUMP)[0], 0f); // whiteline-only: mean mu in the window
    }

    @Test
    void flatSpectraAreNotTrustedAndHaveNoEdge() {
        double[] e = SyntheticStack.nickelScan();
        float[][] images = new float[e.length][6];
        for (float[] img : images) {
            Arrays.fill(img, 0.7f);
        }
        IncrementalXanesFit fit = new IncrementalXanesFit(nickel(), 3, 2, ROWS);
        MapsSnapshot snap = feed(fit, e, Arrays.asList(images));
        for (int i = 0; i < 6; i++) {
            assertEquals(0f, snap.maps().get(FitMaps.MASK)[i]);
            assertTrue(Float.isNaN(snap.maps().get(FitMaps.EDGE_EV)[i]));
            assertEquals(0f, snap.maps().get(FitMaps.EDGE_JUMP)[i], 1e-6f);
            assertEquals(0f, snap.maps().get(FitMaps.PRE_EDGE_SD)[i], 1e-6f);
        }
        assertEquals(0, snap.summary().get(FitMaps.EDGE_JUMP).nValid());
    }

    @Test
    void positiveCurvatureInTheWhitelineWindowGivesNoWhiteline() {
        double[] e = SyntheticStack.nickelScan();
        float[][] images = new float[e.length][2];
        for (int t = 0; t < e.length; t++) {
            double d = e[t] - 8350;
            images[t][0] = (float) (1 + 0.01 * d * d); // a dip, not a peak
            images[t][1] = (float) (1 - 0.01 * d * d);
        }
        IncrementalXanesFit fit = new IncrementalXanesFit(FitSettings.defaults(NI), 2, 1, ROWS);
        MapsSnapshot snap = feed(fit, e, Arrays.asList(images));
        assertTrue(Float.isNaN(snap.maps().get(FitMaps.WHITELINE_EV)[0]));
        assertTrue(Float.isNaN(snap.maps().get(FitMaps.WHITELINE_HEIGHT)[0]));
        assertTrue(Float.isNaN(snap.maps().get(FitMaps.WHITELINE_SIGMA_EV)[0]));
        assertEquals(8350f, snap.maps().get(FitMaps.WHITELINE_EV)[1], 1e-3f);
    }

    @Test
    void narrowScanAroundTheWhitelineRunsInWhitelineOnlyMode() {
        double[] all = SyntheticStack.nickelScan();
        double[] e = Arrays.stream(all).filter(v -> v >= 8335 && v <= 8365).toArray();
        SyntheticStack st = new SyntheticStack(10, 10, e, TestReferences.nickel(), 0.01, 10, NI.edgeEv());
        FitSettings s = nickel();
        IncrementalXanesFit fit = new IncrementalXanesFit(s, 10, 10, ROWS);
        MapsSnapshot snap = feed(fit, e, Arrays.asList(st.images));
        assertTrue(snap.whitelineOnly());
        BatchReference.assertMatches(snap, BatchReference.fit(s, e, Arrays.asList(st.images), e.length),
                fit.mapNames(), REL);
        int trusted = 0;
        int particles = 0;
        for (int i = 0; i < 100; i++) {
            assertTrue(Float.isNaN(snap.maps().get(FitMaps.EDGE_EV)[i]));
            trusted += (int) snap.maps().get(FitMaps.MASK)[i];
            particles += st.scale[i] > 0 ? 1 : 0;
        }
        assertTrue(trusted >= particles * 0.9, trusted + " trusted of " + particles + " particle pixels");
    }

    @Test
    void lcfRecoversKnownFractionsOfNoiselessMixturesAndKeepsAbsentReferencesAtZero() {
        List<ReferenceSpectrum> refs = TestReferences.nickel();
        double[] e = SyntheticStack.nickelScan();
        double[] f0 = {0, 0.25, 0.5, 0.8, 1.0, 1.0};
        double[] extra = {0, 0, 0, 0, 0, -0.1}; // last pixel: beyond pure NiO (unconstrained fit would go negative)
        float[][] images = new float[e.length][f0.length];
        for (int t = 0; t < e.length; t++) {
            for (int i = 0; i < f0.length; i++) {
                double r0 = refs.get(0).valueAt(e[t]);
                double r1 = refs.get(1).valueAt(e[t]);
                images[t][i] = (float) (1.3 * (f0[i] * r0 + (1 - f0[i]) * r1 + extra[i] * r1) + 0.1
                        + 1e-4 * (e[t] - 8347));
            }
        }
        IncrementalXanesFit fit = new IncrementalXanesFit(nickel(), f0.length, 1, ROWS);
        MapsSnapshot snap = feed(fit, e, Arrays.asList(images));
        float[] fNiO = snap.maps().get(FitMaps.fraction("NiO"));
        float[] fLi = snap.maps().get(FitMaps.fraction("LiNiO2"));
        for (int i = 0; i < f0.length - 1; i++) {
            assertEquals(f0[i], fNiO[i], 2e-5, "NiO fraction of pixel " + i);
            assertEquals(1 - f0[i], fLi[i], 2e-5, "LiNiO2 fraction of pixel " + i);
            assertEquals(1.3, snap.maps().get(FitMaps.LCF_SCALE)[i], 1e-4);
            assertEquals(1.0, snap.maps().get(FitMaps.R2)[i], 1e-5);
        }
        int last = f0.length - 1;
        assertEquals(1f, fNiO[last], 0f);
        assertEquals(0f, fLi[last], 0f);
        for (int i = 0; i < f0.length; i++) {
            assertTrue(fNiO[i] >= 0 && fLi[i] >= 0);
        }
    }

    @Test
    void rejectsImagesOfTheWrongSizeAndNonPhysicalEnergiesWithoutChangingState() {
        IncrementalXanesFit fit = new IncrementalXanesFit(nickel(), 4, 3, ROWS);
        assertThrows(IllegalArgumentException.class, () -> fit.addEnergy(8350, new float[11]));
        assertThrows(IllegalArgumentException.class, () -> fit.addEnergy(Double.NaN, new float[12]));
        assertThrows(IllegalArgumentException.class, () -> fit.addEnergy(-1, new float[12]));
        assertEquals(0, fit.energies());
    }
}
