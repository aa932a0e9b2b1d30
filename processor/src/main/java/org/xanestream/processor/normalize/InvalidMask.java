package org.xanestream.processor.normalize;

/**
 * The union of the detector bad-pixel masks ({@code Frame.pixelMask()}, nonzero = invalid) seen in
 * one scan. A pixel flagged in any frame is invalid in every image of the scan.
 *
 * <p>The detector shares one mask array between all frames of a series, so a mask identical (same
 * reference) to the last one merged is skipped. Not thread safe (processor thread); the mask array
 * is allocated on the first masked frame only.
 */
public final class InvalidMask {
    private final int pixels;
    private byte[] mask;
    private byte[] lastMerged;

    public InvalidMask(int pixels) {
        this.pixels = pixels;
    }

    /**
     * ORs a frame's mask in.
     *
     * @param frameMask row-major, nonzero = invalid, or {@code null}; not modified, not retained beyond
     *                  an identity check
     */
    public void merge(byte[] frameMask) {
        if (frameMask == null || frameMask == lastMerged) {
            return;
        }
        if (frameMask.length != pixels) {
            throw new IllegalArgumentException("pixel mask has " + frameMask.length + " entries, expected " + pixels);
        }
        if (mask == null) {
            mask = new byte[pixels];
        }
        for (int i = 0; i < pixels; i++) {
            if (frameMask[i] != 0) {
                mask[i] = 1;
            }
        }
        lastMerged = frameMask;
    }

    /** The merged mask (nonzero = invalid), or {@code null} if no frame had one. */
    public byte[] mask() {
        return mask;
    }
}
