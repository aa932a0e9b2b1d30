package org.xanestream.simulators.hdf5;

import org.xanestream.ingest.DebianPython;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.simulators.SimulatorConfig;
import org.xanestream.simulators.StreamOptions;
import org.xanestream.simulators.XanesSimulator;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
import org.xanestream.simulators.acquisition.EnergyGrid;
import org.xanestream.simulators.sink.InMemoryFrameSink;
import org.xanestream.simulators.sink.TeeFrameSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FxiFileSinkTest {
    @TempDir
    Path dir;

    static SimulatorConfig small(int scans) {
        return SimulatorConfig.defaults().withSize(40, 32).withPixelSizeUm(0.3)
                .withEnergies(EnergyGrid.parse("-60,-20,0,3,30,120", true)).withThreads(2)
                .withAcquisition(AcquisitionConfig.defaults().withChunkSize(3).withScans(scans));
    }

    /** Mean over the frames of {@code kind} (at {@code energyEv}, or any energy for darks), as floats. */
    static float[] mean(List<Frame> frames, FrameKind kind, double energyEv) {
        float[] sum = null;
        int n = 0;
        for (Frame f : frames) {
            FrameHeader h = f.header();
            if (h.kind() != kind || (kind != FrameKind.DARK && h.energyEv() != energyEv)) {
                continue;
            }
            if (sum == null) {
                sum = new float[(int) h.pixelCount()];
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] += f.pixels().getShort(2 * i) & 0xFFFF;
            }
            n++;
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] /= n;
        }
        return sum;
    }

    @Test
    void simulatedScanBecomesAnFxiFileOfMeanImagesAndTheirTransmission() throws Exception {
        Path file = dir.resolve("sim.h5");
        InMemoryFrameSink memory = new InMemoryFrameSink();
        FxiFileSink fxi = new FxiFileSink(id -> file, FxiFileSink.Metadata.ofPixelSizeUm("simulated", 0.3), true);
        double[] energies;
        try (XanesSimulator sim = XanesSimulator.create(small(1));
             TeeFrameSink tee = new TeeFrameSink(List.of(memory, fxi))) {
            sim.stream(tee, StreamOptions.quiet(Clock.systemUTC()));
            energies = sim.energiesEv();
        }
        assertEquals(List.of(file), fxi.written());
        float[] dark = mean(memory.frames(), FrameKind.DARK, 0);
        try (RecordedScan r = RecordedScan.open(file)) {
            assertEquals(ScanLayout.FXI, r.layout());
            assertEquals("sim-001", r.scanId());
            assertEquals(40, r.width());
            assertEquals(32, r.height());
            assertArrayEquals(energies, r.energiesEv(), 1e-9);
            assertEquals(1, r.darkCount());
            assertArrayEquals(dark, r.dark(0));
            for (int k = 0; k < energies.length; k++) {
                float[] s = mean(memory.frames(), FrameKind.SAMPLE, energies[k]);
                float[] f = mean(memory.frames(), FrameKind.FLAT, energies[k]);
                assertArrayEquals(f, r.flat(k), "flat of energy " + k);
                float[] t = r.sample(k);
                for (int i = 0; i < t.length; i++) {
                    assertEquals((s[i] - dark[i]) / (f[i] - dark[i]), t[i], 0f, "transmission pixel " + i);
                }
            }
            assertEquals("300nm", r.text("/Pixel Size"));
            assertEquals("simulated", r.text("/note"));
        }
        JsonNode j = new ObjectMapper().readTree(DebianPython.run("check_fxi.py", file.toString()));
        assertEquals("[6,32,40]", j.get("img_xanes").get("shape").toString());
        assertEquals("float32", j.get("img_bkg").get("dtype").asText());
        assertEquals(energies[0] / 1000, j.get("x_eng").get(0).asDouble(), 1e-12);
    }

    @Test
    void rawReplayOfTheFileSendsTheMeanFrames() throws Exception {
        Path file = dir.resolve("sim.h5");
        InMemoryFrameSink memory = new InMemoryFrameSink();
        try (XanesSimulator sim = XanesSimulator.create(small(1));
             TeeFrameSink tee = new TeeFrameSink(List.of(memory,
                     new FxiFileSink(id -> file, FxiFileSink.Metadata.ofPixelSizeUm("", 0.3), false)))) {
            sim.stream(tee, StreamOptions.quiet(Clock.systemUTC()));
        }
        InMemoryFrameSink replayed = new InMemoryFrameSink();
        try (RecordedScan r = RecordedScan.open(file)) {
            new ScanReplayer(replayed, ScanReplayer.Settings.defaults(), null).replay(r);
        }
        assertEquals(1 + 6 * 2, replayed.headers().size());
        Frame sample = replayed.frames().get(5); // dark, then (sample, flat) per energy: energy 2's sample
        assertEquals(FrameKind.SAMPLE, sample.header().kind());
        float[] expected = mean(memory.frames(), FrameKind.SAMPLE, sample.header().energyEv());
        for (int i = 0; i < expected.length; i++) {
            // T·(F−D)+D in float32 gives back the mean sample to rounding
            assertEquals(expected[i], sample.pixels().getFloat(4 * i), expected[i] * 1e-5f);
        }
    }

    @Test
    void writesOneFilePerScanOfASeries() throws Exception {
        FxiFileSink fxi = new FxiFileSink(id -> dir.resolve(id + ".h5"), FxiFileSink.Metadata.ofPixelSizeUm("", 0.3), false);
        try (XanesSimulator sim = XanesSimulator.create(small(2))) {
            sim.stream(fxi, StreamOptions.quiet(Clock.systemUTC()));
        }
        assertEquals(List.of(dir.resolve("sim-001.h5"), dir.resolve("sim-002.h5")), fxi.written());
        try (RecordedScan r = RecordedScan.open(dir.resolve("sim-002.h5"))) {
            assertEquals("sim-002", r.scanId());
        }
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files left");
        }
    }

    private static ByteBuffer uint16(int pixels, int value) {
        ByteBuffer b = ByteBuffer.allocate(2 * pixels).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < pixels; i++) {
            b.putShort(2 * i, (short) value);
        }
        return b;
    }

    private static FrameHeader header(long n, FrameKind kind, double e) {
        return new FrameHeader("test", "s", n, kind, e, 2, 2, PixelType.UINT16, 0, java.util.Map.of());
    }

    @Test
    void anEnergyWithoutFlatBorrowsTheNearestFlat() throws Exception {
        Path file = dir.resolve("borrow.h5");
        FxiFileSink fxi = new FxiFileSink(id -> file, FxiFileSink.Metadata.ofPixelSizeUm("", 0.3), false);
        fxi.beginScan("s", 2, 2, PixelType.UINT16);
        fxi.sendFrame(header(0, FrameKind.DARK, Double.NaN), uint16(4, 100));
        fxi.sendFrame(header(1, FrameKind.SAMPLE, 8300), uint16(4, 600));
        fxi.sendFrame(header(2, FrameKind.FLAT, 8300), uint16(4, 1100));
        fxi.sendFrame(header(3, FrameKind.SAMPLE, 8310), uint16(4, 300));
        fxi.sendFrame(header(4, FrameKind.SAMPLE, 8320), uint16(4, 700));
        fxi.sendFrame(header(5, FrameKind.FLAT, 8320), uint16(4, 2100));
        fxi.endScan("s");
        try (RecordedScan r = RecordedScan.open(file)) {
            assertEquals(3, r.energyCount());
            assertEquals(0.5f, r.sample(0)[0]);
            assertEquals(1100f, r.flat(1)[0], "8310 borrows the flat of 8300 (nearer than 8320 by tie order)");
            assertEquals(0.2f, r.sample(1)[0], 1e-7f);
            assertEquals(0.3f, r.sample(2)[0], 1e-7f);
        }
    }

    @Test
    void scansTheLayoutCannotHoldFailWithAClearMessage() throws Exception {
        FxiFileSink fxi = new FxiFileSink(id -> dir.resolve("x.h5"), FxiFileSink.Metadata.ofPixelSizeUm("", 0.3), false);
        fxi.beginScan("s", 2, 2, PixelType.UINT16);
        fxi.sendFrame(header(0, FrameKind.SAMPLE, 8300), uint16(4, 600));
        fxi.sendFrame(header(1, FrameKind.FLAT, 8300), uint16(4, 1100));
        var e = assertThrows(IOException.class, () -> fxi.endScan("s"));
        assertTrue(e.getMessage().contains("no dark frames"), e.getMessage());

        fxi.beginScan("t", 2, 2, PixelType.UINT16);
        fxi.sendFrame(header(0, FrameKind.DARK, Double.NaN), uint16(4, 100));
        fxi.sendFrame(header(1, FrameKind.SAMPLE, 8300), uint16(4, 600));
        e = assertThrows(IOException.class, () -> fxi.endScan("t"));
        assertTrue(e.getMessage().contains("no flat frames"), e.getMessage());

        fxi.beginScan("u", 2, 2, PixelType.UINT16);
        e = assertThrows(IOException.class, () -> fxi.sendFrame(header(0, FrameKind.TRANSMISSION, 8300), uint16(4, 1)));
        assertTrue(e.getMessage().contains("TRANSMISSION"), e.getMessage());
        e = assertThrows(IOException.class, () -> fxi.sendFrame(
                new FrameHeader("test", "u", 1, FrameKind.DARK, Double.NaN, 3, 2, PixelType.UINT16, 0, java.util.Map.of()),
                uint16(6, 1)));
        assertTrue(e.getMessage().contains("3x2"), e.getMessage());
        fxi.close();
        assertTrue(fxi.written().isEmpty());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
