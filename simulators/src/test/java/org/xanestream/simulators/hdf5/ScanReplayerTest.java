package org.xanestream.simulators.hdf5;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xanestream.ingest.FrameEncoder;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScanReplayerTest {
    @TempDir
    Path dir;

    /** Keeps what it is asked to encode, as floats. */
    static final class CapturingEncoder implements FrameEncoder {
        final List<FrameHeader> headers = new ArrayList<>();
        final List<float[]> pixels = new ArrayList<>();
        int begins;
        int ends;

        @Override
        public List<List<byte[]>> beginScan(String scanId, int width, int height, PixelType pixelType) {
            begins++;
            return List.of();
        }

        @Override
        public List<byte[]> encodeFrame(FrameHeader header, ByteBuffer px) {
            headers.add(header);
            ByteBuffer b = px.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            float[] f = new float[(int) header.pixelCount()];
            for (int i = 0; i < f.length; i++) {
                f[i] = header.pixelType() == PixelType.FLOAT32 ? b.getFloat(i * 4) : b.getShort(i * 2) & 0xFFFF;
            }
            pixels.add(f);
            return List.of(new byte[1]);
        }

        @Override
        public List<byte[]> endScan(String scanId) {
            ends++;
            return List.of("STOP".getBytes());
        }
    }

    @Test
    void rawModeReconstructsSampleFramesThatNormalizeBackToTheTransmission() throws Exception {
        var fx = RecordedScanTest.fixture(6, 4, 3);
        Path p = dir.resolve("r.h5");
        new FxiFileWriter(false).write(fx, p);
        var enc = new CapturingEncoder();
        List<List<byte[]>> sent = new ArrayList<>();
        try (RecordedScan scan = RecordedScan.open(p)) {
            var result = new ScanReplayer(enc, sent::add, ScanReplayer.Settings.defaults(), null).replay(scan);
            assertEquals(1 + 3 * 2, result.frames());
        }
        assertEquals(1, enc.begins);
        assertEquals(1, enc.ends);
        assertEquals(1 + 3 * 2 + 1, sent.size(), "frames plus the end-of-scan message");
        assertEquals(FrameKind.DARK, enc.headers.get(0).kind());
        assertTrue(Double.isNaN(enc.headers.get(0).energyEv()));
        float[] d = enc.pixels.get(0);
        for (int k = 0; k < 3; k++) {
            FrameHeader sh = enc.headers.get(1 + 2 * k);
            FrameHeader fh = enc.headers.get(2 + 2 * k);
            assertEquals(FrameKind.SAMPLE, sh.kind());
            assertEquals(FrameKind.FLAT, fh.kind());
            assertEquals(fx.energiesEv()[k], sh.energyEv());
            assertEquals(fx.energiesEv()[k], fh.energyEv());
            float[] s = enc.pixels.get(1 + 2 * k);
            float[] f = enc.pixels.get(2 + 2 * k);
            for (int i = 0; i < s.length; i++) {
                float t = (s[i] - d[i]) / (f[i] - d[i]);
                assertEquals(fx.transmission().get(k)[i], t, 1e-5f);
            }
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), enc.headers.stream().map(FrameHeader::frameNumber).toList());
    }

    @Test
    void transmissionModeSendsThePreNormalizedImagesOnly() throws Exception {
        var fx = RecordedScanTest.fixture(5, 3, 4);
        Path p = dir.resolve("t.h5");
        new FxiFileWriter(false).write(fx, p);
        var enc = new CapturingEncoder();
        var settings = new ScanReplayer.Settings(ScanReplayer.Mode.TRANSMISSION, PixelType.FLOAT32, 0, "override");
        try (RecordedScan scan = RecordedScan.open(p)) {
            new ScanReplayer(enc, m -> { }, settings, null).replay(scan);
        }
        assertEquals(4, enc.headers.size());
        for (int k = 0; k < 4; k++) {
            assertEquals(FrameKind.TRANSMISSION, enc.headers.get(k).kind());
            assertEquals("override", enc.headers.get(k).scanId());
            assertEquals(fx.transmission().get(k)[7], enc.pixels.get(k)[7]);
        }
    }

    @Test
    void uint16ModeRoundsAndClampsLikeADetector() throws Exception {
        var fx = RecordedScanTest.fixture(5, 3, 1);
        Path p = dir.resolve("u.h5");
        new FxiFileWriter(false).write(fx, p);
        var enc = new CapturingEncoder();
        var settings = new ScanReplayer.Settings(ScanReplayer.Mode.RAW, PixelType.UINT16, 0, null);
        try (RecordedScan scan = RecordedScan.open(p)) {
            new ScanReplayer(enc, m -> { }, settings, null).replay(scan);
        }
        assertEquals(PixelType.UINT16, enc.headers.get(1).pixelType());
        float expected = fx.transmission().get(0)[4] * (fx.flats().get(0)[4] - 101f) + 101f;
        assertEquals(Math.round(expected), enc.pixels.get(1)[4]);
    }

    @Test
    void rejectsInvalidSettingsNamingTheValue() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ScanReplayer.Settings(ScanReplayer.Mode.TRANSMISSION, PixelType.UINT16, 0, null));
        assertTrue(e.getMessage().contains("uint16"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ScanReplayer.Settings(ScanReplayer.Mode.RAW, PixelType.FLOAT32, -1, null));
    }
}
