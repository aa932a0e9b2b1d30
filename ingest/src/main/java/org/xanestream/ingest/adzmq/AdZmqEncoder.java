package org.xanestream.ingest.adzmq;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.xanestream.ingest.AttributeMapping;
import org.xanestream.ingest.FrameEncoder;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.codec.BitshuffleLz4;
import org.xanestream.ingest.codec.Lz4Block;

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
    private byte[] payload = new byte[0];
    private ByteBuffer scratch = ByteBuffer.allocate(0);

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
        boolean first = true;
        if (Double.isFinite(h.energyEv())) {
            appendName(s, mapping.energyName(), first);
            s.append(config.energyInKev() ? h.energyEv() / 1000.0 : h.energyEv());
            first = false;
        }
        appendName(s, mapping.kindName(), first);
        if (config.kindAsNumber() && h.kind() != FrameKind.TRANSMISSION) {
            s.append(kindCode(h.kind()));
        } else {
            appendString(s, kindText(h.kind()));
        }
        appendName(s, mapping.scanIdName(), false);
        appendString(s, h.scanId());
        for (Map.Entry<String, String> e : h.attributes().entrySet()) {
            String name = e.getKey();
            if (name.equals(mapping.energyName()) || name.equals(mapping.kindName())
                    || name.equals(mapping.scanIdName()) || e.getValue() == null) {
                continue;
            }
            appendName(s, name, false);
            appendString(s, e.getValue());
        }
        s.append("}}");
        return s.toString();
    }

    private int kindCode(FrameKind kind) {
        switch (kind) {
            case DARK: return mapping.darkCode();
            case FLAT: return mapping.flatCode();
            default: return mapping.sampleCode();
        }
    }

    private static String kindText(FrameKind kind) {
        switch (kind) {
            case DARK: return "DarkField";
            case FLAT: return "FlatField";
            case TRANSMISSION: return "Transmission";
            default: return "Projection";
        }
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

    private static void appendName(StringBuilder s, String name, boolean first) {
        if (!first) {
            s.append(',');
        }
        appendString(s, name);
        s.append(':');
    }

    private static void appendString(StringBuilder s, String v) {
        s.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"': s.append("\\\""); break;
                case '\\': s.append("\\\\"); break;
                case '\n': s.append("\\n"); break;
                case '\r': s.append("\\r"); break;
                case '\t': s.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        s.append(String.format("\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
            }
        }
        s.append('"');
    }

    /**
     * The encoded payload: {@code header.payloadBytes()} bytes of {@code pixels} from index 0, raw or
     * compressed. The returned array is reused by the next call when its length matches.
     */
    public byte[] encodePayload(FrameHeader header, ByteBuffer pixels) {
        int bytes = Math.toIntExact(header.payloadBytes());
        if (pixels.limit() < bytes) {
            throw new IllegalArgumentException("pixels hold " + pixels.limit() + " bytes, header needs " + bytes);
        }
        int elem = header.pixelType().bytes();
        switch (config.encoding()) {
            case NONE: {
                byte[] out = reusable(bytes);
                pixels.get(0, out, 0, bytes);
                return out;
            }
            case LZ4: {
                ensureScratch(Lz4Block.maxCompressedLength(bytes));
                int n = Lz4Block.compress(pixels, 0, bytes, scratch, 0);
                return copyScratch(n);
            }
            case BSLZ4: {
                int block = BitshuffleLz4.defaultBlockElements(elem);
                ensureScratch(BitshuffleLz4.maxCompressedLength(bytes, elem, block));
                int n = BitshuffleLz4.compress(window(pixels, bytes), scratch, 0, elem, block, false);
                return copyScratch(n);
            }
            default:
                throw new IllegalStateException("unhandled encoding " + config.encoding());
        }
    }

    /** A view of {@code pixels[0, bytes)} without touching the caller's position and limit. */
    private ByteBuffer window(ByteBuffer pixels, int bytes) {
        ByteBuffer w = pixels.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        w.position(0).limit(bytes);
        return w;
    }

    private void ensureScratch(int capacity) {
        if (scratch.capacity() < capacity) {
            scratch = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        }
        scratch.clear();
    }

    private byte[] copyScratch(int n) {
        byte[] out = reusable(n);
        scratch.get(0, out, 0, n);
        return out;
    }

    private byte[] reusable(int n) {
        if (payload.length != n) {
            payload = new byte[n];
        }
        return payload;
    }
}
