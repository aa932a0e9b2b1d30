package org.xanestream.processor.fit;

import org.xanestream.processor.MapSummary;

/**
 * Summaries of maps over trusted pixels (mask set, value finite): count, mean and population standard
 * deviation from shifted sums (merged across bands), and the 5/50/95 % percentiles with
 * linear interpolation between order statistics (as numpy's default).
 *
 * <p>Percentiles are exact order statistics of the values given to {@link #percentiles}: a two-level
 * radix selection on the float's order-preserving bit pattern (high 16 bits, then the low 16 bits in
 * the few high buckets holding the wanted ranks) — two passes, no sort, insensitive to outliers.
 *
 * <p>Stateless helpers are thread safe; a {@link Moments} belongs to one thread until merged.
 */
final class MapStatistics {
    private static final double[] QUANTILES = {0.05, 0.50, 0.95};
    private static final int BUCKETS = 1 << 16;

    private MapStatistics() {
    }

    /**
     * Running count, mean and sum of squared deviations of trusted finite values. Values are summed
     * relative to the first value seen (one pass, no cancellation for maps like energies that sit far
     * from zero); {@link #merge} re-expresses partial sums on one shift.
     */
    static final class Moments {
        long n;
        double shift = Double.NaN;
        double sum;
        double sumSq;

        /**
         * Stores {@code (float) v[0..len)} into {@code dst[to..to+len)} and adds the finite values among
         * {@code v[0..len)} whose {@code trusted} entry is non-zero, shifted by the first of them (several
         * running sums, vector lanes when the Vector API is present), in one pass over the values.
         *
         * @param v            values; not modified
         * @param dst          float values; modified in {@code [to, to+len)}
         * @param trusted      1 for a trusted value, 0 otherwise; not modified
         * @param firstTrusted no entry of {@code trusted} before it is non-zero (len: none is; 0 if unknown).
         *                     The maps of one chunk share it: the search for the shift starts there, and a
         *                     chunk without trusted pixels is only converted
         * @param sums         scratch of length 2, overwritten
         */
        void storeTrusted(double[] v, float[] dst, int to, double[] trusted, int firstTrusted, int len,
                          double[] sums) {
            double k = shift;
            if (Double.isNaN(k)) {
                // the shift is the first trusted finite value
                int j = firstTrusted;
                while (j < len && !(trusted[j] != 0 && Double.isFinite(v[j]))) {
                    j++;
                }
                if (j == len) {
                    Convert.toFloat(v, dst, to, len);
                    return;
                }
                k = (float) v[j];
                shift = k;
            }
            long cn = Convert.VECTOR ? VectorConvert.storeShiftedSums(v, dst, to, trusted, k, len, sums)
                    : storeShiftedSumsPlain(v, dst, to, trusted, k, 0, len, sums);
            this.n += cn;
            sum += sums[0];
            sumSq += sums[1];
        }

        double mean() {
            return n == 0 ? Double.NaN : shift + sum / n;
        }

        /** Sum of squared deviations from the mean. */
        double m2() {
            return n == 0 ? 0 : Math.max(0, sumSq - sum * sum / n);
        }

        void merge(Moments o) {
            if (o.n == 0) {
                return;
            }
            if (n == 0) {
                n = o.n;
                shift = o.shift;
                sum = o.sum;
                sumSq = o.sumSq;
                return;
            }
            // re-express o's sums relative to this shift: Σ(x−k) = Σ(x−k') + n'(k'−k)
            double delta = o.shift - shift;
            double s1 = o.sum + o.n * delta;
            double s2 = o.sumSq + 2 * delta * o.sum + o.n * delta * delta;
            n += o.n;
            sum += s1;
            sumSq += s2;
        }
    }

    /**
     * Summary from merged moments and a sample for the percentiles.
     *
     * @param sample finite values whose percentiles are reported; modified (nothing else)
     */
    static MapSummary summary(Moments m, float[] sample, int sampleN) {
        double std = m.n == 0 ? Double.NaN : Math.sqrt(m.m2() / m.n);
        if (m.n == 0 || sampleN == 0) {
            return new MapSummary(m.mean(), std, Double.NaN, Double.NaN, Double.NaN, m.n);
        }
        double[] p = percentiles(sample, sampleN);
        return new MapSummary(m.mean(), std, p[0], p[1], p[2], m.n);
    }

    /**
     * The 5/50/95 % percentiles of {@code v[0..n)} (finite values), linear interpolation between
     * order statistics.
     *
     * @param v values; not modified
     */
    static double[] percentiles(float[] v, int n) {
        int[] high = new int[BUCKETS];
        for (int i = 0; i < n; i++) {
            high[sortableKey(v[i]) >>> 16]++;
        }
        long[] ranks = new long[2 * QUANTILES.length];
        for (int q = 0; q < QUANTILES.length; q++) {
            long r = (long) Math.floor((n - 1) * QUANTILES[q]);
            ranks[2 * q] = r;
            ranks[2 * q + 1] = Math.min(r + 1, n - 1);
        }
        int[] bucketOf = new int[ranks.length];
        long[] rankInBucket = new long[ranks.length];
        int[] wanted = new int[ranks.length];
        int nWanted = 0;
        for (int k = 0; k < ranks.length; k++) {
            long before = 0;
            int b = 0;
            while (before + high[b] <= ranks[k]) {
                before += high[b];
                b++;
            }
            bucketOf[k] = b;
            rankInBucket[k] = ranks[k] - before;
            boolean seen = false;
            for (int j = 0; j < nWanted; j++) {
                seen |= wanted[j] == b;
            }
            if (!seen) {
                wanted[nWanted++] = b;
            }
        }
        int[][] low = new int[nWanted][BUCKETS];
        for (int i = 0; i < n; i++) {
            int key = sortableKey(v[i]);
            int hb = key >>> 16;
            for (int j = 0; j < nWanted; j++) {
                if (wanted[j] == hb) {
                    low[j][key & 0xFFFF]++;
                    break;
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
            double h = (n - 1) * QUANTILES[q];
            double frac = h - Math.floor(h);
            pct[q] = value[2 * q] + frac * (value[2 * q + 1] - value[2 * q]);
        }
        return pct;
    }

    /** An int whose unsigned order is the float order (for non-NaN values). */
    static int sortableKey(float v) {
        int bits = Float.floatToRawIntBits(v);
        return bits < 0 ? ~bits : bits | 0x8000_0000;
    }

    static float fromSortableKey(int key) {
        return Float.intBitsToFloat(key < 0 ? key & 0x7FFF_FFFF : ~key);
    }

    /**
     * {@code dst[to + c] = (float) v[c]} for c in [from, len), and over those c with {@code trusted[c] != 0}
     * and {@code v[c]} finite: {@code sums[0] = Σ d}, {@code sums[1] = Σ d²} with {@code d = (float) v[c] − k};
     * returns the count.
     */
    static long storeShiftedSumsPlain(double[] v, float[] dst, int to, double[] trusted, double k, int from, int len,
                                      double[] sums) {
        long cn = 0;
        double s1 = 0;
        double s2 = 0;
        for (int c = from; c < len; c++) {
            double x = v[c];
            float xf = (float) x;
            dst[to + c] = xf;
            if (trusted[c] != 0 && Double.isFinite(x)) {
                double d = xf - k;
                cn++;
                s1 += d;
                s2 += d * d;
            }
        }
        sums[0] = s1;
        sums[1] = s2;
        return cn;
    }
}
