package org.xanestream.ingest;

import java.util.Map;
import java.util.Objects;

/**
 * Immutable metadata of one detector frame.
 *
 * @param source        the endpoint the frame came from (e.g. {@code tcp://127.0.0.1:5555})
 * @param scanId        scan identifier; never null (a receiver without scan ids uses a configured default)
 * @param frameNumber   the sender's frame counter ({@code frame} / DECTRIS {@code frame}), -1 if unknown
 * @param kind          dark, flat, sample or pre-normalized transmission
 * @param energyEv      photon energy in eV; NaN allowed only for dark frames
 * @param width         pixels along x (fast axis, columns)
 * @param height        pixels along y (slow axis, rows)
 * @param pixelType     storage type of the pixels
 * @param epochNanos    acquisition time, nanoseconds since 1970-01-01 UTC, or 0 if unknown
 * @param attributes    remaining sender attributes as text (ADZMQ {@code ndattr}, DECTRIS appendix); not modified
 */
public record FrameHeader(String source, String scanId, long frameNumber, FrameKind kind, double energyEv,
                          int width, int height, PixelType pixelType, long epochNanos,
                          Map<String, String> attributes) {

    public FrameHeader {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(pixelType, "pixelType");
        attributes = attributes == null ? Map.of() : attributes;
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
        if (kind != FrameKind.DARK && !(Double.isFinite(energyEv) && energyEv > 0)) {
            throw new IllegalArgumentException("energyEv must be finite and > 0 for " + kind + " frames, got " + energyEv);
        }
    }

    /** Number of pixels, {@code width * height}. */
    public long pixelCount() {
        return (long) width * height;
    }

    /** Payload size in bytes. */
    public long payloadBytes() {
        return pixelCount() * pixelType.bytes();
    }
}
