package org.xanestream.ingest;

import java.util.Locale;
import java.util.Objects;

/**
 * How sender attributes map to energy, frame kind and scan id (ADZMQ {@code ndattr}, DECTRIS appendix).
 * Names and numeric kind codes are configurable; text kinds are matched case-insensitively:
 * {@code Projection/Sample/Data} sample, {@code FlatField/Flat/Bkg/Background} flat,
 * {@code DarkField/Dark} dark, {@code Transmission/Normalized} pre-normalized transmission.
 *
 * @param energyName    attribute holding the energy (keV if below 100, else eV)
 * @param kindName      attribute holding the frame kind
 * @param scanIdName    attribute holding the scan id
 * @param sampleCode    numeric kind code of sample frames
 * @param flatCode      numeric kind code of flat frames
 * @param darkCode      numeric kind code of dark frames
 * @param defaultScanId scan id used when the attribute is absent
 */
public record AttributeMapping(String energyName, String kindName, String scanIdName,
                               int sampleCode, int flatCode, int darkCode, String defaultScanId) {

    /** The energy value at or above which a number is taken as eV rather than keV. */
    public static final double KEV_LIMIT = 100.0;

    public AttributeMapping {
        requireName(energyName, "energyName");
        requireName(kindName, "kindName");
        requireName(scanIdName, "scanIdName");
        Objects.requireNonNull(defaultScanId, "defaultScanId");
        if (sampleCode == flatCode || sampleCode == darkCode || flatCode == darkCode) {
            throw new IllegalArgumentException("frame kind codes must differ, got sample=" + sampleCode
                    + " flat=" + flatCode + " dark=" + darkCode);
        }
    }

    private static void requireName(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    /** Defaults: {@code Energy}, {@code FrameType}, {@code ScanId}; 0 sample, 1 flat, 2 dark; scan id "scan". */
    public static AttributeMapping defaults() {
        return new AttributeMapping("Energy", "FrameType", "ScanId", 0, 1, 2, "scan");
    }

    /**
     * Parses a frame kind given as text or as a number.
     *
     * @return the kind, or {@code null} if the value names no kind
     */
    public FrameKind parseKind(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return null;
        }
        char c = v.charAt(0);
        if ((c >= '0' && c <= '9') || c == '-' || c == '+') {
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                return null;
            }
            if (d != Math.rint(d)) {
                return null;
            }
            return kindOfCode((int) d);
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "projection": case "sample": case "data": return FrameKind.SAMPLE;
            case "flatfield": case "flat": case "bkg": case "background": return FrameKind.FLAT;
            case "darkfield": case "dark": return FrameKind.DARK;
            case "transmission": case "normalized": return FrameKind.TRANSMISSION;
            default: return null;
        }
    }

    /** The kind a numeric code stands for (sample, flat or dark code), or {@code null}. */
    public FrameKind kindOfCode(int code) {
        if (code == sampleCode) {
            return FrameKind.SAMPLE;
        }
        if (code == flatCode) {
            return FrameKind.FLAT;
        }
        if (code == darkCode) {
            return FrameKind.DARK;
        }
        return null;
    }

    /**
     * Converts an energy value to eV: values below {@link #KEV_LIMIT} are keV.
     *
     * @return the energy in eV, or NaN if the value is not a finite positive number
     */
    public static double toEv(double value) {
        if (!Double.isFinite(value) || value <= 0) {
            return Double.NaN;
        }
        return value < KEV_LIMIT ? value * 1000.0 : value;
    }
}
