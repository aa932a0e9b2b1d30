package org.xanestream.ingest.adzmq;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import org.xanestream.ingest.AttributeMapping;
import org.xanestream.ingest.AttributeValues;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.FrameSequenceMonitor;
import org.xanestream.ingest.IngestEvent;
import org.xanestream.ingest.JsonFrameDecoder;
import org.xanestream.ingest.MessageParts;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.RejectReason;
import org.xanestream.ingest.Rejection;
import org.xanestream.ingest.RejectedMessageException;
import org.xanestream.ingest.codec.BitshuffleLz4;
import org.xanestream.ingest.codec.CodecException;
import org.xanestream.ingest.codec.Lz4Block;

/**
 * Decodes areaDetector NDPluginZMQ {@code array-1.0} messages (DESIGN §4.1) into pooled frames.
 *
 * <p>A frame message has two parts: a JSON header
 * {@code {"htype":"array-1.0","type":"uint16","shape":[rows,cols],"frame":N,"timeStamp":T,"encoding":"","ndattr":{..}}}
 * and the little-endian pixels, raw, as one LZ4 block ({@code lz4}) or bitshuffled LZ4 blocks without
 * the 12-byte header ({@code bslz4}, default block size). {@code timeStamp} counts seconds from the
 * EPICS epoch 1990-01-01 UTC. Energy, frame kind and scan id come from {@code ndattr} entries named by
 * the {@link AttributeMapping}; their values may be JSON numbers or strings. The single-part
 * {@code STOP} ends the scan of the most recent frame.
 *
 * <p>Validation follows DESIGN §4.2, every failure a {@link RejectedMessageException} with its
 * {@link RejectReason}: the header is parsed and the declared size checked against
 * {@link AdZmqConfig#maxFrameBytes()} before a pooled buffer is taken, so a header claiming 10^12
 * pixels allocates nothing. Pixels are copied (or decompressed) into the pooled {@link Frame}, so the
 * message buffers may be reused as soon as {@link #decode} returns. Accepted frames are recorded in the
 * {@link FrameSequenceMonitor} (gaps, repeats, per-scan frame size).
 *
 * <p>Not thread safe: one instance per receiver, called on the receiver's thread. Per frame it
 * allocates only small objects (the JSON parser, header record, attribute strings); pixel-sized
 * buffers come from the pool.
 */
public final class AdZmqDecoder extends JsonFrameDecoder<AdZmqConfig> {
    /** The {@code htype} of a frame header. */
    public static final String HTYPE = "array-1.0";
    /** Seconds from the Unix epoch (1970-01-01 UTC) to the EPICS epoch (1990-01-01 UTC). */
    public static final long EPICS_EPOCH_OFFSET_S = 631_152_000L;

    private final AttributeValues attrs;

    // What the parser found in the header of the message being decoded. Reset per message.
    private String htype;
    private String dtype;
    private boolean encodingPresent;
    private String encodingText;
    private int shapeLen;
    private long shape0;
    private long shape1;
    private long frameNumber;
    private double timeStamp;

    /**
     * @param source the endpoint this decoder's messages come from (copied into every header)
     * @param config validated configuration
     * @param pool   where frame buffers come from
     */
    public AdZmqDecoder(String source, AdZmqConfig config, FramePool pool) {
        this(source, config, pool, new FrameSequenceMonitor());
    }

    /** As {@link #AdZmqDecoder(String, AdZmqConfig, FramePool)} with a caller-supplied monitor. */
    public AdZmqDecoder(String source, AdZmqConfig config, FramePool pool, FrameSequenceMonitor monitor) {
        super(source, config, AdZmqConfig::attributes, pool, monitor);
        this.attrs = new AttributeValues(mapping, true);
    }

    @Override
    public IngestEvent decode(MessageParts message) throws RejectedMessageException, InterruptedException {
        int parts = message.count();
        if (parts == 1) {
            return decodeSinglePart(message.part(0));
        }
        if (parts != 2) {
            String text = parts > 0 ? Rejection.headerText(message.part(0), Rejection.MAX_HEADER_CHARS) : "";
            throw new RejectedMessageException(RejectReason.BAD_PARTS,
                    "array-1.0 frames have 2 parts (header, pixels), got " + parts, text);
        }
        try {
            loadHeader(message.part(0));
            parseHeader();
            return decodeFrame(message.part(1));
        } finally {
            clearJson(); // the message's buffers may be reused once this returns
        }
    }

    private IngestEvent decodeSinglePart(ByteBuffer part) throws RejectedMessageException {
        if (isStop(part)) {
            return new EndOfScan(source, endScanInProgress());
        }
        throw new RejectedMessageException(RejectReason.BAD_PARTS,
                "single-part message of " + part.remaining() + " bytes is not STOP",
                Rejection.headerText(part, Rejection.MAX_HEADER_CHARS));
    }

