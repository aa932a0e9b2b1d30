package org.xanestream.simulators.hdf5;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.simulators.sink.InMemoryFrameSink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanReplayerTest {
    @TempDir
    Path dir;

    /** The pixels of a kept frame as floats. */
    static float[] floats(Frame f) {
        FrameHeader h = f.header();
        ByteBuffer b = f.pixels();
        float[] out = new float[(int) h.pixelCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = h.pixelType() == PixelType.FLOAT32 ? b.getFloat(i * 4) : b.getShort(i * 2) & 0xFFFF;
        }
        return out;
    }

    @Test
    void rawModeReconstructsSampleFramesThatNormalizeBackToTheTransmission() throws Exception {
        var fx = RecordedScanTest.fixture(6, 4, 3);
        Path p = dir.resolve("r.h5");
        new FxiFileWriter(false).write(fx, p);
        var sink = new InMemoryFrameSink();
        try (RecordedScan scan = RecordedScan.open(p)) {
            assertEquals(1 + 3 * 2, ScanReplayer.frameCount(scan, ScanReplayer.Mode.RAW));
            var result = new ScanReplayer(sink, ScanReplayer.Settings.defaults(), null).replay(scan);
            assertEquals(1 + 3 * 2, result.frames());
            assertEquals("77", result.scanId());
            assertEquals((1 + 3 * 2) * 6 * 4 * 4L, result.bytes());
        }
        assertEquals(List.of(new InMemoryFrameSink.ScanEvent(true, "77", 0), new InMemoryFrameSink.ScanEvent(false, "77", 7)),
                sink.events());
        List<FrameHeader> headers = sink.headers();
        assertEquals(FrameKind.DARK, headers.get(0).kind());
        assertTrue(Double.isNaN(headers.get(0).energyEv()));
        float[] d = floats(sink.frames().get(0));
        for (int k = 0; k < 3; k++) {
            FrameHeader sh = headers.get(1 + 2 * k);
            FrameHeader fh = headers.get(2 + 2 * k);
            assertEquals(FrameKind.SAMPLE, sh.kind());
            assertEquals(FrameKind.FLAT, fh.kind());
            assertEquals(fx.energiesEv()[k], sh.energyEv());
            assertEquals(fx.energiesEv()[k], fh.energyEv());
            assertEquals(6, sh.width());
            assertEquals(4, sh.height());
            float[] s = floats(sink.frames().get(1 + 2 * k));
            float[] f = floats(sink.frames().get(2 + 2 * k));
            for (int i = 0; i < s.length; i++) {
                float t = (s[i] - d[i]) / (f[i] - d[i]);
                assertEquals(fx.transmission().get(k)[i], t, 1e-5f);
            }
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), headers.stream().map(FrameHeader::frameNumber).toList());
    }

    @Test
    void transmissionModeSendsThePreNormalizedImagesOnly() throws Exception {
        var fx = RecordedScanTest.fixture(5, 3, 4);
        Path p = dir.resolve("t.h5");
        new FxiFileWriter(false).write(fx, p);
        var sink = new InMemoryFrameSink();
        var settings = ScanReplayer.Settings.defaults().withMode(ScanReplayer.Mode.TRANSMISSION).withScanIdOverride("override");
        try (RecordedScan scan = RecordedScan.open(p)) {
            new ScanReplayer(sink, settings, null).replay(scan);
        }
        assertEquals(4, sink.headers().size());
        for (int k = 0; k < 4; k++) {
            assertEquals(FrameKind.TRANSMISSION, sink.headers().get(k).kind());
            assertEquals("override", sink.headers().get(k).scanId());
            assertEquals(fx.transmission().get(k)[7], floats(sink.frames().get(k))[7]);
        }
        assertEquals("override", sink.events().get(1).scanId());
    }

    @Test
    void uint16ModeRoundsAndClampsLikeADetector() throws Exception {
        var fx = RecordedScanTest.fixture(5, 3, 1);
        fx.transmission().get(0)[0] = Float.NaN;
        fx.transmission().get(0)[1] = 10f; // 10 × flat ≈ 180000 counts: saturates
        fx.transmission().get(0)[2] = -1f; // below the dark: clamps to 0
        Path p = dir.resolve("u.h5");
        new FxiFileWriter(false).write(fx, p);
        var sink = new InMemoryFrameSink();
        var settings = ScanReplayer.Settings.defaults().withPixelType(PixelType.UINT16);
        try (RecordedScan scan = RecordedScan.open(p)) {
            new ScanReplayer(sink, settings, null).replay(scan);
        }
        assertEquals(PixelType.UINT16, sink.headers().get(1).pixelType());
        float[] s = floats(sink.frames().get(1));
        float expected = fx.transmission().get(0)[4] * (fx.flats().get(0)[4] - 101f) + 101f;
        assertEquals(Math.round(expected), s[4]);
        assertEquals(0f, s[0]);
        assertEquals(65535f, s[1]);
        assertEquals(0f, s[2]);
    }

    @Test
    void dxchangeFilesWithSharedFlatsSendThemAtTheFirstEnergy() throws Exception {
        Path p = dir.resolve("dx.h5");
        try (io.jhdf.WritableHdfFile f = io.jhdf.HdfFile.write(p)) {
            var ex = f.putGroup("exchange");
            ex.putDataset("data", new float[][][] {{{1, 2}}, {{3, 4}}, {{5, 6}}});
            ex.putDataset("data_white", new float[][][] {{{10, 10}}, {{11, 11}}});
            ex.putDataset("data_dark", new float[][][] {{{0, 1}}});
            ex.putDataset("energy", new double[] {8.33, 8.34, 8.35});
        }
        var sink = new InMemoryFrameSink();
        try (RecordedScan scan = RecordedScan.open(p)) {
            assertEquals(1 + 3 + 2, ScanReplayer.frameCount(scan, ScanReplayer.Mode.RAW));
            new ScanReplayer(sink, ScanReplayer.Settings.defaults(), null).replay(scan);
            var e = assertThrows(IllegalArgumentException.class, () -> new ScanReplayer(sink,
                    ScanReplayer.Settings.defaults().withMode(ScanReplayer.Mode.TRANSMISSION), null).replay(scan));
            assertTrue(e.getMessage().contains("use mode raw"), e.getMessage());
        }
        List<FrameKind> kinds = sink.headers().stream().map(FrameHeader::kind).toList();
        assertEquals(List.of(FrameKind.DARK, FrameKind.SAMPLE, FrameKind.FLAT, FrameKind.FLAT, FrameKind.SAMPLE,
                FrameKind.SAMPLE), kinds);
        assertEquals(8330.0, sink.headers().get(3).energyEv(), 1e-9);
        assertEquals(3f, floats(sink.frames().get(4))[0], "raw DXchange samples are sent as they are");
    }

    @Test
    void pacesToTheRequestedRateAndReportsProgress() throws Exception {
        var fx = RecordedScanTest.fixture(4, 4, 5);
        Path p = dir.resolve("paced.h5");
        new FxiFileWriter(false).write(fx, p);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        var settings = ScanReplayer.Settings.defaults().withFramesPerSecond(100).withProgressIntervalS(0.001);
        ScanReplayer.Result r;
        try (RecordedScan scan = RecordedScan.open(p); PrintStream ps = new PrintStream(log, true, StandardCharsets.UTF_8)) {
            r = new ScanReplayer(new InMemoryFrameSink(false), settings, ps).replay(scan);
        }
        // 11 frames at 100 frames/s: the last one is due 100 ms after the first
        assertEquals(11, r.frames());
        assertTrue(r.seconds() >= 0.099, "paced: " + r.seconds() + " s");
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("replay 77: frame "), text);
        assertTrue(text.contains("/11 "), text);
    }

    @Test
    void sinkFailuresPropagate() throws Exception {
        var fx = RecordedScanTest.fixture(4, 4, 2);
        Path p = dir.resolve("fail.h5");
        new FxiFileWriter(false).write(fx, p);
        var failing = new org.xanestream.simulators.sink.FrameSink() {
            @Override public void beginScan(String s, int w, int h, PixelType t) { }
            @Override public void sendFrame(FrameHeader h, ByteBuffer px) throws IOException {
                throw new IOException("receiver gone");
            }
            @Override public void endScan(String s) { }
            @Override public void close() { }
        };
        try (RecordedScan scan = RecordedScan.open(p)) {
            var e = assertThrows(IOException.class,
                    () -> new ScanReplayer(failing, ScanReplayer.Settings.defaults(), null).replay(scan));
            assertEquals("receiver gone", e.getMessage());
        }
    }

    @Test
    void rejectsInvalidSettingsNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ScanReplayer.Settings.defaults().withMode(ScanReplayer.Mode.TRANSMISSION).withPixelType(PixelType.UINT16));
        assertTrue(e.getMessage().contains("uint16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScanReplayer.Settings.defaults().withFramesPerSecond(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ScanReplayer.Mode.parse("cooked"));
        assertTrue(e.getMessage().contains("cooked"), e.getMessage());
        assertEquals(ScanReplayer.Mode.TRANSMISSION, ScanReplayer.Mode.parse(" Transmission "));
    }
}
