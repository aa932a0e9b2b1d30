package org.xanestream.publisher.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.xanestream.processor.MapSummary;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Decodes result records (DESIGN §4.3) into events and hands them to a {@link ResultListener}.
 *
 * <p>Lenient where the contract leaves room (unknown fields are ignored, NaN may be written as
 * {@code null}, a missing {@code time} falls back to the record timestamp), strict where a consumer
 * would otherwise misplace data (band geometry, dtype, payload size).
 *
 * <p>Thread safe (stateless apart from the shared, thread-safe JSON reader). Allocates the decoded
 * JSON tree and the event; binary bands are passed as a view of the value without copying.
 */
public final class ResultRecordDecoder {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The version of docs/kafka-topics.md this decoder implements (records without a schema header are accepted). */
    public static final int SUPPORTED_SCHEMA = 1;
    private static final String SUPPORTED_SCHEMA_TEXT = Integer.toString(SUPPORTED_SCHEMA);

    /**
     * Decodes one record and delivers it.
     *
     * @param kind            which topic the record came from
     * @param header          header name → UTF-8 text value, or {@code null} if absent
     * @param value           the record value; not modified; a band's view of it is valid during the callback only
     * @param timestampMillis the record timestamp, used when the JSON lacks {@code time}
     * @param listener        receives the event
     * @throws RecordDecodeException naming the offending field when the record breaks the contract
     */
    public void decode(TopicKind kind, Function<String, String> header, byte[] value, long timestampMillis,
                       ResultListener listener) throws RecordDecodeException {
        if (value == null) {
            throw new RecordDecodeException("record has no value");
        }
        String schema = header.apply("schema");
        if (schema != null && !schema.trim().equals(SUPPORTED_SCHEMA_TEXT)) {
            throw new RecordDecodeException("unsupported contract version (schema header) '" + schema
                    + "', this reader knows " + SUPPORTED_SCHEMA);
        }
        switch (kind) {
            case SCANS -> listener.onScan(scan(json(value), timestampMillis));
            case POINTS -> listener.onPoint(point(json(value), timestampMillis));
            case REJECTED -> listener.onRejected(rejected(json(value), timestampMillis));
            case IMAGES, MAPS -> listener.onBand(band(kind, header, value));
        }
    }

