package org.xanestream.processor.normalize;

/**
 * The mean flat images of a scan's most recent flat energies, for borrowing: an energy point
 * without flats of its own uses the flat of the nearest energy among those retained.
 *
 * <p>Only flats already received can be borrowed (the processor is causal); at most
 * {@code capacity} flat images are kept, the oldest-stored is overwritten first, so memory is
 * {@code capacity × pixels} floats, allocated once per scan.
 *
 * <p>Not thread safe (processor thread). {@link #store} and {@link #nearest} allocate nothing after
 * the slots exist.
 */
public final class FlatBank {
    private final int pixels;
    private final float[][] images;
    private final double[] energiesEv;
    private final int[] frames;
    private final long[] storedSeq;
    private int size;
    private long seq;

    /**
     * @param pixels   pixels per image
     * @param capacity flat images retained, &ge; 1
     */
    public FlatBank(int pixels, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("flat bank capacity must be >= 1, got " + capacity);
        }
        this.pixels = pixels;
        this.images = new float[capacity][];
        this.energiesEv = new double[capacity];
        this.frames = new int[capacity];
        this.storedSeq = new long[capacity];
    }

    /** Number of flat images held. */
    public int size() {
        return size;
    }

    /**
     * Stores the mean of {@code flats} as the flat of {@code energyEv}, replacing a flat of the same
     * energy (within {@code toleranceEv}) or else the oldest one when full.
     *
     * @param flats accumulated flat frames, &ge; 1 frame; not modified
     */
    public void store(double energyEv, FrameAccumulator flats, double toleranceEv) {
        if (flats.frames() == 0) {
            throw new IllegalArgumentException("no flat frames to store at " + energyEv + " eV");
        }
        int slot = -1;
        for (int s = 0; s < size; s++) {
            if (Math.abs(energiesEv[s] - energyEv) <= toleranceEv) {
                slot = s;
                break;
            }
        }
        if (slot < 0 && size < images.length) {
            slot = size++;
            images[slot] = new float[pixels];
        }
        if (slot < 0) {
            slot = 0;
            for (int s = 1; s < size; s++) {
                if (storedSeq[s] < storedSeq[slot]) {
                    slot = s;
                }
            }
        }
        flats.meanInto(images[slot]);
        energiesEv[slot] = energyEv;
        frames[slot] = flats.frames();
        storedSeq[slot] = ++seq;
    }

    /**
     * The slot whose energy is nearest to {@code energyEv} (ties: the most recently stored), or -1 if empty.
     */
    public int nearest(double energyEv) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int s = 0; s < size; s++) {
            double d = Math.abs(energiesEv[s] - energyEv);
            if (d < bestDistance || (d == bestDistance && storedSeq[s] > storedSeq[best])) {
                best = s;
                bestDistance = d;
            }
        }
        return best;
    }

    /** The mean flat in {@code slot}; owned by the bank, valid until the slot is overwritten. */
    public float[] image(int slot) {
        return images[slot];
    }

    public double energyEv(int slot) {
        return energiesEv[slot];
    }

    /** Flat frames averaged into {@code slot}. */
    public int frames(int slot) {
        return frames[slot];
    }
}
