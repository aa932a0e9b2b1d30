package org.xanestream.publisher.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.RejectReason;
import org.xanestream.ingest.Rejection;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.MapSummary;
import org.xanestream.processor.ScanInfo;

class JsonRecordsTest {
    private static final ObjectMapper M = new ObjectMapper();
    private final JsonRecords json = new JsonRecords();

    @Test
    void pointRecordHasTheContractFieldsAndNullForNonFiniteNumbers() throws Exception {
        EnergyPoint p = new EnergyPoint("s1", 3, 8333.5, 5, 4, 8330.0, 1.25, -0.5, 0.75, true, Double.NaN,
                1_700_000_000_123L, 2, 1, new float[]{1, 2});
        JsonNode n = M.readTree(json.point(p));
        assertEquals(List.of("scan_id", "index", "energy_ev", "frames", "flats", "flat_energy_ev", "drift_x_px",
                "drift_y_px", "drift_confidence", "drift_replaced", "mean_mu", "time"), fieldNames(n));
        assertEquals("s1", n.get("scan_id").asText());
        assertEquals(3, n.get("index").asInt());
        assertEquals(8333.5, n.get("energy_ev").asDouble());
        assertEquals(8330.0, n.get("flat_energy_ev").asDouble());
        assertEquals(-0.5, n.get("drift_y_px").asDouble());
        assertTrue(n.get("drift_replaced").asBoolean());
        assertTrue(n.get("mean_mu").isNull());
        assertEquals("2023-11-14T22:13:20.123Z", n.get("time").asText());
    }

    @Test
    void timesAreIso8601UtcWithMillisecondsEvenOnWholeSeconds() {
        assertEquals("2023-11-14T22:13:20.000Z", JsonRecords.isoTime(1_700_000_000_000L));
    }

    @Test
    void scanRecordsCarrySummaryOnlyFromProgressOn() throws Exception {
        ScanInfo s = new ScanInfo("s1", "Ni", 8347, 64, 32, null, 1_700_000_000_000L, 2);
        JsonNode start = M.readTree(json.scan("start", s, s.startEpochMillis(),
                new JsonRecords.ScanCounters(0, 0, 0), null, null));
        assertEquals("start", start.get("type").asText());
        assertTrue(start.get("energies_planned").isNull());
        assertEquals(2, start.get("series_index").asInt());
        assertFalse(start.has("summary"));
        JsonNode end = M.readTree(json.scan("end", s, s.startEpochMillis() + 5, new JsonRecords.ScanCounters(3, 40, 1),
                new JsonRecords.MapsState(3, true, Map.of("edge_ev",
                        new MapSummary(8347.5, Double.NaN, 8340, 8347, 8350, 12))), true));
        assertEquals(3, end.get("energies_done").asInt());
        assertEquals(40, end.get("frames_received").asInt());
        assertEquals(1, end.get("frames_rejected").asInt());
        assertTrue(end.get("whiteline_only").asBoolean());
        assertTrue(end.get("final_maps_complete").asBoolean());
        JsonNode e = end.get("summary").get("edge_ev");
        assertEquals(8347.5, e.get("mean").asDouble());
        assertTrue(e.get("std").isNull());
        assertEquals(12, e.get("n_valid").asLong());
    }

    @Test
    void rejectedHeaderIsCutTo4KiBOfUtf8WithoutSplittingACharacter() throws Exception {
        String header = "é".repeat(4000); // 8000 bytes of UTF-8
        Rejection r = new Rejection(1_700_000_000_000L, "tcp://127.0.0.1:5555", RejectReason.BAD_JSON, "not JSON",
                header);
        JsonNode n = M.readTree(json.rejected(r));
        String h = n.get("header").asText();
        assertEquals(2048, h.length());
        assertTrue(h.getBytes(StandardCharsets.UTF_8).length <= 4096);
        assertEquals("bad_json", n.get("reason").asText());
        assertEquals("tcp://127.0.0.1:5555", n.get("source").asText());
        assertEquals("abc", JsonRecords.truncateUtf8("abc", 4096));
        assertEquals("ab", JsonRecords.truncateUtf8("ab€", 4));
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
