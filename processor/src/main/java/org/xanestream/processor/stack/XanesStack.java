package org.xanestream.processor.stack;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.xanestream.processor.RowParallel;

/**
 * Aligned absorbance images of one scan, by energy.
 *
 * <p>Energies may arrive in any order and may repeat. <b>Policy: repeats are kept</b>, each as its own
 * entry: a repeated energy is a second measurement, and giving the fitter both images (each exactly once)
 * weights that energy twice in the least squares, which is the statistically right thing; averaging them
 * here would require the fitter to retract an image it already accumulated. Sorted access orders entries by
 * energy, repeats in arrival order.
 *
 * <p>Along the way the stack keeps the per-pixel mean over energies (finite values only) and the mask of
 * pixels finite at every energy so far.
 *
 * <p>Not thread safe (processor thread; the per-pixel pass of {@link #add} runs in row bands on the
 * {@link RowParallel} workers, vectorized). {@link #add} retains the image by reference and allocates only
 * when its internal arrays grow (amortized, per energy point, never per frame).
 */
public final class XanesStack {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    private final int width;
    private final int height;
    private final int pixels;
    private float[][] images = new float[16][];
    private double[] energies = new double[16];
    /** Arrival indices sorted by energy, stable. */
    private int[] order = new int[16];
    private int size;
    private final float[] meanSum;
    private final int[] meanCount;
    private final byte[] validInAll;
    private final RowParallel rows;
    private final double[] rowSum;
    private final int[] rowCount;
    private final AddRows addRows = new AddRows();
    private float[] adding;

    /** A stack whose per-pixel work runs on the calling thread. */
    public XanesStack(int width, int height) {
        this(width, height, new RowParallel(1));
    }

    /** @param rows where the per-pixel pass of {@link #add} runs (not closed by the stack) */
    public XanesStack(int width, int height, RowParallel rows) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("stack size must be positive, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.pixels = width * height;
        this.meanSum = new float[pixels];
        this.meanCount = new int[pixels];
        this.validInAll = new byte[pixels];
        Arrays.fill(validInAll, (byte) 1);
        this.rows = rows;
        this.rowSum = new double[height];
        this.rowCount = new int[height];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Number of images (repeats counted). */
    public int size() {
        return size;
    }

    /** Bytes held by the images. */
    public long imageBytes() {
        return (long) size * pixels * Float.BYTES;
    }

    /**
     * Adds an aligned image.
     *
     * @param energyEv finite photon energy
     * @param mu       row-major, NaN where invalid; retained by reference, must not be modified afterwards
     * @return the mean of the finite pixels of {@code mu} (NaN if none)
     */
    public double add(double energyEv, float[] mu) {
        if (!Double.isFinite(energyEv)) {
            throw new IllegalArgumentException("energy must be finite, got " + energyEv);
        }
        if (mu.length != pixels) {
            throw new IllegalArgumentException("image has " + mu.length + " pixels, expected " + width + "x" + height);
        }
        if (size == images.length) {
            int cap = size * 2;
            images = Arrays.copyOf(images, cap);
            energies = Arrays.copyOf(energies, cap);
            order = Arrays.copyOf(order, cap);
        }
        images[size] = mu;
        energies[size] = energyEv;
        // Stable insertion: after all entries with energy <= energyEv.
        int pos = size;
        while (pos > 0 && energies[order[pos - 1]] > energyEv) {
            order[pos] = order[pos - 1];
            pos--;
        }
        order[pos] = size;
        size++;

        adding = mu;
        try {
            rows.forEachBand(height, addRows);
        } finally {
            adding = null;
        }
        double sum = 0;
        long n = 0;
        for (int y = 0; y < height; y++) {
            sum += rowSum[y];
            n += rowCount[y];
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Per row: running mean sums and counts, the valid-in-all mask, and the row's finite sum and count. */
    private final class AddRows implements RowParallel.BandTask {
        @Override
        public void run(int row0, int row1) {
            float[] mu = adding;
            int upperInRow = F.loopBound(width);
            for (int y = row0; y < row1; y++) {
                int from = y * width;
                FloatVector sum = FloatVector.zero(F);
                int count = 0;
                int x = 0;
                for (; x < upperInRow; x += F.length()) {
                    int i = from + x;
                    FloatVector v = FloatVector.fromArray(F, mu, i);
                    VectorMask<Float> ok = v.compare(VectorOperators.EQ, v);
                    FloatVector finite = v.blend(0f, ok.not());
                    sum = sum.add(finite);
                    FloatVector.fromArray(F, meanSum, i).add(finite).intoArray(meanSum, i);
                    IntVector.fromArray(I, meanCount, i).add(1, ok.cast(I)).intoArray(meanCount, i);
                    int c = ok.trueCount();
                    count += c;
                    if (c != F.length()) {
                        for (int k = i; k < i + F.length(); k++) {
                            if (mu[k] != mu[k]) {
                                validInAll[k] = 0;
                            }
                        }
                    }
                }
                double s = sum.reduceLanes(VectorOperators.ADD);
                for (; x < width; x++) {
                    int i = from + x;
                    float v = mu[i];
                    if (v == v) {
                        s += v;
                        count++;
                        meanSum[i] += v;
                        meanCount[i]++;
                    } else {
                        validInAll[i] = 0;
                    }
                }
                rowSum[y] = s;
                rowCount[y] = count;
            }
        }
    }

    /** Energy of the {@code k}-th entry in ascending energy order. */
    public double energyEv(int k) {
        check(k);
        return energies[order[k]];
    }

    /** Image of the {@code k}-th entry in ascending energy order; not to be modified. */
    public float[] image(int k) {
        check(k);
        return images[order[k]];
    }

    /** All energies, ascending (repeats included); a new array. */
    public double[] energiesSorted() {
        double[] out = new double[size];
        for (int k = 0; k < size; k++) {
            out[k] = energies[order[k]];
        }
        return out;
    }

    /**
     * The spectrum of pixel {@code (x, y)} in ascending energy order.
     *
     * @param energiesOut receives the energies (length &ge; {@link #size()}); modified
     * @param muOut       receives mu (NaN where invalid); modified
     * @return the number of entries written
     */
    public int spectrum(int x, int y, double[] energiesOut, float[] muOut) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") outside " + width + "x" + height);
        }
        int i = y * width + x;
        for (int k = 0; k < size; k++) {
            int e = order[k];
            energiesOut[k] = energies[e];
            muOut[k] = images[e][i];
        }
        return size;
    }

    /** Per-pixel mean over energies of the finite values (NaN where never finite). */
    public void meanImageInto(float[] out) {
        if (out.length != pixels) {
            throw new IllegalArgumentException("out has " + out.length + " pixels, expected " + pixels);
        }
        for (int i = 0; i < pixels; i++) {
            out[i] = meanCount[i] == 0 ? Float.NaN : meanSum[i] / meanCount[i];
        }
    }

    /** 1 where the pixel was finite in every image so far, else 0; owned by the stack, read only. */
    public byte[] validInAll() {
        return validInAll;
    }

    private void check(int k) {
        if (k < 0 || k >= size) {
            throw new IndexOutOfBoundsException("entry " + k + " of " + size);
        }
    }
}
