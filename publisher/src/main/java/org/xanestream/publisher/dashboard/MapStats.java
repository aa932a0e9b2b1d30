package org.xanestream.publisher.dashboard;

/**
 * Statistics and histogram of a map over its trusted pixels (finite and inside the mask).
 * Percentiles come from a 4096-bin histogram between min and max, so they are exact to
 * (max − min) / 4096. Immutable.
 *
 * @param n      trusted pixels
 * @param mean   mean over them (NaN if n = 0)
 * @param std    sample standard deviation
 * @param min    smallest value
 * @param max    largest value
 * @param p01    1st percentile
 * @param p02    2nd percentile
 * @param p05    5th percentile
 * @param p50    median
 * @param p95    95th percentile
 * @param p98    98th percentile
 * @param p99    99th percentile
 * @param histLo lower edge of the display histogram (p01, widened if degenerate)
 * @param histHi upper edge of the display histogram (p99)
 * @param counts display histogram counts, equal bins over [histLo, histHi]; values outside are clamped into the end bins
 */
record MapStats(long n, double mean, double std, double min, double max, double p01, double p02, double p05,
                double p50, double p95, double p98, double p99, double histLo, double histHi, long[] counts) {

    static final int FINE_BINS = 4096;

    /** Computes the statistics of {@code map} over pixels trusted by {@code mask} (may be null). Allocates. */
    static MapStats of(MapView map, MapView mask, int bins) {
        float[] v = map.values();
        int len = v.length;
        long n = 0;
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            if (MapView.trusted(mask, map, i)) {
                double x = v[i];
                n++;
                sum += x;
                if (x < min) {
                    min = x;
                }
                if (x > max) {
                    max = x;
                }
            }
        }
        if (n == 0) {
            double nan = Double.NaN;
            return new MapStats(0, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, 0, 1, new long[bins]);
        }
        double mean = sum / n;
        double ss = 0;
        long[] fine = new long[FINE_BINS];
        double width = max > min ? (max - min) / FINE_BINS : 0;
        for (int i = 0; i < len; i++) {
            if (MapView.trusted(mask, map, i)) {
                double d = v[i] - mean;
                ss += d * d;
                int b = width > 0 ? (int) ((v[i] - min) / width) : 0;
                fine[b < 0 ? 0 : Math.min(FINE_BINS - 1, b)]++;
            }
        }
        double std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
        double p01 = pct(fine, n, 0.01, min, width);
        double p02 = pct(fine, n, 0.02, min, width);
        double p05 = pct(fine, n, 0.05, min, width);
        double p50 = pct(fine, n, 0.50, min, width);
        double p95 = pct(fine, n, 0.95, min, width);
        double p98 = pct(fine, n, 0.98, min, width);
        double p99 = pct(fine, n, 0.99, min, width);
        double lo = p01;
        double hi = p99;
        if (!(hi > lo)) {
            double pad = Math.max(1e-6, Math.abs(lo) * 1e-3);
            lo -= pad;
            hi += pad;
        }
        long[] counts = new long[bins];
        double bw = (hi - lo) / bins;
        for (int i = 0; i < len; i++) {
            if (MapView.trusted(mask, map, i)) {
                int b = (int) Math.floor((v[i] - lo) / bw);
                counts[b < 0 ? 0 : Math.min(bins - 1, b)]++;
            }
        }
        return new MapStats(n, mean, std, min, max, p01, p02, p05, p50, p95, p98, p99, lo, hi, counts);
    }

    /** The value below which a fraction q of the trusted pixels lie (bin centre of the fine histogram). */
    private static double pct(long[] fine, long n, double q, double min, double width) {
        if (width == 0) {
            return min;
        }
        long target = (long) Math.ceil(q * n);
        long acc = 0;
        for (int b = 0; b < fine.length; b++) {
            acc += fine[b];
            if (acc >= target && acc > 0) {
                return min + (b + 0.5) * width;
            }
        }
        return min + (fine.length - 0.5) * width;
    }

    void write(JsonOut j) {
        j.num("n", n).num("mean", mean).num("std", std).num("min", min).num("max", max)
                .num("p01", p01).num("p02", p02).num("p05", p05).num("p50", p50).num("p95", p95)
                .num("p98", p98).num("p99", p99).num("histLo", histLo).num("histHi", histHi);
        j.array("counts");
        for (long c : counts) {
            j.value(c);
        }
        j.endArray();
    }
}
