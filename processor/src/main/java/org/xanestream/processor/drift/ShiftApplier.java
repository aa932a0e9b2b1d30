package org.xanestream.processor.drift;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.xanestream.processor.RowParallel;

/**
 * Applies a drift correction: {@code out(x, y) = src(x + dxPx, y + dyPx)} by bilinear interpolation, where
 * {@code (dxPx, dyPx)} is the measured displacement of the sample (so the content moves back by it).
 * No wrap-around: an output pixel whose source lies outside the image, or that interpolates an invalid
 * (NaN) source pixel with non-zero weight, is NaN, so it drops out of the validity mask downstream.
 * Integer shifts copy pixels exactly.
 *
 * <p>Bilinear interpolation averages neighbouring pixels, which slightly smooths noise for fractional
 * shifts; it never invents values outside the range of its four inputs.
 *
 * <p>Not thread safe (processor thread; row bands on the {@link RowParallel} workers). Writes into a
 * caller-owned buffer and allocates nothing.
 */
public final class ShiftApplier {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private final RowParallel rows;
    private final Bands bands = new Bands();

    public ShiftApplier(RowParallel rows) {
        this.rows = rows;
    }

    /**
     * @param src    row-major image; not modified
     * @param dxPx   measured displacement along x (+ = increasing column); finite
     * @param dyPx   measured displacement along y; finite
     * @param out    aligned image, row-major, distinct from {@code src}; modified
     */
    public void apply(float[] src, int width, int height, double dxPx, double dyPx, float[] out) {
        if (src.length != width * height || out.length != width * height) {
            throw new IllegalArgumentException("images must have " + width + "x" + height + " pixels, got src "
                    + src.length + " and out " + out.length);
        }
        if (src == out) {
            throw new IllegalArgumentException("src and out must be distinct arrays");
        }
        if (!Double.isFinite(dxPx) || !Double.isFinite(dyPx)) {
            throw new IllegalArgumentException("shift must be finite, got " + dxPx + ", " + dyPx);
        }
        Bands b = bands;
        double ix = Math.floor(dxPx);
        double iy = Math.floor(dyPx);
        b.fx = (float) (dxPx - ix);
        b.fy = (float) (dyPx - iy);
        // Clamp huge shifts: everything is out of view anyway.
        b.ix = (int) Math.max(-width - 1, Math.min(width + 1, ix));
        b.iy = (int) Math.max(-height - 1, Math.min(height + 1, iy));
        b.src = src;
        b.out = out;
        b.width = width;
        b.height = height;
        try {
            rows.forEachBand(height, b);
        } finally {
            b.src = null;
            b.out = null;
        }
    }

    private static final class Bands implements RowParallel.BandTask {
        float[] src;
        float[] out;
        int width;
        int height;
        int ix;
        int iy;
        float fx;
        float fy;

        @Override
        public void run(int row0, int row1) {
            boolean xFrac = fx > 0f;
            boolean yFrac = fy > 0f;
            int x0 = Math.max(0, -ix);
            int x1 = Math.min(width - 1, width - 1 - ix - (xFrac ? 1 : 0)); // inclusive
            int yLo = Math.max(0, -iy);
            int yHi = Math.min(height - 1, height - 1 - iy - (yFrac ? 1 : 0));
            float wx1 = fx;
            float wx0 = 1f - fx;
            float wy1 = fy;
            float wy0 = 1f - fy;
            for (int y = row0; y < row1; y++) {
                int o = y * width;
                if (y < yLo || y > yHi || x0 > x1) {
                    Arrays.fill(out, o, o + width, Float.NaN);
                    continue;
                }
                Arrays.fill(out, o, o + x0, Float.NaN);
                Arrays.fill(out, o + x1 + 1, o + width, Float.NaN);
                int s0 = (y + iy) * width + ix;
                if (!yFrac && !xFrac) {
                    System.arraycopy(src, s0 + x0, out, o + x0, x1 - x0 + 1);
                } else if (!yFrac) {
                    int x = x0;
                    for (int upper = x0 + F.loopBound(x1 - x0 + 1); x < upper; x += F.length()) {
                        FloatVector.fromArray(F, src, s0 + x).mul(wx0)
                                .add(FloatVector.fromArray(F, src, s0 + x + 1).mul(wx1)).intoArray(out, o + x);
                    }
                    for (; x <= x1; x++) {
                        out[o + x] = wx0 * src[s0 + x] + wx1 * src[s0 + x + 1];
                    }
                } else if (!xFrac) {
                    int s1 = s0 + width;
                    int x = x0;
                    for (int upper = x0 + F.loopBound(x1 - x0 + 1); x < upper; x += F.length()) {
                        FloatVector.fromArray(F, src, s0 + x).mul(wy0)
                                .add(FloatVector.fromArray(F, src, s1 + x).mul(wy1)).intoArray(out, o + x);
                    }
                    for (; x <= x1; x++) {
                        out[o + x] = wy0 * src[s0 + x] + wy1 * src[s1 + x];
                    }
                } else {
                    int s1 = s0 + width;
                    int x = x0;
                    for (int upper = x0 + F.loopBound(x1 - x0 + 1); x < upper; x += F.length()) {
                        FloatVector top = FloatVector.fromArray(F, src, s0 + x).mul(wx0)
                                .add(FloatVector.fromArray(F, src, s0 + x + 1).mul(wx1));
                        FloatVector bottom = FloatVector.fromArray(F, src, s1 + x).mul(wx0)
                                .add(FloatVector.fromArray(F, src, s1 + x + 1).mul(wx1));
                        top.mul(wy0).add(bottom.mul(wy1)).intoArray(out, o + x);
                    }
                    for (; x <= x1; x++) {
                        float top = wx0 * src[s0 + x] + wx1 * src[s0 + x + 1];
                        float bottom = wx0 * src[s1 + x] + wx1 * src[s1 + x + 1];
                        out[o + x] = wy0 * top + wy1 * bottom;
                    }
                }
            }
        }
    }
}
