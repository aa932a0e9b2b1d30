package org.xanestream.processor.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.RowParallel;

/**
 * {@link IncrementalXanesFit#addEnergies} against one {@link IncrementalXanesFit#addEnergy} per image:
 * every accumulator plane and every map bit for bit, on an image whose size is no multiple of the vector
 * length or block, across batch boundaries, widening bands that retire inside a batch or a later one,
 * repeated energies, and the kernels' square-only and four-term paths.
 */
class BulkAccumulationTest {
    private static final ElementPreset NI = ElementPreset.of("Ni");
    private static final RowParallel ROWS = new RowParallel(2);
    private static final int WIDTH = 37;
    private static final int HEIGHT = 23;

    @AfterAll
    static void close() {
        ROWS.close();
    }

    private static FitSettings nickel() {
        return FitSettings.defaults(NI).withReferences(TestReferences.nickel());
    }

    @Test
    void sortedScanInOneBatchRetiresThePostEdgeBandInsideTheBatch() {
        double[] e = SyntheticStack.nickelScan();
        SyntheticStack st = new SyntheticStack(WIDTH, HEIGHT, e, TestReferences.nickel(), 0.01, 21, NI.edgeEv());
        assertBulkEqualsSingle(nickel(), e, st.images, e.length);
    }

    @Test
    void descendingScanInBatchesFillsThePreEdgeBandThenRetiresItInALaterBatch() {
        double[] sorted = SyntheticStack.nickelScan();
        SyntheticStack st = new SyntheticStack(WIDTH, HEIGHT, sorted, TestReferences.nickel(), 0.01, 22, NI.edgeEv());
        int n = sorted.length;
        double[] e = new double[n];
        float[][] images = new float[n][];
        for (int t = 0; t < n; t++) {
            e[t] = sorted[n - 1 - t];
            images[t] = st.images[n - 1 - t];
        }
        // the last batch starts inside the pre-edge widening band (8297..8327 eV): planes from an earlier batch
        int cut = 0;
        while (e[cut] > 8315) {
            cut++;
        }
        assertBulkEqualsSingle(nickel(), e, images, 17, cut);
    }

    @Test
    void shuffledScanWithRepeatedEnergiesInTwoBatches() {
        double[] sorted = SyntheticStack.nickelScan();
        SyntheticStack st = new SyntheticStack(WIDTH, HEIGHT, sorted, TestReferences.nickel(), 0.01, 23, NI.edgeEv());
        List<Integer> order = new ArrayList<>();
        for (int t = 0; t < sorted.length; t++) {
            order.add(t);
            if (t % 7 == 0) {
                order.add(t); // a repeated measurement (same image: the order of the sums still matters)
            }
        }
        Collections.shuffle(order, new Random(24));
        double[] e = new double[order.size()];
        float[][] images = new float[order.size()][];
        for (int t = 0; t < e.length; t++) {
            e[t] = sorted[order.get(t)];
            images[t] = st.images[order.get(t)];
        }
        assertBulkEqualsSingle(nickel(), e, images, e.length / 3);
    }

    @Test
    void noReferencesAndCubicWhitelineTakeTheSquareOnlyAndFourTermKernels() {
        double[] e = SyntheticStack.nickelScan();
        SyntheticStack st = new SyntheticStack(WIDTH, HEIGHT, e, TestReferences.nickel(), 0.01, 25, NI.edgeEv());
        assertBulkEqualsSingle(FitSettings.defaults(NI).withWhitelineOrder(3), e, st.images, e.length);
    }

    /** Feeds {@code bulk} in batches that end at each of {@code cuts} (and at the end). */
    private static void assertBulkEqualsSingle(FitSettings s, double[] e, float[][] images, int... cuts) {
        IncrementalXanesFit one = new IncrementalXanesFit(s, WIDTH, HEIGHT, ROWS);
        for (int t = 0; t < e.length; t++) {
            one.addEnergy(e[t], images[t]);
        }
        IncrementalXanesFit bulk = new IncrementalXanesFit(s, WIDTH, HEIGHT, ROWS);
        int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
        ends[cuts.length] = e.length;
        Arrays.sort(ends);
        int from = 0;
        for (int to : ends) {
            bulk.addEnergies(Arrays.copyOfRange(e, from, to), Arrays.copyOfRange(images, from, to));
            from = to;
        }
        List<double[]> a = one.accumulatorPlanes();
        List<double[]> b = bulk.accumulatorPlanes();
        assertEquals(a.size(), b.size(), "live accumulator planes");
        for (int p = 0; p < a.size(); p++) {
            assertArrayEquals(a.get(p), b.get(p), "plane " + p);
        }
        MapsSnapshot x = one.snapshot("s", true, 0);
        MapsSnapshot y = bulk.snapshot("s", true, 0);
        for (String name : one.mapNames()) {
            assertArrayEquals(x.maps().get(name), y.maps().get(name), name);
        }
    }
}
