package org.xanestream.simulators.detector;

/**
 * Bilinear sub-pixel displacement of an image, the convention of the whole simulator: displacing by
 * {@code (dx, dy)} moves a feature at {@code p} to {@code p + (dx, dy)}; the destination pixel d samples
 * the source at {@code d − (dx, dy)}; samples beyond the border take the nearest border pixel.
 *
 * <p>Stateless and thread safe.
 */
public final class SubPixelShift {
    private SubPixelShift() {
    }

    /**
     * Fills the clamped source indices of a displacement along one axis: destination {@code d} lies
     * between sources {@code lo[d]} and {@code hi[d]}.
     *
     * @param shiftPx displacement, pixels
     * @param n       pixels along the axis
     * @param lo      {@code n} ints; modified
     * @param hi      {@code n} ints; modified
     * @return the weight of {@code hi} (the same for every destination)
     */
    public static float indices(double shiftPx, int n, int[] lo, int[] hi) {
        double src = -shiftPx;
        double fl = Math.floor(src);
        int io = (int) Math.max(-2L * n, Math.min(2L * n, (long) fl));
        float frac = (float) (src - fl);
        for (int d = 0; d < n; d++) {
            int a = d + io;
            int b = a + 1;
            lo[d] = a < 0 ? 0 : (a >= n ? n - 1 : a);
            hi[d] = b < 0 ? 0 : (b >= n ? n - 1 : b);
        }
        return frac;
    }

    /**
     * Displaces {@code src} into {@code dst}.
     *
     * @param src row-major {@code width·height}; not modified
     * @param dst row-major {@code width·height}; overwritten (must not be {@code src})
     */
    public static void bilinear(float[] src, int width, int height, double dxPx, double dyPx, float[] dst) {
        if (src == dst) {
            throw new IllegalArgumentException("source and destination must differ");
        }
        int[] cl = new int[width];
        int[] ch = new int[width];
        int[] rl = new int[height];
        int[] rh = new int[height];
        float fx = indices(dxPx, width, cl, ch);
        float fy = indices(dyPx, height, rl, rh);
        for (int y = 0; y < height; y++) {
            int r0 = rl[y] * width;
            int r1 = rh[y] * width;
            for (int x = 0; x < width; x++) {
                dst[y * width + x] = (1 - fy) * ((1 - fx) * src[r0 + cl[x]] + fx * src[r0 + ch[x]])
                        + fy * ((1 - fx) * src[r1 + cl[x]] + fx * src[r1 + ch[x]]);
            }
        }
    }
}
