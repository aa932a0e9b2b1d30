package org.xanestream.ingest.dectris;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.HashMap;
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
 * Decodes the DECTRIS SIMPLON stream v1 ("legacy" stream) into pooled frames (DESIGN §4.1).
 *
 * <p>Messages, each one multipart ZMQ message, told apart by the {@code htype} of the first part:
 * <ul>
 *   <li>series header: {@code {"htype":"dheader-1.0","series":S,"header_detail":"none|basic|all"}};
 *       with {@code basic} also the detector configuration JSON; with {@code all} also
 *       {@code dflatfield-1.0} + data, {@code dpixelmask-1.0} + data and {@code dcountrate_table-1.0} +
 *       data (1, 2 or 8 parts), plus an optional header appendix part. Returns {@code null}.</li>
 *   <li>image: {@code {"htype":"dimage-1.0","series":S,"frame":N,"hash":..}},
 *       {@code {"htype":"dimage_d-1.0","shape":[x,y],"type":"uint16","encoding":"bs16-lz4<","size":B}},
 *       the data ({@code B} bytes), {@code {"htype":"dconfig-1.0","start_time":..,"stop_time":..,"real_time":..}},
 *       plus an optional image appendix part (4 or 5 parts). Returns a {@link Frame}.</li>
 *   <li>{@code {"htype":"dseries_end-1.0","series":S}} (1 part). Returns an {@link EndOfScan}.</li>
 * </ul>
 * Note {@code shape} is {@code [x, y]} (width first). Encodings: see {@link DectrisEncoding}. The
 * {@code hash} is not verified, and frames get {@code epochNanos} 0 (unknown): {@code dconfig-1.0}
 * times count from the start of the series, not from a calendar epoch.
 *
 * <p>Energy, frame kind and scan id come from top-level entries of the appendix JSON object named by
 * the {@link AttributeMapping} (numbers or strings), looked up in the image appendix first, then in the
 * header appendix of the series (for values that hold for the whole series, e.g. the scan id). Other
 * scalar appendix entries become frame attributes. Dark frames may omit the energy.
 *
 * <p>The pixel mask of an {@code all} header (uint32 per pixel, nonzero = bad, shape {@code [x, y]}) is
 * converted once per series to one immutable {@code byte[]} (1 = bad) that every frame of the series
 * with the same width and height shares through {@link Frame#setPixelMask}.
 *
 * <p>Validation (DESIGN §4.2), each failure a {@link RejectedMessageException} with its reason: wrong
 * part count ({@code bad_parts}), unparseable JSON ({@code bad_json}), unexpected {@code htype} in any
 * part ({@code bad_htype}), an image before any header or of another series than the current header
 * ({@code no_header}), unknown encoding or a bitshuffle width that does not match the type
 * ({@code bad_encoding}), unsupported type ({@code bad_dtype}), data part size unequal to {@code size}
 * or to shape × type for raw data, or a mask whose data does not match its shape
 * ({@code size_mismatch}), declared image size above {@link DectrisConfig#maxFrameBytes()} — checked
 * before a buffer is taken — ({@code too_large}), corrupt compressed data ({@code decompress}),
 * missing/unknown kind ({@code bad_kind}) or energy ({@code bad_energy}), a frame size that differs
 * from the scan's first frame ({@code size_change}). A rejected header leaves the previous series
 * state untouched; a rejected image changes no state. Gaps and repeats of frame numbers are counted by
 * the {@link FrameSequenceMonitor}.
 *
 * <p>Receivers must accept at least {@link #MAX_PARTS} parts per message (an {@code all} header with
 * appendix).
 *
 * <p>Not thread safe: one instance per receiver, called on the receiver's thread. Per image it
 * allocates only small objects (JSON parsers, the header record, attribute strings); pixel buffers come
 * from the pool; the mask is allocated once per series header.
 */
public final class DectrisStreamDecoder extends JsonFrameDecoder<DectrisConfig> {
    public static final String HTYPE_HEADER = "dheader-1.0";
    public static final String HTYPE_IMAGE = "dimage-1.0";
    public static final String HTYPE_IMAGE_DATA = "dimage_d-1.0";
    public static final String HTYPE_IMAGE_CONFIG = "dconfig-1.0";
    public static final String HTYPE_FLATFIELD = "dflatfield-1.0";
    public static final String HTYPE_PIXEL_MASK = "dpixelmask-1.0";
    public static final String HTYPE_COUNTRATE_TABLE = "dcountrate_table-1.0";
    public static final String HTYPE_SERIES_END = "dseries_end-1.0";
    /** Most parts of any message: an {@code all} header (8) with its appendix. */
    public static final int MAX_PARTS = HeaderDetail.ALL.parts() + 1;

    // Series state, replaced as a whole by a valid header, cleared by the series end.
    private boolean haveHeader;
    private long seriesId = -1;
    private HeaderDetail headerDetail;
    private byte[] pixelMask;
    private int maskWidth;
    private int maskHeight;
    private AttributeValues headerAppendix = new AttributeValues(mapping, false);

    // The message being decoded (for reject texts).
    private MessageParts message;
    private boolean imageMessage;

    // Fields of the last parsed protocol part; reset per part.
    private String fHtype;
    private long fSeries;
    private long fFrame;
    private String fHeaderDetail;
    private int fShapeLen;
    private long fShape0;
    private long fShape1;
    private long fShape2;
    private String fType;
    private String fEncoding;
    private long fSize;

    private final AttributeValues imageAppendix = new AttributeValues(mapping, false);

    /**
     * @param source the endpoint this decoder's messages come from (copied into every header)
     * @param config validated configuration
     * @param pool   where frame buffers come from
     */
    public DectrisStreamDecoder(String source, DectrisConfig config, FramePool pool) {
        this(source, config, pool, new FrameSequenceMonitor());
    }

    /** As {@link #DectrisStreamDecoder(String, DectrisConfig, FramePool)} with a caller-supplied monitor. */
    public DectrisStreamDecoder(String source, DectrisConfig config, FramePool pool, FrameSequenceMonitor monitor) {
        super(source, config, DectrisConfig::attributes, pool, monitor);
    }

    /** Whether a series header is in force (between a valid {@code dheader-1.0} and the series end). */
    public boolean hasSeriesHeader() {
        return haveHeader;
    }

    /** The series id of the header in force, -1 if none or not given. */
    public long seriesId() {
        return seriesId;
    }

    /** The header detail of the series in force, {@code null} if none. */
    public HeaderDetail headerDetail() {
        return headerDetail;
    }

    /** The pixel mask of the series in force (1 = bad, shared, do not modify), {@code null} if none. */
    public byte[] pixelMask() {
        return pixelMask;
    }

    @Override
    public IngestEvent decode(MessageParts msg) throws RejectedMessageException, InterruptedException {
        message = msg;
        imageMessage = false;
        try {
            int n = msg.count();
            if (n == 0) {
                throw reject(RejectReason.BAD_PARTS, "message has no parts");
            }
            parseProtocolPart(msg.part(0), 1);
            if (fHtype == null) {
                throw reject(RejectReason.BAD_HTYPE, "first part has no 'htype'");
            }
            switch (fHtype) {
                case HTYPE_IMAGE:
                    imageMessage = true;
                    return decodeImage(msg);
                case HTYPE_HEADER:
                    decodeHeader(msg);
                    return null;
                case HTYPE_SERIES_END:
                    return decodeSeriesEnd(msg);
                default:
                    throw reject(RejectReason.BAD_HTYPE, "htype '" + fHtype + "' of the first part is not "
                            + HTYPE_HEADER + ", " + HTYPE_IMAGE + " or " + HTYPE_SERIES_END);
            }
        } finally {
            message = null;
            clearJson();
        }
    }

    // ---- series header --------------------------------------------------------------------------

    private void decodeHeader(MessageParts msg) throws RejectedMessageException {
        int n = msg.count();
        long series = fSeries;
        HeaderDetail detail = HeaderDetail.fromWireName(fHeaderDetail);
        if (detail == null) {
            throw reject(RejectReason.BAD_JSON, "header_detail '" + fHeaderDetail + "' is not none, basic or all");
        }
        if (n != detail.parts() && n != detail.parts() + 1) {
            throw reject(RejectReason.BAD_PARTS, "a '" + detail.wireName() + "' series header has "
                    + detail.parts() + " parts (+1 optional appendix), got " + n);
        }
        if (detail != HeaderDetail.NONE) {
            requireJsonObject(msg.part(1), 2, "detector configuration");
        }
        byte[] mask = null;
        int mw = 0;
        int mh = 0;
        if (detail == HeaderDetail.ALL) {
            parseProtocolPart(msg.part(2), 3);
            requireHtype(HTYPE_FLATFIELD, 3);
            parseProtocolPart(msg.part(6), 7);
            requireHtype(HTYPE_COUNTRATE_TABLE, 7);
            parseProtocolPart(msg.part(4), 5);
            requireHtype(HTYPE_PIXEL_MASK, 5);
            if (fShapeLen != 2 || fShape0 <= 0 || fShape1 <= 0) {
                throw reject(RejectReason.SIZE_MISMATCH, "pixel mask shape must be [x, y] with positive sizes, got "
                        + shapeText());
            }
            PixelType maskType = fType == null ? PixelType.UINT32 : PixelType.fromWireName(fType);
            if (maskType == null || maskType.isFloating()) {
                throw reject(RejectReason.BAD_DTYPE, "pixel mask type '" + fType + "' is not an integer type");
            }
            if (fShape0 > config.maxFrameBytes() || fShape1 > config.maxFrameBytes()
                    || fShape0 * fShape1 > config.maxFrameBytes()) {
                throw reject(RejectReason.TOO_LARGE, "pixel mask " + shapeText() + " has more pixels than maxFrameBytes "
                        + config.maxFrameBytes());
            }
            long maskBytes = fShape0 * fShape1 * maskType.bytes();
            ByteBuffer data = msg.part(5);
            if (data.remaining() != maskBytes) {
                throw reject(RejectReason.SIZE_MISMATCH, "pixel mask data has " + data.remaining() + " bytes, shape "
                        + shapeText() + " of " + maskType.wireName() + " needs " + maskBytes);
            }
            mw = (int) fShape0;
            mh = (int) fShape1;
            mask = toMask(data, mw * mh, maskType.bytes());
        }
        AttributeValues appendix = new AttributeValues(mapping, false);
        if (n == detail.parts() + 1) {
            // The header appendix is free text to DECTRIS; only a JSON object contributes attributes.
            if (!parseAppendix(msg.part(n - 1), n, appendix, true)) {
                appendix.reset();
            }
        }
        // Valid: replace the series state as a whole.
        endScanInProgress();
        haveHeader = true;
        seriesId = series;
        headerDetail = detail;
        pixelMask = mask;
        maskWidth = mw;
        maskHeight = mh;
        headerAppendix = appendix;
    }

    /** Nonzero elements (little-endian, {@code elemBytes} each) become 1. */
    private static byte[] toMask(ByteBuffer data, int pixels, int elemBytes) {
        byte[] mask = new byte[pixels];
        int p = data.position();
        for (int i = 0; i < pixels; i++) {
            int o = p + i * elemBytes;
            boolean bad = false;
            for (int b = 0; b < elemBytes; b++) {
                if (data.get(o + b) != 0) {
                    bad = true;
                    break;
                }
            }
            mask[i] = bad ? (byte) 1 : (byte) 0;
        }
        return mask;
    }

    // ---- series end -----------------------------------------------------------------------------

    private IngestEvent decodeSeriesEnd(MessageParts msg) throws RejectedMessageException {
        if (msg.count() != 1) {
            throw reject(RejectReason.BAD_PARTS, "a series end has 1 part, got " + msg.count());
        }
        String ended = endScanInProgress();
        haveHeader = false;
        seriesId = -1;
        headerDetail = null;
        pixelMask = null;
        headerAppendix = new AttributeValues(mapping, false);
        return new EndOfScan(source, ended);
    }

    // ---- image ----------------------------------------------------------------------------------

    private IngestEvent decodeImage(MessageParts msg) throws RejectedMessageException, InterruptedException {
        if (!haveHeader) {
            throw reject(RejectReason.NO_HEADER, "image before any " + HTYPE_HEADER + " series header");
        }
        if (fSeries >= 0 && seriesId >= 0 && fSeries != seriesId) {
            throw reject(RejectReason.NO_HEADER, "image of series " + fSeries + " but the series header in force is of"
                    + " series " + seriesId + " (its header was lost)");
        }
        long frameNumber = fFrame;
        int n = msg.count();
        if (n != 4 && n != 5) {
            throw reject(RejectReason.BAD_PARTS, "an image has 4 parts (+1 optional appendix), got " + n);
        }

        parseProtocolPart(msg.part(1), 2);
        requireHtype(HTYPE_IMAGE_DATA, 2);
        if (fType == null) {
            throw reject(RejectReason.BAD_DTYPE, HTYPE_IMAGE_DATA + " has no 'type'");
        }
        PixelType pixelType = PixelType.fromWireName(fType);
        if (pixelType == null) {
            throw reject(RejectReason.BAD_DTYPE, "type '" + fType + "' is not a supported pixel type");
        }
        if (fShapeLen < 0) {
            throw reject(RejectReason.BAD_JSON, HTYPE_IMAGE_DATA + " has no 'shape'");
        }
        if (!(fShapeLen == 2 || (fShapeLen == 3 && fShape2 == 1)) || fShape0 <= 0 || fShape1 <= 0) {
            throw reject(RejectReason.SIZE_MISMATCH, "shape must be [x, y] with positive sizes, got " + shapeText());
        }
        int elem = pixelType.bytes();
        int bytes = frameBytes(fShape0, fShape1, pixelType, config.maxFrameBytes(), shapeText());
        int width = (int) fShape0;
        int height = (int) fShape1;
        if (fEncoding == null) {
            throw reject(RejectReason.BAD_ENCODING, HTYPE_IMAGE_DATA + " has no 'encoding'");
        }
        DectrisEncoding encoding = DectrisEncoding.fromWireName(fEncoding);
        if (encoding == null) {
            throw reject(RejectReason.BAD_ENCODING, "encoding '" + fEncoding
                    + "' is not one of <, lz4<, bs8-lz4<, bs16-lz4<, bs32-lz4<");
        }
        if (encoding == DectrisEncoding.BITSHUFFLE_LZ4 && DectrisEncoding.bitshuffleElementBytes(fEncoding) != elem) {
            throw reject(RejectReason.BAD_ENCODING, "encoding '" + fEncoding + "' does not match type "
                    + pixelType.wireName() + " (" + 8 * elem + " bits)");
        }
        ByteBuffer data = msg.part(2);
        int dataBytes = data.remaining();
        if (fSize >= 0 && fSize != dataBytes) {
            throw reject(RejectReason.SIZE_MISMATCH, "data part has " + dataBytes + " bytes, " + HTYPE_IMAGE_DATA
                    + " declares size " + fSize);
        }
        if (encoding == DectrisEncoding.RAW && dataBytes != bytes) {
            throw reject(RejectReason.SIZE_MISMATCH, "raw data has " + dataBytes + " bytes, shape " + shapeText()
                    + " of " + pixelType.wireName() + " needs " + bytes);
        }
        if (encoding != DectrisEncoding.RAW && dataBytes == 0) {
            throw reject(RejectReason.DECOMPRESS, fEncoding + " data is empty, expected " + bytes
                    + " bytes once decompressed");
        }

        parseProtocolPart(msg.part(3), 4);
        requireHtype(HTYPE_IMAGE_CONFIG, 4);

        AttributeValues img = imageAppendix;
        img.reset();
        if (n == 5) {
            parseAppendix(msg.part(4), 5, img, false);
        }
        AttributeValues hdr = headerAppendix;
        if (!img.kindPresent() && !hdr.kindPresent()) {
            throw reject(RejectReason.BAD_KIND, "neither the image nor the header appendix has '" + mapping.kindName()
                    + "'");
        }
        FrameKind kind = knownKind(img.kindPresent() ? img : hdr);
        double energyEv = energyEv(kind, img.energyPresent() ? img : hdr, "' in its appendix");
        String scan = img.scanId() != null ? img.scanId() : hdr.scanId() != null ? hdr.scanId() : mapping.defaultScanId();
        Frame frame = acquireFrame(scan, width, height, pixelType, bytes, config.bufferWaitMs());
        frame.reset(new FrameHeader(source, scan, frameNumber, kind, energyEv, width, height, pixelType, 0L,
                attributes(hdr, img)));
        try {
            switch (encoding) {
                case RAW:
                    frame.pixels().put(0, data, data.position(), bytes);
                    break;
                case LZ4:
                    Lz4Block.decompress(data, frame.pixels(), 0, bytes);
                    break;
                default:
                    BitshuffleLz4.decompressWithHeader(data, frame.pixels(), 0, bytes, elem);
                    break;
            }
        } catch (CodecException | RuntimeException e) {
            frame.release();
            throw reject(RejectReason.DECOMPRESS, fEncoding + " data of " + dataBytes + " bytes did not decode to "
                    + bytes + " bytes: " + e.getMessage());
        }
        if (pixelMask != null && maskWidth == width && maskHeight == height) {
            frame.setPixelMask(pixelMask);
        }
        accepted(scan, frameNumber, width, height, pixelType);
        return frame;
    }

    private static Map<String, String> attributes(AttributeValues hdr, AttributeValues img) {
        if (hdr.extras() == null && img.extras() == null) {
            return Map.of();
        }
        HashMap<String, String> all = new HashMap<>();
        if (hdr.extras() != null) {
            all.putAll(hdr.extras());
        }
        if (img.extras() != null) {
            all.putAll(img.extras());
        }
        return Collections.unmodifiableMap(all);
    }

    // ---- JSON parts -----------------------------------------------------------------------------

    private void load(ByteBuffer part, int partNumber) throws RejectedMessageException {
        int len = part.remaining();
        if (len > config.maxJsonBytes()) {
            throw reject(RejectReason.BAD_JSON, "JSON part " + partNumber + " of " + len + " bytes exceeds maxJsonBytes "
                    + config.maxJsonBytes());
        }
        loadJson(part);
    }

    /** Parses a protocol JSON part into the {@code f*} fields (unknown fields skipped). */
    private void parseProtocolPart(ByteBuffer part, int partNumber) throws RejectedMessageException {
        fHtype = null;
        fSeries = -1;
        fFrame = -1;
        fHeaderDetail = null;
        fShapeLen = -1;
        fShape0 = 0;
        fShape1 = 0;
        fShape2 = 0;
        fType = null;
        fEncoding = null;
        fSize = -1;
        load(part, partNumber);
        try (JsonParser p = jsonParser()) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw reject(RejectReason.BAD_JSON, "part " + partNumber + " is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "htype": fHtype = stringField(p, v, name, partNumber); break;
                    case "series": fSeries = integerField(p, v, name, partNumber); break;
                    case "frame": fFrame = integerField(p, v, name, partNumber); break;
                    case "header_detail": fHeaderDetail = stringField(p, v, name, partNumber); break;
                    case "shape": parseShape(p, v, partNumber); break;
                    case "type": fType = stringField(p, v, name, partNumber); break;
                    case "encoding": fEncoding = stringField(p, v, name, partNumber); break;
                    case "size": fSize = integerField(p, v, name, partNumber); break;
                    default: p.skipChildren(); break;
                }
            }
            finishObject(p, t, partNumber);
        } catch (JsonProcessingException e) {
            throw reject(RejectReason.BAD_JSON, "part " + partNumber + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw reject(RejectReason.BAD_JSON, "part " + partNumber + " could not be read: " + e.getMessage());
        }
    }

    private void requireJsonObject(ByteBuffer part, int partNumber, String what) throws RejectedMessageException {
        load(part, partNumber);
        try (JsonParser p = jsonParser()) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw reject(RejectReason.BAD_JSON, what + " (part " + partNumber + ") is not a JSON object");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw reject(RejectReason.BAD_JSON, "trailing content after the " + what + " (part " + partNumber + ")");
            }
        } catch (JsonProcessingException e) {
            throw reject(RejectReason.BAD_JSON, what + " (part " + partNumber + ") is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw reject(RejectReason.BAD_JSON, what + " (part " + partNumber + ") could not be read: " + e.getMessage());
        }
    }

    /**
     * Parses an appendix JSON object into {@code out}.
     *
     * @param lenient return {@code false} instead of rejecting when the part is not a JSON object
     */
    private boolean parseAppendix(ByteBuffer part, int partNumber, AttributeValues out, boolean lenient)
            throws RejectedMessageException {
        if (lenient && part.remaining() > config.maxJsonBytes()) {
            return false;
        }
        load(part, partNumber);
        try (JsonParser p = jsonParser()) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                if (lenient) {
                    return false;
                }
                throw reject(RejectReason.BAD_JSON, "appendix (part " + partNumber + ") is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                out.read(p, name, p.nextToken());
            }
            finishObject(p, t, partNumber);
            return true;
        } catch (IOException | RejectedMessageException e) {
            if (lenient) {
                return false;
            }
            if (e instanceof RejectedMessageException) {
                throw (RejectedMessageException) e;
            }
            String why = e instanceof JsonProcessingException
                    ? ((JsonProcessingException) e).getOriginalMessage() : e.getMessage();
            throw reject(RejectReason.BAD_JSON, "appendix (part " + partNumber + ") is not valid JSON: " + why);
        }
    }

    private void finishObject(JsonParser p, JsonToken last, int partNumber) throws IOException, RejectedMessageException {
        if (last != JsonToken.END_OBJECT) {
            throw reject(RejectReason.BAD_JSON, "JSON object of part " + partNumber + " is not closed");
        }
        if (p.nextToken() != null) {
            throw reject(RejectReason.BAD_JSON, "trailing content after the JSON object of part " + partNumber);
        }
    }

    private String stringField(JsonParser p, JsonToken v, String field, int partNumber)
            throws IOException, RejectedMessageException {
        if (v != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw reject(RejectReason.BAD_JSON, "field '" + field + "' of part " + partNumber + " must be a string, got "
                    + v);
        }
        return p.getText();
    }

    /** A non-negative integer field; {@code null} counts as absent (-1). */
    private long integerField(JsonParser p, JsonToken v, String field, int partNumber)
            throws IOException, RejectedMessageException {
        if (v == JsonToken.VALUE_NULL) {
            return -1;
        }
        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long value = p.getLongValue();
            if (value >= 0) {
                return value;
            }
        } else if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            if (d == Math.rint(d) && d >= 0 && d < 0x1p62) {
                return (long) d;
            }
        } else if (v == JsonToken.VALUE_STRING) {
            // some senders quote numbers ("size": "18874368")
            try {
                long value = Long.parseLong(p.getText().trim());
                if (value >= 0) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // fall through to the rejection
            }
        }
        p.skipChildren();
        throw reject(RejectReason.BAD_JSON, "field '" + field + "' of part " + partNumber
                + " must be a non-negative integer, got " + v);
    }

    private void parseShape(JsonParser p, JsonToken v, int partNumber) throws IOException, RejectedMessageException {
        if (v != JsonToken.START_ARRAY) {
            p.skipChildren();
            throw reject(RejectReason.BAD_JSON, "field 'shape' of part " + partNumber + " must be an array of integers,"
                    + " got " + v);
        }
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT) {
                throw reject(RejectReason.BAD_JSON, "field 'shape' of part " + partNumber + " must hold integers, got "
                        + t);
            }
            long d = p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? (p.getBigIntegerValue().signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE)
                    : p.getLongValue();
            if (n == 0) {
                fShape0 = d;
            } else if (n == 1) {
                fShape1 = d;
            } else if (n == 2) {
                fShape2 = d;
            }
            n++;
        }
        fShapeLen = n;
    }

    private String shapeText() {
        if (fShapeLen <= 0) {
            return "[]";
        }
        StringBuilder s = new StringBuilder("[").append(fShape0);
        if (fShapeLen > 1) {
            s.append(", ").append(fShape1);
        }
        if (fShapeLen > 2) {
            s.append(", ").append(fShape2);
        }
        if (fShapeLen > 3) {
            s.append(", ...");
        }
        return s.append(']').toString();
    }

    private void requireHtype(String expected, int partNumber) throws RejectedMessageException {
        if (!expected.equals(fHtype)) {
            throw reject(RejectReason.BAD_HTYPE, "part " + partNumber + " has htype '" + fHtype + "', expected '"
                    + expected + "'");
        }
    }

    // ---- rejection ------------------------------------------------------------------------------

    /** A rejection whose header text is the first JSON part (and for images the second). */
    @Override
    protected RejectedMessageException reject(RejectReason reason, String detail) {
        String text = "";
        MessageParts msg = message;
        if (msg != null && msg.count() > 0) {
            text = Rejection.headerText(msg.part(0), Rejection.MAX_HEADER_CHARS);
            if (imageMessage && msg.count() > 1 && text.length() < Rejection.MAX_HEADER_CHARS) {
                text = text + "\n" + Rejection.headerText(msg.part(1), Rejection.MAX_HEADER_CHARS - text.length() - 1);
            }
        }
        return new RejectedMessageException(reason, detail, text);
    }
}
