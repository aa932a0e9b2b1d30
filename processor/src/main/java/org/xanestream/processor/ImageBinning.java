package org.xanestream.processor;

/**
 * NaN-aware mean binning of row-major float images by square blocks: the one definition of a binned image
 * used for live maps (computed from the binned stack) and for published images and maps.
 *
 * <p>An output pixel is the mean of the non-NaN pixels of its {@code bin × bin} block (blocks at the right and
 * bottom edges may be partial), or NaN if all of them are NaN; sums in double.
 *
 * <p>Stateless static kernels; thread safe. The kernels write into caller-owned arrays and do not allocate.
 */
public final class ImageBinning {
    /** Whether the 2×2 kernel's vector body ({@link VectorBinning}) can be loaded: the incubator module is present. */
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private ImageBinning() {
    }

    /**
     * The smallest integer bin factor that brings both sides to at most {@code maxSide} pixels
     * (binned side = ceil(side / bin)); 1 if {@code maxSide} is 0 (binning off) or the image already fits.
     */
    public static int binFactor(int width, int height, int maxSide) {
        if (maxSide <= 0) {
            return 1;
        }
        int side = Math.max(width, height);
        return Math.max(1, ceilDiv(side, maxSide));
    }

    /** Side length after binning by {@code bin}: the last block may be partial. */
    public static int binnedSize(int size, int bin) {
        return ceilDiv(size, bin);
    }

    /**
     * Bins the whole image.
     *
     * @param src   width × height pixels, row-major. Not modified.
     * @param dst   at least ceil(width/bin) × ceil(height/bin) pixels, row-major with the binned width. Modified.
     * @param sum   scratch of at least ceil(width/bin) elements. Modified.
     * @param count scratch of at least ceil(width/bin) elements. Modified.
     */
    public static void binNanMean(float[] src, int width, int height, int bin, float[] dst, double[] sum, int[] count) {
        binNanMean(src, width, height, bin, dst, sum, count, 0, bin < 1 ? 0 : binnedSize(height, bin));
    }

    /**
     * Bins output rows {@code [outRow0, outRow1)} only (for row-parallel callers: disjoint ranges may run
     * concurrently with their own scratch).
     */
    public static void binNanMean(float[] src, int width, int height, int bin, float[] dst, double[] sum, int[] count,
                                  int outRow0, int outRow1) {
        if (bin < 1) {
            throw new IllegalArgumentException("bin must be >= 1, got " + bin);
        }
        int ow = binnedSize(width, bin);
        if (bin == 2) {
            for (int oy = outRow0; oy < outRow1; oy++) {
                int r0 = 2 * oy * width;
                int r1 = 2 * oy + 1 < height ? r0 + width : -1;
                binPairRows(src, r0, r1, width, dst, oy * ow);
            }
            return;
        }
        for (int oy = outRow0; oy < outRow1; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                sum[ox] = 0;
                count[ox] = 0;
            }
            int y1 = Math.min(oy * bin + bin, height);
            for (int y = oy * bin; y < y1; y++) {
                int row = y * width;
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

    /**
     * The common 2×2 case: source rows {@code r0} and {@code r1} ({@code -1}: none, the bottom block is partial)
     * into one output row, block by block without scratch: vector lanes for the full blocks of two rows
     * ({@link VectorBinning}: a block's sum and count as in {@link #binPairRowsPlain}, the same bits), the rest
     * plain.
     */
    private static void binPairRows(float[] src, int r0, int r1, int width, float[] dst, int out) {
        int ox = VECTOR && r1 >= 0 ? VectorBinning.pairRows(src, r0, r1, width, dst, out) : 0;
        binPairRowsPlain(src, r0, r1, width, dst, out, ox);
    }

    /** Scalar body of {@link #binPairRows} from output pixel {@code ox0} on (branch-free NaN tests). */
    static void binPairRowsPlain(float[] src, int r0, int r1, int width, float[] dst, int out, int ox0) {
        int pairs = width / 2;
        if (r1 >= 0) {
            for (int ox = ox0; ox < pairs; ox++) {
                int i = r0 + 2 * ox;
                int j = r1 + 2 * ox;
                float a = src[i];
                float b = src[i + 1];
                float c = src[j];
                float d = src[j + 1];
                double sum = (double) (a == a ? a : 0f) + (b == b ? b : 0f) + (c == c ? c : 0f) + (d == d ? d : 0f);
                int n = (a == a ? 1 : 0) + (b == b ? 1 : 0) + (c == c ? 1 : 0) + (d == d ? 1 : 0);
                dst[out + ox] = n == 0 ? Float.NaN : (float) (sum / n);
            }
        } else {
            for (int ox = ox0; ox < pairs; ox++) {
                int i = r0 + 2 * ox;
                float a = src[i];
                float b = src[i + 1];
                double sum = (double) (a == a ? a : 0f) + (b == b ? b : 0f);
                int n = (a == a ? 1 : 0) + (b == b ? 1 : 0);
                dst[out + ox] = n == 0 ? Float.NaN : (float) (sum / n);
            }
        }
        if ((width & 1) != 0) {
            float a = src[r0 + width - 1];
            float c = r1 >= 0 ? src[r1 + width - 1] : Float.NaN;
            double sum = (double) (a == a ? a : 0f) + (c == c ? c : 0f);
            int n = (a == a ? 1 : 0) + (c == c ? 1 : 0);
            dst[out + pairs] = n == 0 ? Float.NaN : (float) (sum / n);
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
