package org.xanestream.publisher.kafka;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The binary payload layout of the {@code images} and {@code maps} topics: NaN-aware mean binning and
 * cutting a row-major float32 image into little-endian row bands.
 *
 * <p>Stateless static kernels; thread-safe. {@link #binNanMean} writes into caller-owned arrays and does not
 * allocate; {@link #encodeRows} allocates the record value it returns (Kafka keeps it until it is sent).
 */
final class RowBands {
    private RowBands() {
    }

    /**
     * The smallest integer bin factor that brings both sides to at most {@code maxSide} pixels
     * (binned side = ceil(side / bin)); 1 if {@code maxSide} is 0 (binning off) or the image already fits.
     */
    static int binFactor(int width, int height, int maxSide) {
        if (maxSide <= 0) {
            return 1;
        }
        int side = Math.max(width, height);
        return Math.max(1, ceilDiv(side, maxSide));
    }

    /** Side length after binning by {@code bin}: the last block may be partial. */
    static int binnedSize(int size, int bin) {
        return ceilDiv(size, bin);
    }

    /** Rows per band so that a band's value ({@code rows * width * 4} bytes) stays within the limit; at least 1. */
    static int rowsPerBand(int width, int maxValueBytes) {
        return Math.max(1, maxValueBytes / (4 * width));
    }

    /** Number of bands for {@code height} rows. */
    static int bandCount(int height, int rowsPerBand) {
        return ceilDiv(height, rowsPerBand);
    }

    /** Records needed for one {@code width × height} image binned by {@code bin}. */
    static int recordCount(int width, int height, int bin, int maxValueBytes) {
        int w = binnedSize(width, bin);
        return bandCount(binnedSize(height, bin), rowsPerBand(w, maxValueBytes));
    }

    /**
     * Mean-bins {@code src} by {@code bin × bin} blocks, ignoring NaN: an output pixel is the mean of the
     * non-NaN pixels of its block (blocks at the right and bottom edges may be partial), or NaN if all of them
     * are NaN. Sums in double.
     *
     * @param src   width × height pixels, row-major. Not modified.
     * @param dst   at least ceil(width/bin) × ceil(height/bin) pixels, row-major with the binned width. Modified.
     * @param sum   scratch of at least ceil(width/bin) elements. Modified.
     * @param count scratch of at least ceil(width/bin) elements. Modified.
     */
    static void binNanMean(float[] src, int width, int height, int bin, float[] dst, double[] sum, int[] count) {
        int ow = binnedSize(width, bin);
        int oh = binnedSize(height, bin);
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                sum[ox] = 0;
                count[ox] = 0;
            }
            int y1 = Math.min(oy * bin + bin, height);
            for (int y = oy * bin; y < y1; y++) {
                int row = y * width;
                if (bin == 2) {
                    accumulatePairs(src, row, width, sum, count);
                    continue;
                }
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = ox * bin;
                    int x1 = Math.min(x0 + bin, width);
                    double s = 0;
                    int c = 0;
                    for (int x = x0; x < x1; x++) {
                        float v = src[row + x];
                        // Branch-free NaN test: NaN pixels are common (borders, masks) and unpredictable.
                        boolean ok = v == v;
                        s += ok ? v : 0f;
                        c += ok ? 1 : 0;
                    }
                    sum[ox] += s;
                    count[ox] += c;
                }
            }
            int out = oy * ow;
            for (int ox = 0; ox < ow; ox++) {
                dst[out + ox] = count[ox] == 0 ? Float.NaN : (float) (sum[ox] / count[ox]);
            }
        }
    }

    /** The common 2×2 case of {@link #binNanMean}: one source row into pairs of columns. */
    private static void accumulatePairs(float[] src, int row, int width, double[] sum, int[] count) {
        int pairs = width / 2;
        for (int ox = 0; ox < pairs; ox++) {
            float a = src[row + 2 * ox];
            float b = src[row + 2 * ox + 1];
            boolean okA = a == a;
            boolean okB = b == b;
            sum[ox] += (double) (okA ? a : 0f) + (okB ? b : 0f);
            count[ox] += (okA ? 1 : 0) + (okB ? 1 : 0);
        }
        if ((width & 1) != 0) {
            float a = src[row + width - 1];
            if (a == a) {
                sum[pairs] += a;
                count[pairs]++;
            }
        }
    }

    /**
     * Rows {@code [row0, row0 + rows)} of a row-major image as little-endian float32 bytes.
     *
     * @param src pixels, row-major with {@code width} columns. Not modified.
     * @return a new array of {@code rows * width * 4} bytes
     */
    static byte[] encodeRows(float[] src, int width, int row0, int rows) {
        byte[] out = new byte[rows * width * 4];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(src, row0 * width, rows * width);
        return out;
    }

    /**
     * A 64-bit content hash of an image (NaNs canonicalized), used to skip republishing an unchanged map.
     * Reads every pixel once; does not allocate.
     */
    static long contentHash(float[] src, int length) {
        // Four independent lanes: a single multiply chain would be latency-bound.
        long h0 = 0x9E3779B97F4A7C15L ^ length;
        long h1 = 0xC2B2AE3D27D4EB4FL;
        long h2 = 0x165667B19E3779F9L;
        long h3 = 0x27D4EB2F165667C5L;
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            h0 = (h0 ^ Float.floatToIntBits(src[i])) * 0xFF51AFD7ED558CCDL;
            h1 = (h1 ^ Float.floatToIntBits(src[i + 1])) * 0xFF51AFD7ED558CCDL;
            h2 = (h2 ^ Float.floatToIntBits(src[i + 2])) * 0xFF51AFD7ED558CCDL;
            h3 = (h3 ^ Float.floatToIntBits(src[i + 3])) * 0xFF51AFD7ED558CCDL;
            h0 ^= h0 >>> 29;
            h1 ^= h1 >>> 29;
            h2 ^= h2 >>> 29;
            h3 ^= h3 >>> 29;
        }
        for (; i < length; i++) {
            h0 = (h0 ^ Float.floatToIntBits(src[i])) * 0xFF51AFD7ED558CCDL;
            h0 ^= h0 >>> 29;
        }
        long h = h0 * 31 + h1;
        h = h * 31 + h2;
        h = h * 31 + h3;
        return h ^ (h >>> 31);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
