package org.xanestream.processor.normalize;

import java.util.Arrays;

import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.PixelType;
import org.xanestream.processor.RowParallel;

/**
 * Running float sum of frames of one kind (dark, flat, sample or transmission) and their count.
 * The caller releases each frame right after {@link #add}; nothing of the frame is retained.
 *
 * <p>A float sum is exact for integer pixels up to 2^24 (256 full-scale uint16 frames) and loses at
 * most ~6e-8 relative beyond, which is far below photon noise.
 *
 * <p>Not thread safe (owned by the processor thread; the row bands of {@link #add} and {@link #meanInto} run on
 * the {@link RowParallel} workers). {@link #add} and {@link #clear} allocate nothing.
 */
public final class FrameAccumulator {
    private final int width;
    private final int height;
    private final float[] sum;
    private final RowParallel rows;
    private final AddBands addBands = new AddBands();
    private final MeanBands meanBands = new MeanBands();
    private int frames;
    /**
     * {@link #clear()} leaves the old sums in place: the first {@link #add} after it writes the frame instead of
     * adding it, which saves a pass over the sum.
     */
    private boolean stale;

    /**
     * @param width  image width in pixels
     * @param height image height in pixels
     * @param rows   where the per-row work runs
     */
    public FrameAccumulator(int width, int height, RowParallel rows) {
        if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("accumulator size must be positive and below 2^31 pixels, got "
                    + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.sum = new float[width * height];
        this.rows = rows;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Frames added since the last {@link #clear()}. */
    public int frames() {
        return frames;
    }

    /** The running sum, row-major; owned by this accumulator (read it, do not keep it across {@link #clear()}). */
    public float[] sum() {
        if (stale) {
            Arrays.fill(sum, 0f);
            stale = false;
        }
        return sum;
    }

    /** Whether {@code header} has this accumulator's size. */
    public boolean fits(FrameHeader header) {
        return header.width() == width && header.height() == height;
    }

    /**
     * Adds the frame's pixels. Does not release the frame.
     *
     * @throws IllegalArgumentException if the frame's size differs (nothing is added)
     */
    public void add(Frame frame) {
        FrameHeader h = frame.header();
        if (!fits(h)) {
            throw new IllegalArgumentException("frame of " + h.width() + "x" + h.height()
                    + " does not match the accumulator's " + width + "x" + height);
        }
        addBands.src = frame.pixels().array();
        addBands.type = h.pixelType();
        addBands.overwrite = stale;
        try {
            rows.forEachBand(height, addBands);
        } finally {
            addBands.src = null;
        }
        stale = false;
        frames++;
    }

    /** {@code out[i] = sum[i] / frames}; NaN everywhere if no frame was added. */
    public void meanInto(float[] out) {
        if (out.length != sum.length) {
            throw new IllegalArgumentException("out has " + out.length + " pixels, expected " + sum.length);
        }
        if (frames == 0) {
            Arrays.fill(out, Float.NaN);
            return;
        }
        meanBands.out = out;
        meanBands.scale = 1.0f / frames;
        try {
            rows.forEachBand(height, meanBands);
        } finally {
            meanBands.out = null;
        }
    }

    /** Forgets all frames (without touching the sums: see {@link #add}). */
    public void clear() {
        if (frames > 0) {
            stale = true;
        }
        frames = 0;
    }

    /** Reused band task: no capturing lambda per frame. */
    private final class AddBands implements RowParallel.BandTask {
        byte[] src;
        PixelType type;
        boolean overwrite;

        @Override
        public void run(int row0, int row1) {
            if (overwrite) {
                PixelSums.set(src, type, sum, row0 * width, row1 * width);
            } else {
                PixelSums.add(src, type, sum, row0 * width, row1 * width);
            }
        }
    }

    private final class MeanBands implements RowParallel.BandTask {
        float[] out;
        float scale;

        @Override
        public void run(int row0, int row1) {
            float[] o = out;
            float f = scale;
            for (int i = row0 * width, end = row1 * width; i < end; i++) {
                o[i] = sum[i] * f;
            }
        }
    }
}
