package org.xanestream.ingest.dectris;

import java.util.Locale;

import org.xanestream.ingest.PixelType;

/**
 * Image data encodings of DECTRIS stream v1 ({@code dimage_d-1.0} {@code encoding}), all little-endian:
 * {@code <} raw, {@code lz4<} one raw LZ4 block (no size prefix: the size follows from shape × type),
 * {@code bs8-lz4<} / {@code bs16-lz4<} / {@code bs32-lz4<} bitshuffle-LZ4 with the 12-byte header, the
 * number being the element size in bits.
 */
public enum DectrisEncoding {
    /** {@code <}: raw little-endian pixels. */
    RAW,
    /** {@code lz4<}: one LZ4 block. */
    LZ4,
    /** {@code bs<bits>-lz4<}: bitshuffle + LZ4 with its 12-byte header. */
    BITSHUFFLE_LZ4;

    /**
     * The wire name for pixels of {@code type}.
     *
     * @throws IllegalArgumentException for bitshuffle of a type other than 1, 2 or 4 bytes (the protocol
     *                                  names only bs8, bs16 and bs32)
     */
    public String wireName(PixelType type) {
        switch (this) {
            case RAW: return "<";
            case LZ4: return "lz4<";
            default:
                if (type.bytes() > 4) {
                    throw new IllegalArgumentException("DECTRIS bitshuffle encodings cover 8-, 16- and 32-bit"
                            + " pixels, not " + type.wireName());
                }
                return "bs" + (8 * type.bytes()) + "-lz4<";
        }
    }

    /**
     * Parses a wire name.
     *
     * @return the encoding, or {@code null} if the name is not one of {@code <}, {@code lz4<},
     *         {@code bs8-lz4<}, {@code bs16-lz4<}, {@code bs32-lz4<}
     */
    public static DectrisEncoding fromWireName(String name) {
        if (name == null) {
            return null;
        }
        switch (name) {
            case "<": return RAW;
            case "lz4<": return LZ4;
            case "bs8-lz4<":
            case "bs16-lz4<":
            case "bs32-lz4<":
                return BITSHUFFLE_LZ4;
            default: return null;
        }
    }

    /** Element size in bytes named by a bitshuffle wire name ({@code bs16-lz4<} → 2), else 0. */
    public static int bitshuffleElementBytes(String name) {
        switch (name) {
            case "bs8-lz4<": return 1;
            case "bs16-lz4<": return 2;
            case "bs32-lz4<": return 4;
            default: return 0;
        }
    }

    /** Parses a configuration name: {@code raw} (or {@code none}), {@code lz4}, {@code bslz4}; {@code null} otherwise. */
    public static DectrisEncoding fromConfigName(String name) {
        if (name == null) {
            return null;
        }
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "raw": case "none": case "<": return RAW;
            case "lz4": return LZ4;
            case "bslz4": case "bitshuffle-lz4": return BITSHUFFLE_LZ4;
            default: return null;
        }
    }
}
