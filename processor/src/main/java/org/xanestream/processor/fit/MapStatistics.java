package org.xanestream.processor.fit;

import org.xanestream.processor.MapSummary;
import org.xanestream.processor.RowParallel;

/**
 * Summaries of maps over the trusted pixels (mask set, value finite): mean, population standard
 * deviation and the 5/50/95 % percentiles with linear interpolation between order statistics (as
 * numpy's default), exactly.
 *
 * <p>Percentiles come from a two-level radix selection on the float's order-preserving bit pattern
 * (high 16 bits, then low 16 bits among the few high-bit buckets that hold the wanted ranks): two
 * passes over a map whatever the value distribution (outliers cannot crowd a bin), no sort.
 * Maps are summarized in parallel, one map per task.
 *
 * <p>Thread safe (stateless). Allocates two 256 KiB histograms per map and small arrays.
 */
final class MapStatistics {
    private static final double[] QUANTILES = {0.05, 0.50, 0.95};
    private static final int BUCKETS = 1 << 16;

    private MapStatistics() {
    }

    /**
     * @param maps  maps to summarize; not modified
     * @param mask  1 = trusted pixel; not modified
     * @param rows  worker pool; maps are spread over its threads
     * @return one summary per map, in order
     */
    static MapSummary[] summarize(float[][] maps, byte[] mask, RowParallel rows) {
        MapSummary[] out = new MapSummary[maps.length];
        rows.forEachBand(maps.length, (m0, m1) -> {
            for (int m = m0; m < m1; m++) {
                out[m] = summarize(maps[m], mask);
            }
        });
        return out;
    }

    /** Summary of one map over mask-set finite pixels. */
    static MapSummary summarize(float[] map, byte[] mask) {
        int n = map.length;
        double shift = Double.NaN;
        for (int i = 0; i < n; i++) {
            if (mask[i] != 0 && Float.isFinite(map[i])) {
                shift = map[i];
                break;
            }
        }
        if (Double.isNaN(shift)) {
            return new MapSummary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        }
        int[] high = new int[BUCKETS];
        long count = 0;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            float v = map[i];
            if (mask[i] != 0 && Float.isFinite(v)) {
                double d = v - shift;
                sum += d;
                sumSq += d * d;
                count++;
                high[sortableKey(v) >>> 16]++;
            }
        }
        double mean = shift + sum / count;
        double var = Math.max(0, (sumSq - sum * sum / count) / count);

        // ranks needed: floor and ceil of (count−1)·q for each quantile
        long[] ranks = new long[2 * QUANTILES.length];
        for (int q = 0; q < QUANTILES.length; q++) {
            double h = (count - 1) * QUANTILES[q];
            long r = (long) Math.floor(h);
            ranks[2 * q] = r;
            ranks[2 * q + 1] = Math.min(r + 1, count - 1);
        }
        int[] bucketOf = new int[ranks.length];
        long[] rankInBucket = new long[ranks.length];
        for (int k = 0; k < ranks.length; k++) {
            long before = 0;
            int b = 0;
            while (before + high[b] <= ranks[k]) {
                before += high[b];
                b++;
            }
            bucketOf[k] = b;
            rankInBucket[k] = ranks[k] - before;
        }
        // distinct high buckets to refine
        int[] wanted = new int[ranks.length];
        int nWanted = 0;
        for (int k = 0; k < ranks.length; k++) {
            boolean seen = false;
            for (int j = 0; j < nWanted; j++) {
                seen |= wanted[j] == bucketOf[k];
            }
            if (!seen) {
                wanted[nWanted++] = bucketOf[k];
            }
        }
        int[][] low = new int[nWanted][BUCKETS];
        for (int i = 0; i < n; i++) {
            float v = map[i];
            if (mask[i] != 0 && Float.isFinite(v)) {
                int key = sortableKey(v);
                int hb = key >>> 16;
                for (int j = 0; j < nWanted; j++) {
                    if (wanted[j] == hb) {
                        low[j][key & 0xFFFF]++;
                        break;
                    }
                }
            }
        }
        double[] value = new double[ranks.length];
        for (int k = 0; k < ranks.length; k++) {
            int j = 0;
            while (wanted[j] != bucketOf[k]) {
                j++;
            }
            int[] h = low[j];
            long before = 0;
            int b = 0;
            while (before + h[b] <= rankInBucket[k]) {
                before += h[b];
                b++;
            }
            value[k] = fromSortableKey((bucketOf[k] << 16) | b);
        }
        double[] pct = new double[QUANTILES.length];
        for (int q = 0; q < QUANTILES.length; q++) {
            double h = (count - 1) * QUANTILES[q];
            double frac = h - Math.floor(h);
            pct[q] = value[2 * q] + frac * (value[2 * q + 1] - value[2 * q]);
        }
        return new MapSummary(mean, Math.sqrt(var), pct[0], pct[1], pct[2], count);
    }

    /** An int whose unsigned order is the float order (for non-NaN values). */
    static int sortableKey(float v) {
        int bits = Float.floatToRawIntBits(v);
        return bits < 0 ? ~bits : bits | 0x8000_0000;
    }

    static float fromSortableKey(int key) {
        return Float.intBitsToFloat(key < 0 ? key & 0x7FFF_FFFF : ~key);
    }
}
