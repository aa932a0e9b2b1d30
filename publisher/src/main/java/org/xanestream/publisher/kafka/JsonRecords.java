package org.xanestream.publisher.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.xanestream.ingest.Rejection;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.MapSummary;
import org.xanestream.processor.ScanInfo;

/**
 * Writes the JSON record values of the {@code scans}, {@code points} and {@code rejected} topics
 * (docs/kafka-topics.md): UTF-8, snake_case, times as ISO-8601 UTC with milliseconds, non-finite numbers
 * as {@code null}.
 *
 * <p>Not thread-safe (reuses one output buffer): the publisher thread owns it. Allocates the returned array.
 */
final class JsonRecords {
    /** Longest {@code header} text of a rejected record, in UTF-8 bytes. */
    static final int MAX_REJECTED_HEADER_BYTES = 4096;

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final JsonFactory factory = new JsonFactory();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);

    /** The counters of a scan at the time of a record. */
    record ScanCounters(int energiesDone, long framesReceived, long framesRejected) {
    }

    /** Maps state reported by progress and end records. */
    record MapsState(int version, boolean whitelineOnly, Map<String, MapSummary> summary) {
    }

    static String isoTime(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /**
     * A scans record.
     *
     * @param type              start, progress or end
     * @param maps              null for start
     * @param finalMapsComplete end only (else null): whether every final map record was acknowledged
     */
    byte[] scan(String type, ScanInfo info, long timeMillis, ScanCounters counters, MapsState maps,
                Boolean finalMapsComplete) {
        try (JsonGenerator g = generator()) {
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeStringField("scan_id", info.scanId());
            g.writeStringField("time", isoTime(timeMillis));
            g.writeStringField("element", info.element());
            number(g, "edge_ev", info.edgeEv());
            g.writeNumberField("width", info.width());
            g.writeNumberField("height", info.height());
            g.writeNumberField("series_index", info.seriesIndex());
            List<Double> planned = info.energiesPlannedEv();
            g.writeFieldName("energies_planned");
            if (planned == null) {
                g.writeNull();
            } else {
                g.writeStartArray();
                for (int i = 0; i < planned.size(); i++) {
                    number(g, planned.get(i));
                }
                g.writeEndArray();
            }
            g.writeNumberField("energies_done", counters.energiesDone());
            g.writeNumberField("frames_received", counters.framesReceived());
            g.writeNumberField("frames_rejected", counters.framesRejected());
            if (maps != null) {
                g.writeNumberField("maps_version", maps.version());
                g.writeBooleanField("whiteline_only", maps.whitelineOnly());
                g.writeObjectFieldStart("summary");
                for (Map.Entry<String, MapSummary> e : maps.summary().entrySet()) {
                    MapSummary s = e.getValue();
                    g.writeObjectFieldStart(e.getKey());
                    number(g, "mean", s.mean());
                    number(g, "std", s.std());
                    number(g, "p05", s.p05());
                    number(g, "p50", s.p50());
                    number(g, "p95", s.p95());
                    g.writeNumberField("n_valid", s.nValid());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            if (finalMapsComplete != null) {
                g.writeBooleanField("final_maps_complete", finalMapsComplete);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A points record. */
    byte[] point(EnergyPoint p) {
        try (JsonGenerator g = generator()) {
            g.writeStartObject();
            g.writeStringField("scan_id", p.scanId());
            g.writeNumberField("index", p.index());
            number(g, "energy_ev", p.energyEv());
            g.writeNumberField("frames", p.frames());
            g.writeNumberField("flats", p.flats());
            number(g, "flat_energy_ev", p.flatEnergyEv());
            number(g, "drift_x_px", p.driftXPx());
            number(g, "drift_y_px", p.driftYPx());
            number(g, "drift_confidence", p.driftConfidence());
            g.writeBooleanField("drift_replaced", p.driftReplaced());
            number(g, "mean_mu", p.meanMu());
            g.writeStringField("time", isoTime(p.epochMillis()));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A rejected record; the header text is cut to at most 4 KiB of UTF-8 on a character boundary. */
    byte[] rejected(Rejection r) {
        try (JsonGenerator g = generator()) {
            g.writeStartObject();
            g.writeStringField("time", isoTime(r.epochMillis()));
            g.writeStringField("source", r.source());
            g.writeStringField("reason", r.reason().code());
            g.writeStringField("detail", r.detail());
            g.writeStringField("header", truncateUtf8(r.header(), MAX_REJECTED_HEADER_BYTES));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The longest prefix of {@code text} whose UTF-8 encoding fits {@code maxBytes}, never splitting a character. */
    static String truncateUtf8(String text, int maxBytes) {
        if (text.length() * 3L <= maxBytes) {
            return text;
        }
        CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer in = CharBuffer.wrap(text);
        ByteBuffer buf = ByteBuffer.allocate(maxBytes);
        enc.encode(in, buf, true);
        // The encoder stops before a character that does not fit whole, so the consumed chars are the prefix.
        return text.substring(0, in.position());
    }

    private JsonGenerator generator() throws IOException {
        out.reset();
        return factory.createGenerator(out, JsonEncoding.UTF8);
    }

    private static void number(JsonGenerator g, String field, double v) throws IOException {
        g.writeFieldName(field);
        number(g, v);
    }

    private static void number(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(v);
        } else {
            g.writeNull();
        }
    }
}
