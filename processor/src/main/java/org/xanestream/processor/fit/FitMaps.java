package org.xanestream.processor.fit;

import java.util.ArrayList;
import java.util.List;

import org.xanestream.processor.spectra.ReferenceSpectrum;

/**
 * Names of the fit maps (DESIGN §4.4), as they appear in {@link org.xanestream.processor.MapsSnapshot#maps()}
 * and in the {@code map} header of the Kafka {@code maps} topic. Stateless.
 */
public final class FitMaps {
    public static final String WHITELINE_EV = "whiteline_ev";
    public static final String WHITELINE_HEIGHT = "whiteline_height";
    public static final String WHITELINE_SIGMA_EV = "whiteline_sigma_ev";
    public static final String EDGE_EV = "edge_ev";
    public static final String EDGE_JUMP = "edge_jump";
    public static final String PRE_EDGE_SD = "pre_edge_sd";
    public static final String LCF_SCALE = "lcf_scale";
    public static final String R2 = "r2";
    public static final String RSS = "rss";
    public static final String MASK = "mask";

    private FitMaps() {
    }

    /** {@code fraction_<name>}. */
    public static String fraction(String referenceName) {
        return "fraction_" + referenceName;
    }

    /** {@code fraction_<name>_sigma}. */
    public static String fractionSigma(String referenceName) {
        return "fraction_" + referenceName + "_sigma";
    }

    /**
     * The maps a snapshot holds, in its order: whiteline and edge maps, then per reference its fraction
     * and standard error, then {@code lcf_scale}, {@code r2}, {@code rss} (only with references), and
     * {@code mask} last.
     */
    public static List<String> names(List<ReferenceSpectrum> references) {
        List<String> n = new ArrayList<>(List.of(WHITELINE_EV, WHITELINE_HEIGHT, WHITELINE_SIGMA_EV, EDGE_EV,
                EDGE_JUMP, PRE_EDGE_SD));
        for (ReferenceSpectrum r : references) {
            n.add(fraction(r.name()));
            n.add(fractionSigma(r.name()));
        }
        if (!references.isEmpty()) {
            n.add(LCF_SCALE);
            n.add(R2);
            n.add(RSS);
        }
        n.add(MASK);
        return List.copyOf(n);
    }
}
