package org.xanestream.ingest.adzmq;

import java.util.Objects;
import org.xanestream.ingest.AttributeMapping;

/**
 * Configuration of an {@link AdZmqDecoder}.
 *
 * @param attributes        which {@code ndattr} entries carry energy, frame kind and scan id
 * @param legacyShapeOrder  {@code true} if the sender writes {@code shape} as {@code [x, y]} (old
 *                          NDPluginZMQ); {@code false} for the current slow-axis-first {@code [rows, cols]}
 * @param maxFrameBytes     largest accepted decoded frame, 1 to {@link #MAX_FRAME_BYTES_LIMIT}; a header
 *                          declaring more is rejected {@code too_large} before any buffer is taken
 * @param maxHeaderBytes    largest accepted JSON header, 64 bytes to 16 MiB
 * @param bufferWaitMs      how long to wait for a pooled frame buffer before rejecting {@code no_buffer},
 *                          0 to 600000 ms
 */
public record AdZmqConfig(AttributeMapping attributes, boolean legacyShapeOrder, long maxFrameBytes,
                          int maxHeaderBytes, long bufferWaitMs) {
    /** Frame buffers are byte-array backed: the largest frame a pool can hold. */
    public static final long MAX_FRAME_BYTES_LIMIT = Integer.MAX_VALUE - (1 << 17);

    public AdZmqConfig {
        Objects.requireNonNull(attributes, "attributes");
        if (maxFrameBytes < 1 || maxFrameBytes > MAX_FRAME_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxFrameBytes must be in [1, " + MAX_FRAME_BYTES_LIMIT + "], got "
                    + maxFrameBytes);
        }
        if (maxHeaderBytes < 64 || maxHeaderBytes > (16 << 20)) {
            throw new IllegalArgumentException("maxHeaderBytes must be in [64, " + (16 << 20) + "], got "
                    + maxHeaderBytes);
        }
        if (bufferWaitMs < 0 || bufferWaitMs > 600_000) {
            throw new IllegalArgumentException("bufferWaitMs must be in [0, 600000], got " + bufferWaitMs);
        }
    }

    /** Default attribute names, slow-axis-first shape, 256 MiB frames, 1 MiB headers, 2 s buffer wait. */
    public static AdZmqConfig defaults() {
        return new AdZmqConfig(AttributeMapping.defaults(), false, 256L << 20, 1 << 20, 2000);
    }

    public AdZmqConfig withAttributes(AttributeMapping value) {
        return new AdZmqConfig(value, legacyShapeOrder, maxFrameBytes, maxHeaderBytes, bufferWaitMs);
    }

    public AdZmqConfig withLegacyShapeOrder(boolean value) {
        return new AdZmqConfig(attributes, value, maxFrameBytes, maxHeaderBytes, bufferWaitMs);
    }

    public AdZmqConfig withMaxFrameBytes(long value) {
        return new AdZmqConfig(attributes, legacyShapeOrder, value, maxHeaderBytes, bufferWaitMs);
    }

    public AdZmqConfig withBufferWaitMs(long value) {
        return new AdZmqConfig(attributes, legacyShapeOrder, maxFrameBytes, maxHeaderBytes, value);
    }
}
