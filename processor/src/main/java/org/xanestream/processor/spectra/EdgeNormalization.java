package org.xanestream.processor.spectra;

/**
 * How a raw reference spectrum (e.g. XDI {@code ln(i0/itrans)}) is edge-normalized: a straight line
 * fitted over the pre-edge window is subtracted, the result is divided by the edge step (post-edge line
 * minus pre-edge line at {@code E0}), and, with {@code flatten}, the post-edge slope is removed above
 * {@code E0} so the spectrum sits at 0 before and around 1 after the edge (Athena's "flattened" form).
 * Windows are relative to {@code E0} in eV and are clipped to the measured range.
 *
 * @param e0Ev           edge energy in eV, or NaN to take the energy of the steepest rise of mu
 * @param preFromRelEv   start of the pre-edge window relative to E0 (negative)
 * @param preToRelEv     end of the pre-edge window relative to E0 (negative, above {@code preFromRelEv})
 * @param postFromRelEv  start of the post-edge window relative to E0 (positive)
 * @param postToRelEv    end of the post-edge window relative to E0 (above {@code postFromRelEv})
 * @param flatten        remove the post-edge slope above E0
 */
public record EdgeNormalization(double e0Ev, double preFromRelEv, double preToRelEv,
                                double postFromRelEv, double postToRelEv, boolean flatten) {

    public EdgeNormalization {
        if (!Double.isNaN(e0Ev) && !(Double.isFinite(e0Ev) && e0Ev > 0)) {
            throw new IllegalArgumentException("e0Ev must be a positive energy in eV or NaN (automatic), got " + e0Ev);
        }
        if (!(preFromRelEv < preToRelEv) || !(preToRelEv <= 0) || !Double.isFinite(preFromRelEv)) {
            throw new IllegalArgumentException("pre-edge window must satisfy finite from < to <= 0 eV, got "
                    + preFromRelEv + ".." + preToRelEv);
        }
        if (!(postFromRelEv < postToRelEv) || !(postFromRelEv >= 0) || !Double.isFinite(postToRelEv)) {
            throw new IllegalArgumentException("post-edge window must satisfy 0 <= from < to (finite) eV, got "
                    + postFromRelEv + ".." + postToRelEv);
        }
    }

    /** Automatic E0, pre-edge [-150, -30] eV, post-edge [+50, +300] eV, flattened. */
    public static EdgeNormalization defaults() {
        return new EdgeNormalization(Double.NaN, -150, -30, 50, 300, true);
    }

    /** A copy with a fixed edge energy. */
    public EdgeNormalization withE0Ev(double newE0Ev) {
        return new EdgeNormalization(newE0Ev, preFromRelEv, preToRelEv, postFromRelEv, postToRelEv, flatten);
    }
}
