package org.xanestream.processor.fit;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Energies that define the fits of one absorption edge (DESIGN §4.4). All in eV.
 *
 * @param element      element symbol, e.g. {@code Ni}
 * @param edgeEv       nominal edge energy used to place the pre-/post-edge normalization windows
 * @param whitelineLoEv lower end of the whiteline fit window
 * @param whitelineHiEv upper end of the whiteline fit window
 * @param edgeLoEv     lower end of the window searched for the 0.5 crossing of the normalized spectrum
 * @param edgeHiEv     upper end of that window
 */
public record ElementPreset(String element, double edgeEv, double whitelineLoEv, double whitelineHiEv,
                            double edgeLoEv, double edgeHiEv) {

    /**
     * Presets for the K-edges of common battery cathode metals. Ni is the one given in the design;
     * the others put the windows around the edge and whiteline of the usual oxides (2+ to 4+).
     */
    private static final Map<String, ElementPreset> PRESETS = Map.of(
            "ni", new ElementPreset("Ni", 8347, 8347, 8354, 8339, 8348),
            "co", new ElementPreset("Co", 7722, 7722, 7732, 7712, 7724),
            "fe", new ElementPreset("Fe", 7126, 7126, 7136, 7115, 7128),
            "mn", new ElementPreset("Mn", 6552, 6550, 6562, 6542, 6556),
            "cu", new ElementPreset("Cu", 8990, 8990, 9002, 8978, 8992),
            "zn", new ElementPreset("Zn", 9664, 9664, 9674, 9656, 9666));

    public ElementPreset {
        Objects.requireNonNull(element, "element");
        check(edgeEv, "edgeEv");
        check(whitelineLoEv, "whitelineLoEv");
        check(whitelineHiEv, "whitelineHiEv");
        check(edgeLoEv, "edgeLoEv");
        check(edgeHiEv, "edgeHiEv");
        if (!(whitelineHiEv > whitelineLoEv)) {
            throw new IllegalArgumentException("whiteline window of " + element + " must have hi > lo, got "
                    + whitelineLoEv + ".." + whitelineHiEv + " eV");
        }
        if (!(edgeHiEv > edgeLoEv)) {
            throw new IllegalArgumentException("edge window of " + element + " must have hi > lo, got "
                    + edgeLoEv + ".." + edgeHiEv + " eV");
        }
    }

    private static void check(double v, String name) {
        if (!Double.isFinite(v) || v <= 0 || v > 200_000) {
            throw new IllegalArgumentException(name + " must be a positive energy in eV, got " + v);
        }
    }

    /**
     * The preset for an element symbol (case-insensitive).
     *
     * @throws IllegalArgumentException naming the known presets if there is none
     */
    public static ElementPreset of(String element) {
        ElementPreset p = PRESETS.get(element == null ? "" : element.trim().toLowerCase(Locale.ROOT));
        if (p == null) {
            throw new IllegalArgumentException("no element preset '" + element + "'; known: "
                    + String.join(", ", knownElements()));
        }
        return p;
    }

    /** Known preset symbols, sorted. */
    public static java.util.List<String> knownElements() {
        return PRESETS.values().stream().map(ElementPreset::element).sorted().toList();
    }
}
