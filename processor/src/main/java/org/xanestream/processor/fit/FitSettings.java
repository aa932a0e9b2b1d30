package org.xanestream.processor.fit;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.xanestream.processor.spectra.ReferenceSpectrum;

/**
 * Configuration of the per-pixel fits of one scan (DESIGN §4.4).
 *
 * @param preset         edge energy and windows of the element
 * @param references     LCF references, in map order ({@code fraction_<name>}); names unique; empty = no LCF
 *                       maps; at most {@value #MAX_REFERENCES} (the non-negative solve enumerates subsets)
 * @param whitelineOrder polynomial order of the whiteline fit, 2 (quadratic, default) or 3 (cubic)
 * @param maskK          a pixel is trusted when {@code edge_jump > maskK · pre_edge_sd} (TXM_Sandbox-style
 *                       edge-jump filter), in 0..1000; default 10: the jump extrapolated from both lines has a
 *                       random error of about 1.5 pre-edge sd, and flat-field artifacts (beam shift against
 *                       detector structure) add systematic background "jumps" of several sd; on the
 *                       simulator's default 512² scan 10 keeps 98 % of background out and 99 % of particles in
 * @param windows        pre-/post-edge normalization windows
 */
public record FitSettings(ElementPreset preset, List<ReferenceSpectrum> references, int whitelineOrder, double maskK,
                          NormalizationWindows windows) {
    /** Upper bound on LCF references: the exact non-negative solve visits up to 2^k subsets per pixel. */
    public static final int MAX_REFERENCES = 8;

    public FitSettings {
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(windows, "windows");
        references = List.copyOf(Objects.requireNonNull(references, "references"));
        if (references.size() > MAX_REFERENCES) {
            throw new IllegalArgumentException("at most " + MAX_REFERENCES + " LCF references, got "
                    + references.size());
        }
        Set<String> names = new HashSet<>();
        for (ReferenceSpectrum r : references) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("LCF reference names must be unique (they name the fraction maps); '"
                        + r.name() + "' appears twice");
            }
        }
        SpectrumEstimators.checkOrder(whitelineOrder);
        if (!Double.isFinite(maskK) || maskK < 0 || maskK > 1000) {
            throw new IllegalArgumentException("maskK must be in 0..1000 (edge jump in units of pre-edge noise), got "
                    + maskK);
        }
    }

    /** Quadratic whiteline, mask at 10 × pre-edge noise, default windows, no references. */
    public static FitSettings defaults(ElementPreset preset) {
        return new FitSettings(preset, List.of(), 2, 10.0, NormalizationWindows.defaults());
    }

    /** A copy with these LCF references. */
    public FitSettings withReferences(List<ReferenceSpectrum> refs) {
        return new FitSettings(preset, refs, whitelineOrder, maskK, windows);
    }

    /** A copy with this whiteline polynomial order. */
    public FitSettings withWhitelineOrder(int order) {
        return new FitSettings(preset, references, order, maskK, windows);
    }

    /** A copy with this mask threshold. */
    public FitSettings withMaskK(double k) {
        return new FitSettings(preset, references, whitelineOrder, k, windows);
    }

    /** A copy with these normalization windows. */
    public FitSettings withWindows(NormalizationWindows w) {
        return new FitSettings(preset, references, whitelineOrder, maskK, w);
    }
}
