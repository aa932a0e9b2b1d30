package org.xanestream.publisher.results;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultRecordDecoderTest {
    private final ResultRecordDecoder decoder = new ResultRecordDecoder();

    private static final class Collect implements ResultListener {
        final List<Object> events = new ArrayList<>();
        final List<float[]> bandValues = new ArrayList<>();

        @Override
        public void onScan(ScanRecord scan) {
            events.add(scan);
        }

        @Override
        public void onPoint(PointRecord point) {
            events.add(point);
        }

        @Override
        public void onBand(BandRecord band) {
            events.add(band);
            float[] v = new float[band.rows() * band.width()];
            for (int r = 0; r < band.rows(); r++) {
                for (int x = 0; x < band.width(); x++) {
                    v[r * band.width() + x] = band.value(r, x);
                }
            }
            bandValues.add(v);
        }

        @Override
        public void onRejected(RejectedRecord rejected) {
            events.add(rejected);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodesScanRecordWithSummaryAndNullNaN() throws Exception {
        Collect c = new Collect();
        decoder.decode(TopicKind.SCANS, h -> null, utf8("{\"type\":\"progress\",\"scan_id\":\"s1\",\"time\":\"2026-01-02T03:04:05.500Z\","
                + "\"element\":\"Ni\",\"edge_ev\":8347,\"width\":64,\"height\":32,\"energies_planned\":[8330,8340.5],"
                + "\"energies_done\":2,\"frames_received\":25,\"frames_rejected\":1,\"whiteline_only\":true,"
                + "\"summary\":{\"whiteline_ev\":{\"mean\":8351.5,\"std\":null,\"p05\":8350,\"p50\":8351,\"p95\":8353,\"n_valid\":100}},"
                + "\"unknown_field\":{\"x\":1}}"), 7, c);
        ScanRecord s = (ScanRecord) c.events.get(0);
        assertEquals(ScanRecord.Type.PROGRESS, s.type());
        assertEquals("s1", s.scanId());
        assertEquals(java.time.Instant.parse("2026-01-02T03:04:05.500Z").toEpochMilli(), s.epochMillis());
        assertEquals(List.of(8330.0, 8340.5), s.energiesPlannedEv());
        assertEquals(25, s.framesReceived());
        assertTrue(s.whitelineOnly());
        assertEquals(8351.5, s.summary().get("whiteline_ev").mean());
        assertTrue(Double.isNaN(s.summary().get("whiteline_ev").std()));
        assertEquals(100, s.summary().get("whiteline_ev").nValid());
    }

    @Test
    void decodesPointAndFallsBackToRecordTimestampWithoutTime() throws Exception {
        Collect c = new Collect();
        decoder.decode(TopicKind.POINTS, h -> null, utf8("{\"scan_id\":\"s1\",\"index\":3,\"energy_ev\":8350.25,"
                + "\"frames\":5,\"flats\":5,\"flat_energy_ev\":8350.25,\"drift_x_px\":0.5,\"drift_y_px\":-1.25,"
                + "\"drift_confidence\":0.9,\"mean_mu\":0.7}"), 1234, c);
        PointRecord p = (PointRecord) c.events.get(0);
        assertEquals(3, p.index());
        assertEquals(-1.25, p.driftYPx());
        assertEquals(1234, p.epochMillis());
    }

    @Test
    void decodesMapBandAsLittleEndianRows() throws Exception {
        Collect c = new Collect();
        ByteBuffer b = ByteBuffer.allocate(2 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            b.putFloat(i + 0.5f);
        }
        Map<String, String> h = headers("map", "whiteline_ev", "width", "3", "height", "5", "row0", "2", "rows", "2",
                "version", "7", "final", "true", "bin", "2");
        decoder.decode(TopicKind.MAPS, h::get, b.array(), 0, c);
        BandRecord band = (BandRecord) c.events.get(0);
        assertEquals(BandRecord.Kind.MAP, band.kind());
        assertEquals("whiteline_ev", band.map());
        assertEquals(2, band.row0());
        assertEquals(7, band.version());
        assertTrue(band.finalBand());
        assertEquals(2, band.bin());
        assertEquals(5.5f, c.bandValues.get(0)[5]);
    }

    @Test
    void rejectsBandWhosePayloadDoesNotMatchRowsTimesWidth() {
        Map<String, String> h = headers("map", "r2", "width", "3", "height", "5", "rows", "2");
        RecordDecodeException e = assertThrows(RecordDecodeException.class,
                () -> decoder.decode(TopicKind.MAPS, h::get, new byte[20], 0, new Collect()));
        assertTrue(e.getMessage().contains("20 bytes"), e.getMessage());
    }

    @Test
    void rejectsBandWithOtherDtypeOrBandOutsideTheImage() {
        Map<String, String> f64 = headers("map", "r2", "width", "1", "height", "1", "rows", "1", "dtype", "float64");
        assertThrows(RecordDecodeException.class, () -> decoder.decode(TopicKind.MAPS, f64::get, new byte[8], 0, new Collect()));
        Map<String, String> outside = headers("map", "r2", "width", "1", "height", "2", "row0", "2", "rows", "1");
        assertThrows(RecordDecodeException.class, () -> decoder.decode(TopicKind.MAPS, outside::get, new byte[4], 0, new Collect()));
        Map<String, String> noWidth = headers("map", "r2", "height", "2", "rows", "1");
        assertThrows(RecordDecodeException.class, () -> decoder.decode(TopicKind.MAPS, noWidth::get, new byte[4], 0, new Collect()));
    }

    @Test
    void rejectsUnparseableJsonAndUnknownScanType() {
        assertThrows(RecordDecodeException.class, () -> decoder.decode(TopicKind.POINTS, h -> null, utf8("{not json"), 0, new Collect()));
        assertThrows(RecordDecodeException.class, () -> decoder.decode(TopicKind.SCANS, h -> null,
                utf8("{\"type\":\"paused\",\"scan_id\":\"s\"}"), 0, new Collect()));
        assertThrows(RecordDecodeException.class, () -> decoder.decode(TopicKind.POINTS, h -> null,
                utf8("{\"scan_id\":\"s\",\"index\":0}"), 0, new Collect()));
    }

    @Test
    void rejectsRecordsOfAnUnknownContractVersion() throws Exception {
        byte[] point = utf8("{\"scan_id\":\"s\",\"index\":0,\"energy_ev\":8350}");
        Map<String, String> v2 = Map.of("schema", "2");
        RecordDecodeException e = assertThrows(RecordDecodeException.class,
                () -> decoder.decode(TopicKind.POINTS, v2::get, point, 0, new Collect()));
        assertTrue(e.getMessage().contains("schema"), e.getMessage());
        Collect c = new Collect();
        Map<String, String> v1 = Map.of("schema", "1");
        decoder.decode(TopicKind.POINTS, v1::get, point, 0, c);
        assertEquals(1, c.events.size());
    }

    @Test
    void decodesImageBandWithEnergy() throws Exception {
        Collect c = new Collect();
        Map<String, String> h = headers("energy_index", "4", "energy_ev", "8351.5", "width", "2", "height", "1", "rows", "1");
        decoder.decode(TopicKind.IMAGES, h::get, new byte[8], 0, c);
        BandRecord b = (BandRecord) c.events.get(0);
        assertEquals(BandRecord.Kind.IMAGE, b.kind());
        assertEquals(4, b.energyIndex());
        assertEquals(8351.5, b.energyEv());
    }

    @Test
    void syntheticScanDecodesWithoutErrors() {
        Collect c = new Collect();
        FakeResultSource src = new FakeResultSource(c);
        List<EncodedRecord> recs = SyntheticScan.small("s", 0).records();
        src.feedAll(recs);
        assertEquals(0, src.errors());
        assertEquals(recs.size(), src.delivered());
    }

    private static Map<String, String> headers(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("scan_id", "s1");
        m.put("dtype", "float32");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
