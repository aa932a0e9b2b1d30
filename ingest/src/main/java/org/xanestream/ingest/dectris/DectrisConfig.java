package org.xanestream.ingest.dectris;

import java.util.Objects;

import org.xanestream.ingest.AttributeMapping;

/**
 * Configuration of a {@link DectrisStreamDecoder}.
 *
 * @param attributes     which appendix entries carry energy, frame kind and scan id
 * @param maxFrameBytes  largest accepted decoded image, 1 to {@link #MAX_FRAME_BYTES_LIMIT}; an image
 *                       declaring more is rejected {@code too_large} before any buffer is taken, and a
 *                       pixel mask may have at most this many pixels
 * @param maxJsonBytes   largest accepted JSON part (headers, detector configuration, appendices),
 *                       64 bytes to 16 MiB
 * @param bufferWaitMs   how long to wait for a pooled frame buffer before rejecting {@code no_buffer},
 *                       0 to 600000 ms
 */
public record DectrisConfig(AttributeMapping attributes, long maxFrameBytes, int maxJsonBytes, long bufferWaitMs) {
    /** Frame buffers are byte-array backed: the largest frame a pool can hold. */
    public static final long MAX_FRAME_BYTES_LIMIT = Integer.MAX_VALUE - (1 << 17);

    public DectrisConfig {
        Objects.requireNonNull(attributes, "attributes");
        if (maxFrameBytes < 1 || maxFrameBytes > MAX_FRAME_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxFrameBytes must be in [1, " + MAX_FRAME_BYTES_LIMIT + "], got "
                    + maxFrameBytes);
        }
        if (maxJsonBytes < 64 || maxJsonBytes > (16 << 20)) {
            throw new IllegalArgumentException("maxJsonBytes must be in [64, " + (16 << 20) + "], got " + maxJsonBytes);
        }
        if (bufferWaitMs < 0 || bufferWaitMs > 600_000) {
            throw new IllegalArgumentException("bufferWaitMs must be in [0, 600000], got " + bufferWaitMs);
        }
    }

    /** Default attribute names, 256 MiB frames, 1 MiB JSON parts, 2 s buffer wait. */
    public static DectrisConfig defaults() {
        return new DectrisConfig(AttributeMapping.defaults(), 256L << 20, 1 << 20, 2000);
    }

    public DectrisConfig withAttributes(AttributeMapping value) {
        return new DectrisConfig(value, maxFrameBytes, maxJsonBytes, bufferWaitMs);
    }

    public DectrisConfig withMaxFrameBytes(long value) {
        return new DectrisConfig(attributes, value, maxJsonBytes, bufferWaitMs);
    }

    public DectrisConfig withMaxJsonBytes(int value) {
        return new DectrisConfig(attributes, maxFrameBytes, value, bufferWaitMs);
    }

    public DectrisConfig withBufferWaitMs(long value) {
        return new DectrisConfig(attributes, maxFrameBytes, maxJsonBytes, value);
    }
}
