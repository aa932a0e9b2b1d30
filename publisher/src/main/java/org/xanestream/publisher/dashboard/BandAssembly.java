package org.xanestream.publisher.dashboard;

import org.xanestream.publisher.results.BandRecord;

import java.util.BitSet;

/**
 * Reassembles one published image or map (one version) from its row bands, block-averaging it on the
 * fly by an integer factor so the stored grid has at most a given number of pixels. Memory: the stored
 * grid as float sums plus int counts until complete, then the float means only.
 *
 * <p>Not thread safe: owned by the {@link DashboardState} lock. The completed {@link #values()} array is
 * never modified afterwards and may be read from any thread.
 */
final class BandAssembly {
    final int publishedWidth;
    final int publishedHeight;
    final int bin;
    final int version;
    final boolean finalFlag;
    /** Published pixels per stored pixel along each axis. */
    final int factor;
    final int width;
    final int height;
    private float[] sum;
    private int[] count;
    private final BitSet rowsSeen;
    private int rowsReceived;
    private float[] values;

    BandAssembly(int publishedWidth, int publishedHeight, int bin, int version, boolean finalFlag, int pixelLimit) {
        this.publishedWidth = publishedWidth;
        this.publishedHeight = publishedHeight;
        this.bin = bin;
        this.version = version;
        this.finalFlag = finalFlag;
        this.factor = factorFor(publishedWidth, publishedHeight, pixelLimit);
        this.width = ceilDiv(publishedWidth, factor);
        this.height = ceilDiv(publishedHeight, factor);
        this.sum = new float[width * height];
        this.count = new int[width * height];
        this.rowsSeen = new BitSet(publishedHeight);
    }

    /** Smallest integer factor f with ceil(w/f)·ceil(h/f) ≤ limit. */
    static int factorFor(int w, int h, int limit) {
        int f = 1;
        while ((long) ceilDiv(w, f) * ceilDiv(h, f) > limit) {
            f++;
        }
        return f;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Orders publications: a higher version wins, and the final one wins over a live one of the same version. */
    static long rank(int version, boolean finalFlag) {
        return 2L * version + (finalFlag ? 1 : 0);
    }

    long rank() {
        return rank(version, finalFlag);
    }

    /** Full-resolution pixels per stored pixel. */
    int scale() {
        return factor * bin;
    }

    boolean sameGeometry(BandRecord b) {
        return b.width() == publishedWidth && b.height() == publishedHeight && b.bin() == bin;
    }

    /**
     * Adds a band of this publication. Rows seen before are ignored (a duplicate delivery).
     *
     * @return true if this band completed the image
     */
    boolean add(BandRecord b) {
        if (values != null) {
            return false;
        }
        int w = publishedWidth;
        for (int r = 0; r < b.rows(); r++) {
            int y = b.row0() + r;
            if (rowsSeen.get(y)) {
                continue;
            }
            rowsSeen.set(y);
            rowsReceived++;
            int base = (y / factor) * width;
            for (int x = 0; x < w; x++) {
                float v = b.value(r, x);
                if (!Float.isNaN(v) && !Float.isInfinite(v)) {
                    int i = base + x / factor;
                    sum[i] += v;
                    count[i]++;
                }
            }
        }
        if (rowsReceived == publishedHeight) {
            float[] out = sum;
            for (int i = 0; i < out.length; i++) {
                out[i] = count[i] > 0 ? out[i] / count[i] : Float.NaN;
            }
            values = out;
            sum = null;
            count = null;
            return true;
        }
        return false;
    }

    boolean complete() {
        return values != null;
    }

    /** The stored pixels (row-major, {@code width × height}, NaN where no valid input); null until complete. */
    float[] values() {
        return values;
    }

    /** Bytes held now. */
    long bytes() {
        return values != null ? 4L * values.length : 8L * width * height;
    }
}
