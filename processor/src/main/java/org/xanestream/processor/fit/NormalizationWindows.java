package org.xanestream.processor.fit;

/**
 * Where the pre-edge and post-edge lines of the edge normalization are fitted, relative to the
 * preset's edge energy (DESIGN §4.4). The pre-edge window is every energy at or below
 * {@code edge − preGapEv}, the post-edge window every energy at or above {@code edge + postGapEv}. A
 * window holding fewer than {@code minEnergies} distinct energies widens toward the edge to
 * {@code edge − preWideGapEv} (resp. {@code edge + postWideGapEv}); if it is still too small the scan is
 * in whiteline-only mode.
 *
 * @param preGapEv       distance below the edge where the pre-edge window ends, eV (default 50)
 * @param preWideGapEv   the same for the widened window, eV, {@code <= preGapEv} (default 20)
 * @param postGapEv      distance above the edge where the post-edge window starts, eV (default 100)
 * @param postWideGapEv  the same for the widened window, eV, {@code <= postGapEv} (default 30)
 * @param minEnergies    distinct energies a window needs, at least 3 (default 3)
 */
public record NormalizationWindows(double preGapEv, double preWideGapEv, double postGapEv, double postWideGapEv,
                                   int minEnergies) {
    public NormalizationWindows {
        checkGap(preGapEv, "preGapEv");
        checkGap(preWideGapEv, "preWideGapEv");
        checkGap(postGapEv, "postGapEv");
        checkGap(postWideGapEv, "postWideGapEv");
        if (preWideGapEv > preGapEv) {
            throw new IllegalArgumentException("preWideGapEv must be <= preGapEv (widening moves toward the edge), got "
                    + preWideGapEv + " > " + preGapEv);
        }
        if (postWideGapEv > postGapEv) {
            throw new IllegalArgumentException("postWideGapEv must be <= postGapEv (widening moves toward the edge), got "
                    + postWideGapEv + " > " + postGapEv);
        }
        if (minEnergies < 3 || minEnergies > 1000) {
            throw new IllegalArgumentException("minEnergies must be in 3..1000 (a line needs a residual), got " + minEnergies);
        }
    }

    private static void checkGap(double v, String name) {
        if (!Double.isFinite(v) || v < 0 || v > 10_000) {
            throw new IllegalArgumentException(name + " must be in 0..10000 eV, got " + v);
        }
    }

    /** DESIGN §4.4: 50/20 eV below, 100/30 eV above the edge, at least 3 energies. */
    public static NormalizationWindows defaults() {
        return new NormalizationWindows(50, 20, 100, 30, 3);
    }
}
