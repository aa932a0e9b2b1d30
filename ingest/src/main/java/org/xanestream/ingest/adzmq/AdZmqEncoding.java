package org.xanestream.ingest.adzmq;

import java.util.Locale;

/** The {@code encoding} of an {@code array-1.0} payload. */
public enum AdZmqEncoding {
    /** Raw little-endian pixels (wire value empty, absent or {@code none}). */
    NONE(""),
    /** One raw LZ4 block, no size prefix. */
    LZ4("lz4"),
    /** Bitshuffle + LZ4 without the 12-byte header, default block size. */
    BSLZ4("bslz4");

    private final String wireName;

    AdZmqEncoding(String wireName) {
        this.wireName = wireName;
    }

    /** The value written in the header's {@code encoding} field. */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire value, case-insensitively; {@code null}, empty and {@code none} mean {@link #NONE}.
     *
     * @return the encoding, or {@code null} if unknown
     */
    public static AdZmqEncoding fromWireName(String value) {
        if (value == null) {
            return NONE;
        }
        String v = value.trim();
        if (v.isEmpty() || v.equalsIgnoreCase("none")) {
            return NONE;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "lz4": return LZ4;
            case "bslz4": return BSLZ4;
            default: return null;
        }
    }
}
