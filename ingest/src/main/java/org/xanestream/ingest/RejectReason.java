package org.xanestream.ingest;

import java.util.Locale;

/**
 * Why a message was rejected. {@link #code()} is the documented wire vocabulary used in metrics
 * ({@code reason} tag) and on the {@code rejected} Kafka topic.
 */
public enum RejectReason {
    /** Header is not parseable JSON, or a required field has the wrong JSON type. */
    BAD_JSON,
    /** Unknown or missing {@code htype}, or a message of a protocol part out of sequence. */
    BAD_HTYPE,
    /** Unsupported pixel data type. */
    BAD_DTYPE,
    /** Wrong number of message parts. */
    BAD_PARTS,
    /** Payload size does not match shape x dtype, or the shape is not 2D / not positive. */
    SIZE_MISMATCH,
    /** Declared frame size above the configured maximum (checked before allocating). */
    TOO_LARGE,
    /** Missing, non-finite or non-positive energy on a frame that needs one. */
    BAD_ENERGY,
    /** Unknown frame kind. */
    BAD_KIND,
    /** Frame size differs from earlier frames of the same scan. */
    SIZE_CHANGE,
    /** Decompression failed or produced the wrong size. */
    DECOMPRESS,
    /** Unknown {@code encoding}. */
    BAD_ENCODING,
    /** A data message before any series header (DECTRIS). */
    NO_HEADER,
    /** The frame pool had no buffer in time (downstream too slow, drop policy). */
    NO_BUFFER;

    /** The snake_case code, e.g. {@code size_mismatch}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
