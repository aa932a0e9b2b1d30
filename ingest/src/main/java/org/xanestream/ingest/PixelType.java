package org.xanestream.ingest;

import java.util.Locale;

/**
 * Pixel data types a frame may carry, stored little-endian. The names are the areaDetector ZMQ
 * {@code type} strings.
 */
public enum PixelType {
    INT8(1, false), UINT8(1, false), INT16(2, false), UINT16(2, false), INT32(4, false), UINT32(4, false),
    INT64(8, false), UINT64(8, false), FLOAT32(4, true), FLOAT64(8, true);

    private final int bytes;
    private final boolean floating;

    PixelType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    /** Bytes per pixel. */
    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return floating;
    }

    /** The wire name ({@code uint16}, {@code float32}, ...). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name; accepts {@code float}/{@code double} as aliases of float32/float64.
     *
     * @return the type, or {@code null} if the name is not a supported dtype
     */
    public static PixelType fromWireName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "float": return FLOAT32;
            case "double": return FLOAT64;
            default:
                for (PixelType t : values()) {
                    if (t.wireName().equals(n)) {
                        return t;
                    }
                }
                return null;
        }
    }
}