    private static JsonNode json(byte[] value) throws RecordDecodeException {
        try {
            JsonNode n = JSON.readTree(value);
            if (n == null || !n.isObject()) {
                throw new RecordDecodeException("value is not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new RecordDecodeException("value is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new RecordDecodeException("value could not be read: " + e.getMessage(), e);
        }
    }

    static ScanRecord scan(JsonNode n, long fallbackMillis) throws RecordDecodeException {
        String typeText = text(n, "type");
        ScanRecord.Type type;
        try {
            type = ScanRecord.Type.valueOf(typeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RecordDecodeException("scans.type must be start, progress or end, got '" + typeText + "'");
        }
        List<Double> planned = null;
        JsonNode p = n.get("energies_planned");
        if (p != null && p.isArray()) {
            planned = new ArrayList<>(p.size());
            for (JsonNode e : p) {
                if (e.isNumber()) {
                    planned.add(e.asDouble());
                }
            }
        }
        Map<String, MapSummary> summary = new LinkedHashMap<>();
        JsonNode s = n.get("summary");
        if (s != null && s.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = s.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode m = e.getValue();
                if (m.isObject()) {
                    summary.put(e.getKey(), new MapSummary(num(m, "mean"), num(m, "std"), num(m, "p05"),
                            num(m, "p50"), num(m, "p95"), (long) orZero(num(m, "n_valid"))));
                }
            }
        }
        JsonNode wl = n.get("whiteline_only");
        JsonNode si = n.get("series_index");
        try {
            return new ScanRecord(type, text(n, "scan_id"), time(n, fallbackMillis), optText(n, "element"),
                    num(n, "edge_ev"), (int) orZero(num(n, "width")), (int) orZero(num(n, "height")), planned,
                    (int) orZero(num(n, "energies_done")), (long) orZero(num(n, "frames_received")),
                    (long) orZero(num(n, "frames_rejected")), summary, wl != null && wl.asBoolean(false),
                    si != null && si.isNumber() ? si.asInt() : -1);
        } catch (IllegalArgumentException e) {
            throw new RecordDecodeException("scans record: " + e.getMessage(), e);
        }
    }

    static PointRecord point(JsonNode n, long fallbackMillis) throws RecordDecodeException {
        try {
            return new PointRecord(text(n, "scan_id"), (int) required(n, "index"), required(n, "energy_ev"),
                    (int) orZero(num(n, "frames")), (int) orZero(num(n, "flats")), num(n, "flat_energy_ev"),
                    num(n, "drift_x_px"), num(n, "drift_y_px"), num(n, "drift_confidence"), num(n, "mean_mu"),
                    time(n, fallbackMillis));
        } catch (IllegalArgumentException e) {
            throw new RecordDecodeException("points record: " + e.getMessage(), e);
        }
    }

    static RejectedRecord rejected(JsonNode n, long fallbackMillis) {
        return new RejectedRecord(time(n, fallbackMillis), optText(n, "source"), optText(n, "reason"),
                optText(n, "detail"));
    }

    static BandRecord band(TopicKind kind, Function<String, String> header, byte[] value)
            throws RecordDecodeException {
        String dtype = header.apply("dtype");
        if (dtype != null && !dtype.trim().equalsIgnoreCase("float32")) {
            throw new RecordDecodeException("header dtype must be float32, got '" + dtype + "'");
        }
        String scanId = requiredHeader(header, "scan_id");
        int width = intHeader(header, "width", -1);
        int height = intHeader(header, "height", -1);
        int rows = intHeader(header, "rows", -1);
        int row0 = intHeader(header, "row0", 0);
        int bin = intHeader(header, "bin", 1);
        int version = intHeader(header, "version", 0);
        boolean fin = "true".equalsIgnoreCase(trimOrEmpty(header.apply("final")));
        if (width <= 0) {
            throw new RecordDecodeException("header width must be a positive integer, got '" + header.apply("width") + "'");
        }
        if (rows < 0) {
            rows = value.length / 4 / width;
        }
        if (height < 0) {
            throw new RecordDecodeException("header height must be a positive integer, got '" + header.apply("height") + "'");
        }
        ByteBuffer view = ByteBuffer.wrap(value).slice().order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (kind == TopicKind.MAPS) {
                return new BandRecord(BandRecord.Kind.MAP, scanId, requiredHeader(header, "map"), -1, Double.NaN,
                        width, height, bin, row0, rows, version, fin, view);
            }
            int idx = intHeader(header, "energy_index", -1);
            double ev = doubleHeader(header, "energy_ev");
            return new BandRecord(BandRecord.Kind.IMAGE, scanId, null, idx, ev, width, height, bin, row0, rows,
                    version, fin, view);
        } catch (IllegalArgumentException e) {
            throw new RecordDecodeException(kind.suffix() + " band of scan " + scanId + ": " + e.getMessage(), e);
        }
    }

    private static String trimOrEmpty(String s) {
        return s == null ? "" : s.trim();
    }

    private static String requiredHeader(Function<String, String> header, String name) throws RecordDecodeException {
        String v = header.apply(name);
        if (v == null || v.isBlank()) {
            throw new RecordDecodeException("header " + name + " is missing");
        }
        return v.trim();
    }

    private static int intHeader(Function<String, String> header, String name, int absent) throws RecordDecodeException {
        String v = header.apply(name);
        if (v == null || v.isBlank()) {
            return absent;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new RecordDecodeException("header " + name + " must be a decimal integer, got '" + v + "'");
        }
    }

    private static double doubleHeader(Function<String, String> header, String name) throws RecordDecodeException {
        String v = requiredHeader(header, name);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new RecordDecodeException("header " + name + " must be a decimal number, got '" + v + "'");
        }
    }

    private static String text(JsonNode n, String field) throws RecordDecodeException {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            throw new RecordDecodeException("field " + field + " is missing");
        }
        return v.asText();
    }

    private static String optText(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** The number, or NaN if absent, null or not numeric. */
    private static double num(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Double.NaN;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isTextual()) {
            try {
                return Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static double required(JsonNode n, String field) throws RecordDecodeException {
        double v = num(n, field);
        if (Double.isNaN(v)) {
            throw new RecordDecodeException("field " + field + " must be a number");
        }
        return v;
    }

    private static double orZero(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    private static long time(JsonNode n, long fallbackMillis) {
        JsonNode v = n.get("time");
        if (v == null || !v.isTextual()) {
            return fallbackMillis;
        }
        try {
            return OffsetDateTime.parse(v.asText().trim()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return fallbackMillis;
        }
    }

    /** UTF-8 text of a header value, as {@link Function} adapters for header arrays use. */
    public static String utf8(byte[] headerValue) {
        return headerValue == null ? null : new String(headerValue, StandardCharsets.UTF_8);
    }
}
