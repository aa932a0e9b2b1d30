package org.xanestream.processor.fit;

import java.util.Objects;

import org.xanestream.processor.ImageBinning;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.RowParallel;

/**
 * Full-resolution fits for the final maps, and fits of the binned stack for the live maps.
 *
 * <p>Every image goes to the full-resolution fitter and, mean-binned by {@code bin × bin} blocks ignoring NaN
 * ({@link ImageBinning}), to a second fitter of the binned size. Live (non-final) snapshots come from the
 * binned fitter: the maps of the binned spectra, {@code bin²} times fewer pixels to solve (and with
 * {@code bin²} times the counts per spectrum, less noisy); they are marked with their bin and source size
 * ({@link MapsSnapshot#bin()}). The final snapshot comes from the full-resolution fitter, exactly as without
 * this class. This is what keeps live maps cheap enough to follow every energy point of a 2048×2048 scan.
 *
 * <p>As no live map needs them at once, the full-resolution images are handed to their fitter
 * {@value #FULL_BATCH} at a time ({@link XanesFitter#addEnergies}: one pass over its accumulator planes per
 * batch instead of one per image, the same bits), by {@link #catchUp} once that many are waiting (after the
 * point's live results went out), by {@link #addEnergy} if they still wait when the next image comes, and by
 * the final snapshot for the rest. Images are checked when added, so a batch cannot fail on one of them; if
 * it fails nonetheless, it is dropped from the full-resolution fit (the exception propagates once) and the
 * live fits go on.
 *
 * <p>Not thread safe: the processor thread calls it; binning runs across the row pool. Allocates the binned
 * image of each energy (retained by the binned fitter, like the full image by the full fitter) and, per batch,
 * the arrays handed to {@code addEnergies} (which allocates its own packed blocks).
 */
public final class LiveBinnedFitter implements XanesFitter {
    /**
     * Full-resolution images per batch (see the class comment). At 2048² one image alone cost 29–32 ms of CPU,
     * 8.5–10 per image in batches of 4 (20–23 ms per batch, wall, 2 threads), 7.3–7.9 in batches of 8 (33–35 ms):
     * 4 keeps most of the saving while the batch's stall, which competes with the point's publication, stays short.
     */
    static final int FULL_BATCH = 4;

    private final XanesFitter full;
    private final XanesFitter binned;
    private final int width;
    private final int height;
    private final int bin;
    private final int binnedWidth;
    private final int binnedHeight;
    private final RowParallel rows;
    private final double[] pendingEv = new double[FULL_BATCH];
    private final float[][] pendingMu = new float[FULL_BATCH][];
    private int pending;
    /** Per-thread scratch of the binning kernel (one binned row of sums and counts). */
    private final ThreadLocal<Scratch> scratch;

    private static final class Scratch {
        final double[] sum;
        final int[] count;

        Scratch(int n) {
            sum = new double[n];
            count = new int[n];
        }
    }

    /**
     * @param full   fitter of {@code width × height} images
     * @param binned fitter of {@code ceil(width/bin) × ceil(height/bin)} images
     * @param bin    block side, at least 2
     * @param rows   row pool for the binning (not closed here)
     */
    public LiveBinnedFitter(XanesFitter full, XanesFitter binned, int width, int height, int bin, RowParallel rows) {
        this.full = Objects.requireNonNull(full, "full");
        this.binned = Objects.requireNonNull(binned, "binned");
        this.rows = Objects.requireNonNull(rows, "rows");
        if (bin < 2) {
            throw new IllegalArgumentException("live maps bin must be >= 2, got " + bin);
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image must be at least 1x1, got " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.bin = bin;
        this.binnedWidth = ImageBinning.binnedSize(width, bin);
        this.binnedHeight = ImageBinning.binnedSize(height, bin);
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(binnedWidth));
    }

    /** The bin of the live maps. */
    public int bin() {
        return bin;
    }

    @Override
    public void addEnergy(double energyEv, float[] mu) {
        if (mu.length != width * height) {
            throw new IllegalArgumentException("image has " + mu.length + " pixels, expected " + width + "x" + height);
        }
        IncrementalXanesFit.checkEnergy(energyEv);
        // a full batch still waiting (no catch-up since): it goes first; if it fails, this image is kept anyway
        RuntimeException batchFailure = null;
        if (pending == FULL_BATCH) {
            try {
                flush();
            } catch (RuntimeException e) {
                batchFailure = e;
            }
        }
        float[] small = new float[binnedWidth * binnedHeight];
        rows.forEachBand(binnedHeight, (r0, r1) -> {
            Scratch s = scratch.get();
            ImageBinning.binNanMean(mu, width, height, bin, small, s.sum, s.count, r0, r1);
        });
        binned.addEnergy(energyEv, small);
        pendingEv[pending] = energyEv;
        pendingMu[pending] = mu;
        pending++;
        if (batchFailure != null) {
            throw batchFailure;
        }
    }

    /** Hands a full batch of waiting images to the full-resolution fitter; then the fitters' own deferred work. */
    @Override
    public void catchUp() {
        if (pending == FULL_BATCH) {
            flush();
        }
        full.catchUp();
        binned.catchUp();
    }

    /** The waiting images to the full-resolution fitter; taken from the queue first, so a failure is not retried. */
    private void flush() {
        if (pending == 0) {
            return;
        }
        double[] ev = java.util.Arrays.copyOf(pendingEv, pending);
        float[][] mu = java.util.Arrays.copyOf(pendingMu, pending);
        java.util.Arrays.fill(pendingMu, null);
        pending = 0;
        full.addEnergies(ev, mu);
    }

    @Override
    public int energies() {
        return full.energies() + pending;
    }

    @Override
    public MapsSnapshot snapshot(String scanId, boolean finalSnapshot, long epochMillis) {
        if (finalSnapshot) {
            flush();
            return full.snapshot(scanId, true, epochMillis);
        }
        return binned.snapshot(scanId, false, epochMillis).binnedFrom(bin, width, height);
    }

    /** Closes both fitters (images still waiting are dropped). */
    @Override
    public void close() {
        java.util.Arrays.fill(pendingMu, null);
        pending = 0;
        try {
            full.close();
        } finally {
            binned.close();
        }
    }
}
