package org.xanestream.simulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
import org.xanestream.simulators.sink.InMemoryFrameSink;

class AcquisitionSequenceTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void sendsDarksFirstThenSamplesAndFlatsPerEnergyInFxiOrder() throws Exception {
        SimulatorConfig cfg = TestConfigs.small().withAcquisition(AcquisitionConfig.defaults().withChunkSize(3));
        InMemoryFrameSink sink = new InMemoryFrameSink(false);
        try (XanesSimulator sim = XanesSimulator.create(cfg)) {
            StreamStats stats = sim.stream(sink, StreamOptions.quiet(CLOCK));
            double[] energies = sim.energiesEv();
            List<FrameHeader> h = sink.headers();
            assertEquals(3 * (1 + 2 * energies.length), h.size());
            assertEquals(h.size(), stats.frames());
            assertEquals(2L * 64 * 64 * h.size(), stats.bytes());
            int k = 0;
            for (int r = 0; r < 3; r++, k++) {
                assertEquals(FrameKind.DARK, h.get(k).kind(), "frame " + k);
            }
            for (double e : energies) {
                for (int r = 0; r < 3; r++, k++) {
                    assertEquals(FrameKind.SAMPLE, h.get(k).kind(), "frame " + k);
                    assertEquals(e, h.get(k).energyEv(), 0.0);
                }
                for (int r = 0; r < 3; r++, k++) {
                    assertEquals(FrameKind.FLAT, h.get(k).kind(), "frame " + k);
                    assertEquals(e, h.get(k).energyEv(), 0.0);
                }
            }
            for (int i = 0; i < h.size(); i++) {
                FrameHeader f = h.get(i);
                assertEquals(i, f.frameNumber());
                assertEquals("sim-001", f.scanId());
                assertEquals(XanesSimulator.SOURCE, f.source());
                assertEquals(PixelType.UINT16, f.pixelType());
                assertEquals(64, f.width());
                assertEquals(64, f.height());
                if (i > 0) {
                    assertTrue(f.epochNanos() > h.get(i - 1).epochNanos(), "timestamps increase");
                }
            }
            assertEquals(CLOCK.millis() * 1_000_000L, h.get(0).epochNanos());
            assertEquals(List.of(new InMemoryFrameSink.ScanEvent(true, "sim-001", 0),
                    new InMemoryFrameSink.ScanEvent(false, "sim-001", h.size())), sink.events());
        }
    }

    @Test
    void operandoSeriesSendsOneCompleteScanAfterAnother() throws Exception {
        SimulatorConfig cfg = TestConfigs.small().withAcquisition(AcquisitionConfig.defaults().withChunkSize(1)
                .withScans(3).withScanIdPrefix("op"));
        InMemoryFrameSink sink = new InMemoryFrameSink(false);
        try (XanesSimulator sim = XanesSimulator.create(cfg)) {
            sim.stream(sink, StreamOptions.quiet(CLOCK));
            int perScan = 1 + 2 * sim.energiesEv().length;
            assertEquals(3 * perScan, sink.headers().size());
            assertEquals(6, sink.events().size());
            for (int s = 0; s < 3; s++) {
                String id = "op-00" + (s + 1);
                assertEquals(new InMemoryFrameSink.ScanEvent(true, id, s * perScan), sink.events().get(2 * s));
                assertEquals(new InMemoryFrameSink.ScanEvent(false, id, (s + 1) * perScan), sink.events().get(2 * s + 1));
                assertEquals(0, sink.headers().get(s * perScan).frameNumber());
                assertEquals(FrameKind.DARK, sink.headers().get(s * perScan).kind());
                assertEquals(id, sink.headers().get(s * perScan + perScan - 1).scanId());
            }
            assertEquals(0.0, sim.seriesTime(0));
            assertEquals(1.0, sim.seriesTime(2));
        }
    }

    @Test
    void reportsProgressAndASummary() throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
        try (XanesSimulator sim = XanesSimulator.create(TestConfigs.small().withSize(16, 16))) {
            sim.stream(new InMemoryFrameSink(false), new StreamOptions(out, 1e-9, CLOCK));
        }
        String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(text.contains("simulate: scan 1/1 sim-001, energy "), text);
        assertTrue(text.contains("frames/s"), text);
        assertTrue(text.contains("simulate: done, 1 scan(s), 65 frames"), text);
    }

    @Test
    void pacesFramesAtTheConfiguredRate() throws Exception {
        SimulatorConfig cfg = TestConfigs.small().withSize(16, 16)
                .withAcquisition(AcquisitionConfig.defaults().withChunkSize(1).withFrameRateHz(200));
        try (XanesSimulator sim = XanesSimulator.create(cfg)) {
            InMemoryFrameSink sink = new InMemoryFrameSink(false);
            StreamStats s = sim.stream(sink, StreamOptions.quiet(CLOCK));
            // 13 frames at 200/s: the last is due 60 ms after the first; pacing never sends early
            assertTrue(s.elapsedS() >= (s.frames() - 1) / 200.0, "elapsed " + s.elapsedS());
        }
    }
}
