package org.xanestream.processor;

import java.util.Map;
import java.util.Objects;

/**
 * All fit maps of a scan at one moment (DESIGN §4.4).
 *
 * @param scanId         scan identifier
 * @param version        number of energy points included
 * @param finalSnapshot  true for the last snapshot of the scan (all energies)
 * @param width          map width
 * @param height         map height
 * @param maps           map name → float32 row-major pixels, in a stable order (insertion order);
 *                       the arrays belong to this snapshot and are not modified after publication, unless
 *                       it has a lease and every holder released it
 * @param summary        map name → statistics over masked pixels
 * @param whitelineOnly  true if normalization windows had too few energies and edge maps used the whiteline-only mode
 * @param epochMillis    when the snapshot was computed
 * @param bin            1 for maps at the scan's resolution; &gt; 1 for live maps fitted on the stack binned by
 *                       {@code bin × bin} blocks ({@link org.xanestream.processor.ImageBinning}), then
 *                       {@code width = ceil(sourceWidth / bin)}
 * @param sourceWidth    width of the scan's images (= width when bin is 1)
 * @param sourceHeight   height of the scan's images (= height when bin is 1)
 * @param lease          null if the arrays are never reused; else who still reads them ({@link #retain},
 *                       {@link #release}): the fitter reuses them for a later snapshot once all holders released it
 */
public record MapsSnapshot(String scanId, int version, boolean finalSnapshot, int width, int height,
                           Map<String, float[]> maps, Map<String, MapSummary> summary, boolean whitelineOnly,
                           long epochMillis, int bin, int sourceWidth, int sourceHeight, MapsLease lease) {
    public MapsSnapshot {
        Objects.requireNonNull(scanId, "scanId");
        maps = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(maps));
        summary = summary == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(summary));
        if (bin < 1) {
            throw new IllegalArgumentException("bin must be >= 1, got " + bin);
        }
        if (ImageBinning.binnedSize(sourceWidth, bin) != width || ImageBinning.binnedSize(sourceHeight, bin) != height) {
            throw new IllegalArgumentException("maps of " + width + "x" + height + " are not " + sourceWidth + "x"
                    + sourceHeight + " binned by " + bin);
        }
        if (bin > 1 && finalSnapshot) {
            throw new IllegalArgumentException("final maps are always at the scan's resolution, got bin " + bin);
        }
    }

    /** Maps whose arrays are never reused (no lease). */
    public MapsSnapshot(String scanId, int version, boolean finalSnapshot, int width, int height,
                        Map<String, float[]> maps, Map<String, MapSummary> summary, boolean whitelineOnly,
                        long epochMillis, int bin, int sourceWidth, int sourceHeight) {
        this(scanId, version, finalSnapshot, width, height, maps, summary, whitelineOnly, epochMillis, bin, sourceWidth,
                sourceHeight, null);
    }

    /** Maps at the scan's resolution ({@code bin} 1), never reused. */
    public MapsSnapshot(String scanId, int version, boolean finalSnapshot, int width, int height,
                        Map<String, float[]> maps, Map<String, MapSummary> summary, boolean whitelineOnly,
                        long epochMillis) {
        this(scanId, version, finalSnapshot, width, height, maps, summary, whitelineOnly, epochMillis, 1, width, height);
    }

    /**
     * The same live maps (and lease), marked as fitted on the stack of {@code sourceWidth × sourceHeight} binned by
     * {@code bin}.
     */
    public MapsSnapshot binnedFrom(int bin, int sourceWidth, int sourceHeight) {
        return new MapsSnapshot(scanId, version, finalSnapshot, width, height, maps, summary, whitelineOnly, epochMillis,
                bin, sourceWidth, sourceHeight, lease);
    }

    /**
     * Keeps the arrays from reuse until a matching {@link #release}: for a holder that reads them after the call that
     * handed the snapshot over. No-op without a lease.
     *
     * @throws IllegalStateException if every holder already released it
     */
    public MapsSnapshot retain() {
        if (lease != null) {
            lease.retain();
        }
        return this;
    }

    /**
     * This holder no longer reads the arrays; after the last holder the fitter may overwrite them. No-op without a
     * lease.
     *
     * @throws IllegalStateException if released more often than held
     */
    public void release() {
        if (lease != null) {
            lease.release();
        }
    }

    /** Whether the arrays may already hold other maps (every holder released the lease). */
    public boolean released() {
        return lease != null && lease.released();
    }
}
