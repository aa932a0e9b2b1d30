package org.xanestream.ingest.adzmq;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.xanestream.ingest.AttributeJson;
import org.xanestream.ingest.AttributeMapping;
import org.xanestream.ingest.FrameEncoder;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.codec.PayloadEncoder;

/**
 * Encodes frames as NDPluginZMQ {@code array-1.0} messages, the inverse of {@link AdZmqDecoder}.
 *
 * <p>The header carries {@code htype}, {@code type}, {@code shape} ({@code [rows, cols]}, or
 * {@code [x, y]} in legacy order), {@code frame}, {@code timeStamp} (EPICS seconds), {@code encoding}
 * and {@code ndattr} holding the energy (eV or keV; omitted for a dark frame without energy), the
 * frame kind (text or numeric code), the scan id and the header's other attributes as strings.
 *
 * <p>Not thread safe. Allocation: the payload array and the compression scratch are reused while the
 * payload size stays the same (always for uncompressed frames; compressed sizes vary, so a compressed
 * payload usually needs a new exact-length array); the header text is built in a reused builder. The
 * returned list and arrays are overwritten by the next call.
 */
public final class AdZmqEncoder implements FrameEncoder {
    private static final byte[] STOP = "STOP".getBytes(StandardCharsets.US_ASCII);

    private final AdZmqEncoderConfig config;
    private final AttributeMapping mapping;
    private final StringBuilder text = new StringBuilder(512);
    private final byte[][] parts = new byte[2][];
    private final List<byte[]> partsView = Arrays.asList(parts);
    private final PayloadEncoder payload = new PayloadEncoder();

    public AdZmqEncoder(AdZmqEncoderConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.mapping = config.attributes();
    }

    public AdZmqEncoderConfig config() {
        return config;
    }

    /** Nothing precedes the first frame in this protocol. */
    @Override
    public List<List<byte[]>> beginScan(String scanId, int width, int height, PixelType pixelType) {
        return List.of();
    }

    @Override
    public List<byte[]> encodeFrame(FrameHeader header, ByteBuffer pixels) {
        parts[0] = encodeHeader(header).getBytes(StandardCharsets.UTF_8);
        parts[1] = encodePayload(header, pixels);
        return partsView;
    }

    /** The single-part {@code STOP}. */
    @Override
    public List<byte[]> endScan(String scanId) {
        return List.of(STOP);
    }

    /** The JSON header text of a frame (the builder's content; allocates the returned string). */
    public String encodeHeader(FrameHeader h) {
        StringBuilder s = text;
        s.setLength(0);
        s.append("{\"htype\":\"").append(AdZmqDecoder.HTYPE).append("\",\"type\":\"")
                .append(h.pixelType().wireName()).append("\",\"shape\":[");
        if (config.legacyShapeOrder()) {
            s.append(h.width()).append(',').append(h.height());
        } else {
            s.append(h.height()).append(',').append(h.width());
        }
        s.append("],\"frame\":").append(h.frameNumber());
        s.append(",\"timeStamp\":").append(epochNanosToEpics(h.epochNanos()));
        s.append(",\"encoding\":\"").append(config.encoding().wireName()).append("\",\"ndattr\":{");
        AttributeJson.appendMembers(s, h, mapping, config.energyInKev(), config.kindAsNumber());
        s.append("}}");
        return s.toString();
    }

    /** EPICS seconds for Unix nanoseconds; 0 stays 0 (unknown). */
    static double epochNanosToEpics(long epochNanos) {
        if (epochNanos == 0) {
            return 0.0;
        }
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L) - AdZmqDecoder.EPICS_EPOCH_OFFSET_S;
        long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
        return seconds + nanos * 1e-9;
    }

    /**
     * The encoded payload: {@code header.payloadBytes()} bytes of {@code pixels} from index 0, raw or
     * compressed. The returned array is reused by the next call when its length matches.
     */
    public byte[] encodePayload(FrameHeader header, ByteBuffer pixels) {
        int bytes = PayloadEncoder.checkedLength(header.payloadBytes(), pixels);
        switch (config.encoding()) {
            case NONE:
                return payload.raw(pixels, bytes);
            case LZ4:
                return payload.lz4(pixels, bytes);
            case BSLZ4:
                return payload.bitshuffleLz4(pixels, bytes, header.pixelType().bytes(), false);
            default:
                throw new IllegalStateException("unhandled encoding " + config.encoding());
        }
    }
}
