package org.xanestream.processor.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.xanestream.processor.MapSummary;

class MapStatisticsTest {

    private static MapSummary bySorting(float[] map, byte[] mask) {
        float[] v = new float[map.length];
        int n = 0;
        double sum = 0;
        for (int i = 0; i < map.length; i++) {
            if (mask[i] != 0 && Float.isFinite(map[i])) {
                v[n++] = map[i];
                sum += map[i];
            }
        }
        v = Arrays.copyOf(v, n);
        Arrays.sort(v);
        double mean = sum / n;
        double ss = 0;
        for (float x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new MapSummary(mean, Math.sqrt(ss / n), pct(v, 0.05), pct(v, 0.5), pct(v, 0.95), n);
    }

    private static double pct(float[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * ((double) sorted[hi] - sorted[lo]);
    }

    @Test
    void percentilesAreExactEvenWithHugeOutliersNegativesNanAndMask() {
        Random rnd = new Random(11);
        int n = 200_000;
        float[] map = new float[n];
        byte[] mask = new byte[n];
        for (int i = 0; i < n; i++) {
            map[i] = (float) (8350 + rnd.nextGaussian());
            mask[i] = (byte) (rnd.nextDouble() < 0.7 ? 1 : 0);
        }
        map[3] = 1e30f;
        map[4] = -1e25f;
        map[5] = Float.NaN;
        map[6] = Float.POSITIVE_INFINITY;
        map[7] = -0.0f;
        map[8] = 0.0f;
        mask[3] = mask[4] = mask[5] = mask[6] = mask[7] = mask[8] = 1;
        MapSummary got = summarize(map, mask);
        MapSummary want = bySorting(map, mask);
        assertEquals(want.nValid(), got.nValid());
        assertEquals(want.p05(), got.p05(), 0);
        assertEquals(want.p50(), got.p50(), 0);
        assertEquals(want.p95(), got.p95(), 0);
        assertEquals(want.mean(), got.mean(), Math.abs(want.mean()) * 1e-9);
        assertEquals(want.std(), got.std(), want.std() * 1e-9);
    }

    @Test
    void momentsMergedOverChunksEqualTheWholeMapAndEmptyMapsHaveNoValidPixels() {
        Random rnd = new Random(12);
        int n = 10_000;
        float[] map = new float[n];
        byte[] mask = new byte[n];
        for (int i = 0; i < n; i++) {
            mask[i] = (byte) (i % 3 == 0 ? 0 : 1);
            map[i] = (float) (8350 + 2 * rnd.nextGaussian());
        }
        MapStatistics.Moments whole = new MapStatistics.Moments();
        addChunk(whole, map, 0, mask, n);
        MapStatistics.Moments merged = new MapStatistics.Moments();
        for (int i0 = 0; i0 < n; i0 += 256) {
            int len = Math.min(256, n - i0);
            MapStatistics.Moments part = new MapStatistics.Moments();
            addChunk(part, map, i0, Arrays.copyOfRange(mask, i0, i0 + len), len);
            merged.merge(part);
        }
        MapSummary want = bySorting(map, mask);
        assertEquals(want.nValid(), merged.n);
        assertEquals(want.mean(), merged.mean(), 1e-9);
        assertEquals(want.std(), Math.sqrt(merged.m2() / merged.n), 1e-9);
        assertEquals(whole.mean(), merged.mean(), 1e-9);
        float[] nan = new float[100];
        Arrays.fill(nan, Float.NaN);
        MapSummary empty = summarize(nan, new byte[100]);
        assertEquals(0, empty.nValid());
        assertTrue(Double.isNaN(empty.mean()) && Double.isNaN(empty.p50()));
    }

    @Test
    void constantMapHasZeroSpreadAndItsValueAsEveryPercentile() {
        float[] map = new float[5000];
        Arrays.fill(map, 1f);
        byte[] mask = new byte[5000];
        Arrays.fill(mask, (byte) 1);
        MapSummary s = summarize(map, mask);
        assertEquals(new MapSummary(1, 0, 1, 1, 1, 5000), s);
    }

    @Test
    void trustedLaneSumsEqualTheIndexedSumsAndTheStoredFloatsTheConversionForEveryChunkLength() {
        Random rnd = new Random(31);
        for (int len = 0; len <= 70; len++) {
            double[] v = new double[len];
            double[] trusted = new double[len];
            int[] idx = new int[len];
            int n = 0;
            for (int c = 0; c < len; c++) {
                v[c] = c % 7 == 3 ? Double.NaN : c % 11 == 5 ? Double.POSITIVE_INFINITY : 8350 + 2 * rnd.nextGaussian();
                trusted[c] = c % 4 == 1 ? 0 : 1;
                if (trusted[c] != 0) {
                    idx[n++] = c;
                }
            }
            float[] want = new float[len + 9];
            for (int c = 0; c < len; c++) {
                want[3 + c] = (float) v[c];
            }
            for (boolean vector : new boolean[] {true, false}) {
                MapStatistics.Moments plain = new MapStatistics.Moments();
                add(plain, v, idx, n);
                MapStatistics.Moments got = new MapStatistics.Moments();
                float[] stored = new float[len + 9];
                got.storeTrusted(v, stored, 3, trusted, 0, len, new double[2]);
                assertArrayEquals(want, stored, "length " + len);
                // told where the first trusted entry is (as the snapshot does once per chunk): the same state
                int firstTrusted = n == 0 ? len : idx[0];
                MapStatistics.Moments hinted = new MapStatistics.Moments();
                float[] hintedStored = new float[len + 9];
                hinted.storeTrusted(v, hintedStored, 3, trusted, firstTrusted, len, new double[2]);
                assertArrayEquals(want, hintedStored, "length " + len);
                assertEquals(Double.doubleToRawLongBits(got.shift), Double.doubleToRawLongBits(hinted.shift));
                assertEquals(got.n, hinted.n);
                assertEquals(Double.doubleToRawLongBits(got.sum), Double.doubleToRawLongBits(hinted.sum));
                assertEquals(Double.doubleToRawLongBits(got.sumSq), Double.doubleToRawLongBits(hinted.sumSq));
                // a second chunk with the shift already set, through the vector or the plain kernel
                double[] sums = new double[2];
                long cn = vector ? VectorConvert.storeShiftedSums(v, stored, 3, trusted, got.shift, len, sums)
                        : MapStatistics.storeShiftedSumsPlain(v, stored, 3, trusted, got.shift, 0, len, sums);
                got.n += cn;
                got.sum += sums[0];
                got.sumSq += sums[1];
                add(plain, v, idx, n);
                assertArrayEquals(want, stored, "length " + len);
                assertEquals(plain.n, got.n, "length " + len);
                assertEquals(plain.mean(), got.mean(), 1e-9, "length " + len);
                assertEquals(plain.m2(), got.m2(), 1e-9 * Math.max(1, plain.m2()), "length " + len);
            }
        }
    }

    /** Reference: adds the finite values among {@code v[idx[0..n)]}, one at a time, shifted by the first. */
    private static void add(MapStatistics.Moments m, double[] v, int[] idx, int n) {
        long cn = 0;
        double s1 = 0;
        double s2 = 0;
        double k = m.shift;
        for (int j = 0; j < n; j++) {
            double x = v[idx[j]];
            if (Double.isFinite(x)) {
                if (Double.isNaN(k)) {
                    k = (float) x;
                }
                double d = (float) x - k;
                cn++;
                s1 += d;
                s2 += d * d;
            }
        }
        m.shift = k;
        m.n += cn;
        m.sum += s1;
        m.sumSq += s2;
    }

    /** Reference: adds the trusted finite values among {@code v[from..from+len)} (mask indexed from 0). */
    private static void addChunk(MapStatistics.Moments m, float[] v, int from, byte[] mask, int len) {
        double[] d = new double[len];
        int[] idx = new int[len];
        int n = 0;
        for (int c = 0; c < len; c++) {
            d[c] = v[from + c];
            if (mask[c] != 0) {
                idx[n++] = c;
            }
        }
        add(m, d, idx, n);
    }

    /** Reference: the exact summary of one whole map over mask-set finite pixels. */
    private static MapSummary summarize(float[] map, byte[] mask) {
        MapStatistics.Moments m = new MapStatistics.Moments();
        addChunk(m, map, 0, mask, map.length);
        float[] sample = new float[map.length];
        int n = 0;
        for (int i = 0; i < map.length; i++) {
            if (mask[i] != 0 && Float.isFinite(map[i])) {
                sample[n++] = map[i];
            }
        }
        return MapStatistics.summary(m, sample, n);
    }
}