    /** {@code STOP}, tolerating trailing whitespace or NUL bytes. */
    private static boolean isStop(ByteBuffer part) {
        int n = part.remaining();
        if (n < 4 || n > 16) {
            return false;
        }
        int p = part.position();
        if (part.get(p) != 'S' || part.get(p + 1) != 'T' || part.get(p + 2) != 'O' || part.get(p + 3) != 'P') {
            return false;
        }
        for (int i = 4; i < n; i++) {
            byte b = part.get(p + i);
            if (b != 0 && b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private void loadHeader(ByteBuffer header) throws RejectedMessageException {
        int len = header.remaining();
        if (len > config.maxHeaderBytes()) {
            throw new RejectedMessageException(RejectReason.BAD_JSON, "header of " + len
                    + " bytes exceeds maxHeaderBytes " + config.maxHeaderBytes(),
                    Rejection.headerText(header, Rejection.MAX_HEADER_CHARS));
        }
        loadJson(header);
    }

    private void resetParseState() {
        htype = null;
        dtype = null;
        encodingPresent = false;
        encodingText = null;
        shapeLen = -1;
        shape0 = 0;
        shape1 = 0;
        frameNumber = -1;
        timeStamp = Double.NaN;
        attrs.reset();
    }

    private void parseHeader() throws RejectedMessageException {
        resetParseState();
        try (JsonParser p = jsonParser()) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw reject(RejectReason.BAD_JSON, "header is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "htype": htype = stringField(p, v, "htype"); break;
                    case "type": dtype = stringField(p, v, "type"); break;
                    case "shape": parseShape(p, v); break;
                    case "frame": frameNumber = frameField(p, v); break;
                    case "timeStamp": timeStamp = timeStampField(p, v); break;
                    case "encoding":
                        encodingPresent = true;
                        encodingText = v == JsonToken.VALUE_NULL ? null : stringField(p, v, "encoding");
                        break;
                    case "ndattr": parseAttributes(p, v); break;
                    default: p.skipChildren(); break;
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw reject(RejectReason.BAD_JSON, "header object is not closed");
            }
            if (p.nextToken() != null) {
                throw reject(RejectReason.BAD_JSON, "trailing content after the header object");
            }
        } catch (JsonProcessingException e) {
            throw reject(RejectReason.BAD_JSON, "header is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw reject(RejectReason.BAD_JSON, "header could not be read: " + e.getMessage());
        }
    }

    private String stringField(JsonParser p, JsonToken v, String field) throws IOException, RejectedMessageException {
        if (v != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw reject(RejectReason.BAD_JSON, "header field '" + field + "' must be a string, got " + v);
        }
        return p.getText();
    }

    private void parseShape(JsonParser p, JsonToken v) throws IOException, RejectedMessageException {
        if (v != JsonToken.START_ARRAY) {
            p.skipChildren();
            throw reject(RejectReason.BAD_JSON, "header field 'shape' must be an array of integers, got " + v);
        }
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw reject(RejectReason.BAD_JSON, "header field 'shape' must hold integers, got " + t);
            }
            long d = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? (p.getBigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE)
                    : p.getLongValue();
            if (n == 0) {
                shape0 = d;
            } else if (n == 1) {
                shape1 = d;
            }
            n++;
        }
        shapeLen = n;
    }

    private long frameField(JsonParser p, JsonToken v) throws IOException, RejectedMessageException {
        if (v == JsonToken.VALUE_NULL) {
            return -1;
        }
        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p62) {
                return (long) d;
            }
        }
        p.skipChildren();
        throw reject(RejectReason.BAD_JSON, "header field 'frame' must be an integer, got " + v);
    }

    private double timeStampField(JsonParser p, JsonToken v) throws IOException, RejectedMessageException {
        if (v == JsonToken.VALUE_NULL) {
            return Double.NaN;
        }
        if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        p.skipChildren();
        throw reject(RejectReason.BAD_JSON, "header field 'timeStamp' must be a number, got " + v);
    }

    private void parseAttributes(JsonParser p, JsonToken v) throws IOException, RejectedMessageException {
        if (v == JsonToken.VALUE_NULL) {
            return;
        }
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw reject(RejectReason.BAD_JSON, "header field 'ndattr' must be an object, got " + v);
        }
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            attrs.read(p, name, p.nextToken());
        }
        if (t != JsonToken.END_OBJECT) {
            throw reject(RejectReason.BAD_JSON, "'ndattr' object is not closed");
        }
    }

    private IngestEvent decodeFrame(ByteBuffer payload) throws RejectedMessageException, InterruptedException {
        if (htype == null) {
            throw reject(RejectReason.BAD_HTYPE, "header has no 'htype', expected '" + HTYPE + "'");
        }
        if (!HTYPE.equals(htype)) {
            throw reject(RejectReason.BAD_HTYPE, "htype '" + htype + "' is not '" + HTYPE + "'");
        }
        if (dtype == null) {
            throw reject(RejectReason.BAD_DTYPE, "header has no 'type'");
        }
        PixelType pixelType = PixelType.fromWireName(dtype);
        if (pixelType == null) {
            throw reject(RejectReason.BAD_DTYPE, "type '" + dtype
                    + "' is not one of int8, uint8, int16, uint16, int32, uint32, int64, uint64, float32, float64");
        }
        if (shapeLen < 0) {
            throw reject(RejectReason.BAD_JSON, "header has no 'shape'");
        }
        if (shapeLen != 2) {
            throw reject(RejectReason.SIZE_MISMATCH, "shape must have 2 dimensions, got " + shapeLen);
        }
        if (shape0 <= 0 || shape1 <= 0) {
            throw reject(RejectReason.SIZE_MISMATCH, "shape dimensions must be positive, got [" + shape0 + ", "
                    + shape1 + "]");
        }
        int elem = pixelType.bytes();
        int bytes = frameBytes(shape0, shape1, pixelType, config.maxFrameBytes(), "[" + shape0 + ", " + shape1 + "]");
        int width = (int) (config.legacyShapeOrder() ? shape0 : shape1);
        int height = (int) (config.legacyShapeOrder() ? shape1 : shape0);

        AdZmqEncoding encoding = AdZmqEncoding.fromWireName(encodingPresent ? encodingText : null);
        if (encoding == null) {
            throw reject(RejectReason.BAD_ENCODING, "encoding '" + encodingText
                    + "' is not one of '', none, lz4, bslz4");
        }
        int payloadBytes = payload.remaining();
        if (encoding == AdZmqEncoding.NONE && payloadBytes != bytes) {
            throw reject(RejectReason.SIZE_MISMATCH, "payload has " + payloadBytes + " bytes, shape [" + shape0
                    + ", " + shape1 + "] of " + pixelType.wireName() + " needs " + bytes);
        }
        if (encoding != AdZmqEncoding.NONE && payloadBytes == 0) {
            throw reject(RejectReason.DECOMPRESS, encoding.wireName() + " payload is empty, expected "
                    + bytes + " bytes once decompressed");
        }

        if (!attrs.kindPresent()) {
            throw reject(RejectReason.BAD_KIND, "ndattr has no '" + mapping.kindName() + "' attribute");
        }
        FrameKind kind = knownKind(attrs);
        double energyEv = energyEv(kind, attrs, "' attribute");
        String scan = attrs.scanId() != null ? attrs.scanId() : mapping.defaultScanId();
        Frame frame = acquireFrame(scan, width, height, pixelType, bytes, config.bufferWaitMs());
        Map<String, String> attrMap = attrs.extras() == null ? Map.of() : Collections.unmodifiableMap(attrs.extras());
        FrameHeader fh = new FrameHeader(source, scan, frameNumber, kind, energyEv, width, height, pixelType,
                epicsToEpochNanos(timeStamp), attrMap);
        frame.reset(fh);
        try {
            switch (encoding) {
                case NONE:
                    frame.pixels().put(0, payload, payload.position(), bytes);
                    break;
                case LZ4:
                    Lz4Block.decompress(payload, frame.pixels(), 0, bytes);
                    break;
                case BSLZ4:
                    BitshuffleLz4.decompressNoHeader(payload, frame.pixels(), 0, bytes, elem,
                            BitshuffleLz4.defaultBlockElements(elem));
                    break;
                default:
                    throw new IllegalStateException("unhandled encoding " + encoding);
            }
        } catch (CodecException | RuntimeException e) {
            frame.release();
            throw reject(RejectReason.DECOMPRESS, encoding.wireName() + " payload of " + payloadBytes
                    + " bytes did not decode to " + bytes + " bytes: " + e.getMessage());
        }
        accepted(scan, frameNumber, width, height, pixelType);
        return frame;
    }

    /** EPICS seconds (since 1990-01-01 UTC) to Unix nanoseconds; 0 if absent, not positive or absurd. */
    static long epicsToEpochNanos(double epicsSeconds) {
        if (!(epicsSeconds > 0) || epicsSeconds > 8.0e9) {
            return 0;
        }
        double whole = Math.floor(epicsSeconds);
        long nanos = Math.round((epicsSeconds - whole) * 1e9);
        return ((long) whole + EPICS_EPOCH_OFFSET_S) * 1_000_000_000L + nanos;
    }

    @Override
    protected RejectedMessageException reject(RejectReason reason, String detail) {
        return new RejectedMessageException(reason, detail, jsonText(Rejection.MAX_HEADER_CHARS));
    }
}
