package org.xanestream.publisher.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.xanestream.publisher.results.EncodedRecord;
import org.xanestream.publisher.results.FakeResultSource;
import org.xanestream.publisher.results.SyntheticScan;
import org.xanestream.publisher.results.TopicKind;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DashboardStateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicLong clock = new AtomicLong(1_000_000);

    private DashboardState state(DashboardConfig cfg) {
        return new DashboardState(cfg, clock::get);
    }

    /** The final maps are the noise-seeded values the scan published last; regenerate them independently. */
    private static Map<String, float[]> finalMaps(SyntheticScan s) {
        // records() draws, in order: per energy image noise, then live maps; replaying it is the simplest way
        // to get the same random stream: decode the final bands instead.
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        for (EncodedRecord r : s.records()) {
            if (r.kind() == TopicKind.MAPS && "true".equals(r.headers().get("final"))) {
                int w = Integer.parseInt(r.headers().get("width"));
                int h = Integer.parseInt(r.headers().get("height"));
                int row0 = Integer.parseInt(r.headers().get("row0"));
                float[] m = out.computeIfAbsent(r.headers().get("map"), k -> new float[w * h]);
                ByteBuffer b = ByteBuffer.wrap(r.value()).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < r.value().length / 4; i++) {
                    m[row0 * w + i] = b.getFloat();
                }
            }
        }
        return out;
    }

    @Test
    void reassemblesFinalMapsBitForBitFromTheirBands() {
        SyntheticScan scan = SyntheticScan.small("s1", 0);
        DashboardState st = state(DashboardConfig.defaults());
        new FakeResultSource(st).feedAll(scan.records());
        Map<String, float[]> expected = finalMaps(scan);
        assertEquals(8, expected.size());
        for (Map.Entry<String, float[]> e : expected.entrySet()) {
            MapView m = st.map("s1", e.getKey());
            assertNotNull(m, e.getKey());
            assertTrue(m.finalMap());
            assertEquals(scan.energiesEv.length, m.version());
            assertEquals(128, m.width());
            assertEquals(1, m.scale());
            assertArrayEquals(e.getValue(), m.values(), e.getKey());
        }
    }

    @Test
    void showsAVersionOnlyOnceAllItsBandsArrived() {
        DashboardState st = state(DashboardConfig.defaults());
        FakeResultSource src = new FakeResultSource(st);
        src.feedAll(bands("s", "r2", 4, 6, 2, 1, false, 1f));
        assertEquals(1f, st.map("s", "r2").values()[0]);
        // version 2: first two of three bands
        List<EncodedRecord> v2 = bands("s", "r2", 4, 6, 2, 2, false, 2f);
        src.feed(v2.get(0));
        src.feed(v2.get(2));
        assertEquals(1, st.map("s", "r2").version());
        src.feed(v2.get(1));
        assertEquals(2, st.map("s", "r2").version());
        assertEquals(2f, st.map("s", "r2").values()[23]);
    }

    @Test
    void ignoresOlderVersionsArrivingLateAndPrefersFinalOverLiveOfSameVersion() {
        DashboardState st = state(DashboardConfig.defaults());
        FakeResultSource src = new FakeResultSource(st);
        src.feedAll(bands("s", "r2", 4, 4, 4, 5, false, 5f));
        src.feedAll(bands("s", "r2", 4, 4, 4, 3, false, 3f));
        assertEquals(5f, st.map("s", "r2").values()[0]);
        src.feedAll(bands("s", "r2", 8, 8, 4, 5, true, 6f));
        MapView m = st.map("s", "r2");
        assertTrue(m.finalMap());
        assertEquals(8, m.width());
        src.feedAll(bands("s", "r2", 4, 4, 4, 5, false, 7f));
        assertEquals(6f, st.map("s", "r2").values()[0]);
    }

    @Test
    void aNewerVersionStartedMidwaySupersedesAnIncompleteOne() {
        DashboardState st = state(DashboardConfig.defaults());
        FakeResultSource src = new FakeResultSource(st);
        List<EncodedRecord> v1 = bands("s", "r2", 4, 4, 2, 1, false, 1f);
        src.feed(v1.get(0));
        src.feedAll(bands("s", "r2", 4, 4, 2, 2, false, 2f));
        src.feed(v1.get(1));
        assertEquals(2, st.map("s", "r2").version());
        assertTrue(st.droppedBands() >= 1);
    }

    @Test
    void bandsInAnyOrderWithDuplicatesGiveTheSameMap() {
        DashboardState st = state(DashboardConfig.defaults());
        List<EncodedRecord> b = new ArrayList<>(bands("s", "m", 7, 13, 3, 1, false, Float.NaN));
        b.add(b.get(1));
        Collections.shuffle(b, new Random(3));
        new FakeResultSource(st).feedAll(b);
        MapView m = st.map("s", "m");
        for (int y = 0; y < 13; y++) {
            for (int x = 0; x < 7; x++) {
                assertEquals(y * 100 + x, m.values()[y * 7 + x]);
            }
        }
    }

    @Test
    void binsLargeMapsDownToThePixelLimitAndKeepsCoordinatesInFullResolution() {
        DashboardConfig cfg = DashboardConfig.defaults().withPixelLimits(4096, 256, 4096);
        DashboardState st = state(cfg);
        // 100x100 published with bin 2 (so the full frame is 200x200) → stored factor 2 → 50x50, scale 4.
        new FakeResultSource(st).feedAll(bands("s", "m", 100, 100, 10, 1, false, Float.NaN));
        MapView m = st.map("s", "m");
        assertEquals(50, m.width());
        assertEquals(4, m.scale() / 2 * 2);
        assertEquals(2 * 2, m.scale());
        // stored (1,2) = mean of published rows 4..5, cols 2..3: values y*100+x
        assertEquals(((4 + 5) / 2.0) * 100 + (2 + 3) / 2.0, m.values()[2 * 50 + 1], 1e-3);
        assertEquals(m.values()[2 * 50 + 1], m.atFull(4 * 1 + 3, 4 * 2));
    }

    @Test
    void clickedParticlePixelSpectrumPeaksAtItsWhiteline() throws Exception {
        SyntheticScan scan = SyntheticScan.small("s1", 0);
        DashboardState st = state(DashboardConfig.defaults());
        new FakeResultSource(st).feedAll(scan.records());
        JsonNode sp = JSON.readTree(st.spectrumJson("s1", scan.centerBX(), scan.centerBY(), scan.centerBX() + 1,
                scan.centerBY() + 1));
        assertEquals(scan.energiesEv.length, sp.get("energyEv").size());
        double best = Double.NEGATIVE_INFINITY;
        double bestE = 0;
        for (int i = 0; i < sp.get("mu").size(); i++) {
            if (sp.get("mu").get(i).asDouble() > best) {
                best = sp.get("mu").get(i).asDouble();
                bestE = sp.get("energyEv").get(i).asDouble();
            }
        }
        assertEquals(SyntheticScan.WHITELINE_B_EV, bestE, 1.2);
        assertTrue(sp.get("fit").get("quadratic").asBoolean());
        assertEquals(SyntheticScan.WHITELINE_B_EV, sp.get("fit").get("whitelineEv").asDouble(), 0.6);
        assertEquals(SyntheticScan.WHITELINE_B_EV, sp.get("maps").get("whiteline_ev").asDouble(), 1.0);
        assertEquals(1.0, sp.get("maskFraction").asDouble());
        JsonNode region = JSON.readTree(st.spectrumJson("s1", scan.centerAX() - 3, scan.centerAY() - 3,
                scan.centerAX() + 3, scan.centerAY() + 3));
        assertEquals(36, region.get("pixels").get(0).asInt());
        assertEquals(SyntheticScan.WHITELINE_A_EV, region.get("fit").get("whitelineEv").asDouble(), 0.6);
    }

    @Test
    void statisticsOfAMapUseOnlyPixelsInsideTheMask() {
        SyntheticScan scan = SyntheticScan.small("s1", 0);
        DashboardState st = state(DashboardConfig.defaults());
        new FakeResultSource(st).feedAll(scan.records());
        MapView wl = st.map("s1", "whiteline_ev");
        MapStats stats = MapStats.of(wl, st.mask("s1"), 64);
        long a = 0, b = 0;
        for (int y = 0; y < scan.height; y++) {
            for (int x = 1; x < scan.width; x++) {
                int p = scan.particleAt(x, y);
                a += p == 1 ? 1 : 0;
                b += p == 2 ? 1 : 0;
            }
        }
        assertEquals(a + b, stats.n());
        double expectedMean = (a * SyntheticScan.WHITELINE_A_EV + b * SyntheticScan.WHITELINE_B_EV) / (a + b);
        assertEquals(expectedMean, stats.mean(), 0.05);
        assertEquals(a + b, java.util.Arrays.stream(stats.counts()).sum());
        MapStats unmasked = MapStats.of(wl, null, 64);
        assertEquals((long) (scan.width - 1) * scan.height, unmasked.n());
    }

    @Test
    void keepsPixelsOnlyForTheMostRecentScansAndForgetsTheOldest() {
        DashboardConfig d = DashboardConfig.defaults();
        DashboardConfig cfg = new DashboardConfig(d.httpHost(), 0, 3, 1, 1, d.maxMapsPerScan(), d.maxEnergiesPerScan(),
                d.mapPixelLimit(), d.imagePixelLimit(), d.displayPixelLimit(), d.wsWriteQueueBytes(), d.pushIntervalMs(),
                d.staleAfterMs(), 0);
        DashboardState st = state(cfg);
        FakeResultSource src = new FakeResultSource(st);
        long perScan = 0;
        for (int i = 0; i < 5; i++) {
            SyntheticScan s = new SyntheticScan("scan" + i, 64, 48, 12, 3, 1, 1, 16, i * 60_000L, i, 0.1 * i, i);
            src.feedAll(s.records());
            if (i == 0) {
                perScan = st.pixelBytes();
            }
        }
        assertEquals(List.of("scan2", "scan3", "scan4"), st.scanIds());
        assertNull(st.map("scan3", "whiteline_ev"));
        assertNotNull(st.map("scan4", "whiteline_ev"));
        assertEquals(perScan, st.pixelBytes());
        // 8 maps + 12 images of 64x48 float32
        assertEquals((8 + 12) * 64 * 48 * 4L, perScan);
    }

    @Test
    void overviewCarriesProgressRateRejectionsAndSeries() throws Exception {
        DashboardState st = state(DashboardConfig.defaults());
        FakeResultSource src = new FakeResultSource(st);
        src.feedAll(SyntheticScan.small("s1", 0).records());
        st.onRejected(new org.xanestream.publisher.results.RejectedRecord(5, "tcp://x", "bad_json", "oops"));
        st.onSourceState(false, "broker down");
        JsonNode o = JSON.readTree(st.overviewJson());
        JsonNode s = o.get("scans").get(0);
        assertEquals("end", s.get("status").asText());
        assertEquals(40, s.get("energiesDone").asInt());
        assertEquals(40, s.get("energiesPlanned").asInt());
        // 10 frames per 500 ms
        assertEquals(20.0, s.get("frameRateHz").asDouble(), 1.0);
        assertEquals(SyntheticScan.FRACTION_A, s.get("series").get("fraction_NiO2").get("mean").asDouble(), 0.7);
        assertEquals(1, o.get("rejected").get("byReason").get("bad_json").asInt());
        assertFalse(o.get("source").get("connected").asBoolean());
        JsonNode detail = JSON.readTree(st.scanJson("s1"));
        assertEquals(40, detail.get("points").get("energyEv").size());
        assertEquals(8, detail.get("maps").size());
        assertTrue(detail.get("meanFit").get("quadratic").asBoolean());
        assertEquals(40, detail.get("images").get("count").asInt());
    }

    @Test
    void whitelineOnlyFollowsTheNewestProgressOrEndRecord() throws Exception {
        DashboardState st = state(DashboardConfig.defaults());
        st.onScan(scanRecord(org.xanestream.publisher.results.ScanRecord.Type.START, false, 1000));
        // Early in a scan the post-edge energies are missing: whiteline-only...
        st.onScan(scanRecord(org.xanestream.publisher.results.ScanRecord.Type.PROGRESS, true, 2000));
        assertTrue(JSON.readTree(st.overviewJson()).get("scans").get(0).get("whitelineOnly").asBoolean());
        // ...until they arrive; the end record says what the final maps used.
        st.onScan(scanRecord(org.xanestream.publisher.results.ScanRecord.Type.END, false, 3000));
        assertFalse(JSON.readTree(st.overviewJson()).get("scans").get(0).get("whitelineOnly").asBoolean());
    }

    private static org.xanestream.publisher.results.ScanRecord scanRecord(
            org.xanestream.publisher.results.ScanRecord.Type type, boolean whitelineOnly, long millis) {
        return new org.xanestream.publisher.results.ScanRecord(type, "w1", millis, "Ni", 8347, 8, 8, null, 1, 10, 0,
                Map.of(), whitelineOnly, 0);
    }

    @Test
    void aBadRecordIsCountedAndTheStreamGoesOn() throws Exception {
        DashboardState st = state(DashboardConfig.defaults());
        FakeResultSource src = new FakeResultSource(st);
        src.feed(new EncodedRecord(TopicKind.POINTS, "s", Map.of(), "{broken".getBytes(), 0));
        src.feedAll(bands("s", "r2", 2, 2, 2, 1, false, 1f));
        assertEquals(1, src.errors());
        assertNotNull(st.map("s", "r2"));
        assertEquals(1, JSON.readTree(st.overviewJson()).get("source").get("decodeErrors").asInt());
    }

    @Test
    void revisionAdvancesOnVisibleChangesOnly() {
        DashboardState st = state(DashboardConfig.defaults());
        FakeResultSource src = new FakeResultSource(st);
        List<EncodedRecord> b = bands("s", "r2", 2, 4, 2, 1, false, 1f);
        src.feed(b.get(0));
        long r = st.revision();
        src.feed(b.get(0));
        assertEquals(r, st.revision());
        src.feed(b.get(1));
        assertTrue(st.revision() > r);
    }

    /**
     * Bands of a {@code w × h} map; pixel values are {@code fill} or, if NaN, {@code y*100 + x}.
     */
    static List<EncodedRecord> bands(String scan, String map, int w, int h, int rowsPerBand, int version,
                                     boolean fin, float fill) {
        List<EncodedRecord> out = new ArrayList<>();
        for (int r0 = 0; r0 < h; r0 += rowsPerBand) {
            int rows = Math.min(rowsPerBand, h - r0);
            ByteBuffer b = ByteBuffer.allocate(rows * w * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int y = r0; y < r0 + rows; y++) {
                for (int x = 0; x < w; x++) {
                    b.putFloat(Float.isNaN(fill) ? y * 100 + x : fill);
                }
            }
            out.add(new EncodedRecord(TopicKind.MAPS, scan, Map.of("scan_id", scan, "map", map, "width", "" + w,
                    "height", "" + h, "bin", fin ? "1" : "2", "row0", "" + r0, "rows", "" + rows, "dtype", "float32",
                    "version", "" + version, "final", "" + fin), b.array(), 0));
        }
        return out;
    }
}
