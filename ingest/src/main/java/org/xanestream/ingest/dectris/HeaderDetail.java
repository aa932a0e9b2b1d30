package org.xanestream.ingest.dectris;

import java.util.Locale;

/**
 * The {@code header_detail} of a DECTRIS stream v1 series header ({@code dheader-1.0}): how many parts
 * the header message has, not counting the optional trailing header appendix.
 */
public enum HeaderDetail {
    /** Only the {@code dheader-1.0} part. */
    NONE(1),
    /** Plus the detector configuration JSON. */
    BASIC(2),
    /**
     * Plus the flat field, the pixel mask and the count-rate table, each a JSON part
     * ({@code dflatfield-1.0}, {@code dpixelmask-1.0}, {@code dcountrate_table-1.0}) and a data part.
     */
    ALL(8);

    private final int parts;

    HeaderDetail(int parts) {
        this.parts = parts;
    }

    /** Parts of the header message without an appendix (1, 2 or 8). */
    public int parts() {
        return parts;
    }

    /** The wire name: {@code none}, {@code basic} or {@code all}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name (case-insensitive); {@code null} if it is none of them. */
    public static HeaderDetail fromWireName(String name) {
        if (name == null) {
            return null;
        }
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "none": return NONE;
            case "basic": return BASIC;
            case "all": return ALL;
            default: return null;
        }
    }
}
