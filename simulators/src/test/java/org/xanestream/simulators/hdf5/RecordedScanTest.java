package org.xanestream.simulators.hdf5;

import org.xanestream.ingest.DebianPython;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordedScanTest {
    @TempDir
    Path dir;

    static FxiFileWriter.FxiScan fixture(int w, int h, int n) {
        List<float[]> t = new ArrayList<>();
        List<float[]> f = new ArrayList<>();
        double[] e = new double[n];
        for (int k = 0; k < n; k++) {
            e[k] = 8300 + k;
            float[] ti = new float[w * h];
            float[] fi = new float[w * h];
            for (int i = 0; i < w * h; i++) {
                ti[i] = 0.3f + 0.5f * ((i * 31 + k * 7) % 97) / 97f;
                fi[i] = 18000 + (i % w) * 3 + k;
            }
            t.add(ti);
            f.add(fi);
        }
        float[] dark = new float[w * h];
        java.util.Arrays.fill(dark, 101f);
        return new FxiFileWriter.FxiScan("77", e, w, h, t, f, dark, "fixture", 246.0, 21.6);
    }

    @Test
    void readsBackWhatTheFxiWriterWrote() throws Exception {
        var scan = fixture(24, 16, 5);
        Path p = dir.resolve("s.h5");
        new FxiFileWriter(true).write(scan, p);
        try (RecordedScan r = RecordedScan.open(p)) {
            assertEquals(ScanLayout.FXI, r.layout());
            assertEquals("77", r.scanId());
            assertEquals(24, r.width());
            assertEquals(16, r.height());
            assertArrayEquals(scan.energiesEv(), r.energiesEv(), 1e-9);
            for (int k = 0; k < 5; k++) {
                assertArrayEquals(scan.transmission().get(k), r.sample(k));
                assertArrayEquals(scan.flats().get(k), r.flat(k));
            }
            assertArrayEquals(scan.dark(), r.dark(0));
            assertEquals("21.6nm", r.text("/Pixel Size"));
            assertTrue(r.preNormalized());
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(p), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void everyStorageLayoutReadsTheSameImages() throws Exception {
        var scan = fixture(24, 16, 3);
        Path plain = dir.resolve("plain.h5");
        Path packed = dir.resolve("packed.h5");
        new FxiFileWriter(false).write(scan, plain);
        new FxiFileWriter(true).write(scan, packed);
        Path halves = dir.resolve("halves.h5");
        try (WritableHdfFile f = HdfFile.write(halves)) {
            var opts = io.jhdf.api.DatasetCreationOptions.builder().chunkDimensions(1, 8, 24).deflate(1).build();
            f.putDataset("img_xanes", FxiFileWriter.stack(scan.transmission(), 24, 16), opts);
            f.putDataset("img_bkg", FxiFileWriter.stack(scan.flats(), 24, 16), opts);
            f.putDataset("img_dark", FxiFileWriter.stack(List.of(scan.dark()), 24, 16));
            f.putDataset("X_eng", new double[] {8.3, 8.301, 8.302});
        }
        float[] out = new float[24 * 16];
        for (Path p : List.of(plain, packed, halves)) {
            try (RecordedScan r = RecordedScan.open(p)) {
                for (int k = 0; k < 3; k++) {
                    r.readSample(k, out);
                    assertArrayEquals(scan.transmission().get(k), out, p.getFileName() + " sample " + k);
                    r.readFlat(k, out);
                    assertArrayEquals(scan.flats().get(k), out, p.getFileName() + " flat " + k);
                }
                r.readDark(0, out);
                assertArrayEquals(scan.dark(), out);
                assertThrows(IndexOutOfBoundsException.class, () -> r.readSample(3, out));
            }
        }
        try (RecordedScan a = RecordedScan.open(plain); RecordedScan b = RecordedScan.open(packed);
             RecordedScan c = RecordedScan.open(halves)) {
            assertEquals("contiguous", a.sampleReadPath());
            assertEquals("chunk-per-image", b.sampleReadPath());
            assertEquals("general", c.sampleReadPath());
        }
    }

    @Test
    void integerImagesOfEitherSignednessReadAsTheirValues() throws Exception {
        Path p = dir.resolve("ints.h5");
        short[][][] u16 = {{{0, (short) 65535}, {(short) 40000, 7}}};
        try (WritableHdfFile f = HdfFile.write(p)) {
            var ex = f.putGroup("exchange");
            ex.putDataset("data", u16, io.jhdf.api.DatasetCreationOptions.builder().unsigned().build());
            ex.putDataset("data_white", new short[][][] {{{-2, 3}, {4, 5}}});
            ex.putDataset("data_dark", new byte[][][] {{{-1, 2}, {3, 4}}});
            ex.putDataset("energy", new double[] {8.33});
        }
        try (RecordedScan r = RecordedScan.open(p)) {
            assertEquals("contiguous", r.sampleReadPath());
            assertArrayEquals(new float[] {0, 65535, 40000, 7}, r.sample(0));
            assertArrayEquals(new float[] {-2, 3, 4, 5}, r.flat(0));
            assertArrayEquals(new float[] {-1, 2, 3, 4}, r.dark(0));
        }
    }

    @Test
    void h5pyReadsTheFxiFileWeWrite() throws Exception {
        var scan = fixture(12, 10, 3);
        Path p = dir.resolve("for_h5py.h5");
        new FxiFileWriter(true).write(scan, p);
        JsonNode j = new ObjectMapper().readTree(DebianPython.run("check_fxi.py", p.toString()));
        assertEquals("[3,10,12]", j.get("img_xanes").get("shape").toString());
        assertEquals("float32", j.get("img_xanes").get("dtype").asText());
        assertEquals("[1,10,12]", j.get("img_dark").get("shape").toString());
        assertEquals(8.300, j.get("x_eng").get(0).asDouble(), 1e-12);
        assertEquals("21.6nm", j.get("pixel_size").asText());
        assertEquals(scan.transmission().get(1)[2 * 12 + 3], j.get("first_pixel").asDouble(), 1e-6);
        double sum = 0;
        for (float[] img : scan.flats()) {
            for (float v : img) sum += v;
        }
        assertEquals(sum, j.get("img_bkg").get("sum").asDouble(), sum * 1e-6);
    }

    @Test
    void readsAChunkedGzipFileWrittenByH5py() throws Exception {
        Path p = dir.resolve("h5py.h5");
        DebianPython.run("write_fxi.py", p.toString(), "20", "8", "4");
        try (RecordedScan r = RecordedScan.open(p)) {
            assertEquals(ScanLayout.FXI, r.layout());
            assertEquals("4242", r.scanId());
            assertEquals(20, r.width());
            assertEquals(8, r.height());
            assertEquals(8301.0, r.energiesEv()[1], 1e-6);
            float[] t2 = r.sample(2);
            float[] b3 = r.flat(3);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 20; x++) {
                    assertEquals(0.5f + 0.001f * x + 0.002f * y + 0.02f, t2[y * 20 + x], 1e-6f);
                    assertEquals(20000 + 10 * x - 5 * y + 3, b3[y * 20 + x], 1e-3f);
                }
            }
            assertEquals(100f, r.dark(0)[7]);
            assertEquals("chunk-per-image", r.sampleReadPath());
        }
    }

    @Test
    void readsTheDxchangeLayout() throws Exception {
        Path p = dir.resolve("dx.h5");
        try (WritableHdfFile f = HdfFile.write(p)) {
            var ex = f.putGroup("exchange");
            ex.putDataset("data", new int[][][] {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}});
            ex.putDataset("data_white", new int[][][] {{{10, 10}, {10, 10}}});
            ex.putDataset("data_dark", new int[][][] {{{0, 1}, {0, 1}}});
            ex.putDataset("energy", new double[] {8.33, 8.34});
        }
        try (RecordedScan r = RecordedScan.open(p)) {
            assertEquals(ScanLayout.DXCHANGE, r.layout());
            assertEquals(2, r.energyCount());
            assertEquals(1, r.flatCount());
            assertArrayEquals(new double[] {8330, 8340}, r.energiesEv(), 1e-9);
            assertArrayEquals(new float[] {5, 6, 7, 8}, r.sample(1));
            assertTrue(!r.preNormalized());
        }
    }

    @Test
    void namesTheMissingDataset() throws Exception {
        Path p = dir.resolve("missing.h5");
        try (WritableHdfFile f = HdfFile.write(p)) {
            f.putDataset("img_xanes", new float[][][] {{{1f}}});
            f.putDataset("X_eng", new double[] {8.3});
            f.putDataset("img_dark", new float[][][] {{{1f}}});
        }
        var e = assertThrows(Hdf5ScanException.class, () -> RecordedScan.open(p));
        assertTrue(e.getMessage().contains("/img_bkg"), e.getMessage());
    }

    @Test
    void rejectsShapeMismatchBetweenDatasets() throws Exception {
        Path p = dir.resolve("shape.h5");
        try (WritableHdfFile f = HdfFile.write(p)) {
            f.putDataset("img_xanes", new float[2][3][4]);
            f.putDataset("img_bkg", new float[2][3][5]);
            f.putDataset("img_dark", new float[1][3][4]);
            f.putDataset("X_eng", new double[] {8.3, 8.31});
        }
        var e = assertThrows(Hdf5ScanException.class, () -> RecordedScan.open(p));
        assertTrue(e.getMessage().contains("/img_bkg shape [2, 3, 5]"), e.getMessage());
    }

    @Test
    void rejectsEnergyCountMismatchAndNonFiniteEnergies() throws Exception {
        Path p = dir.resolve("eng.h5");
        try (WritableHdfFile f = HdfFile.write(p)) {
            f.putDataset("img_xanes", new float[2][3][4]);
            f.putDataset("img_bkg", new float[2][3][4]);
            f.putDataset("img_dark", new float[1][3][4]);
            f.putDataset("X_eng", new double[] {8.3, Double.NaN});
        }
        var e = assertThrows(Hdf5ScanException.class, () -> RecordedScan.open(p));
        assertTrue(e.getMessage().contains("/X_eng[1] = NaN"), e.getMessage());

        Path q = dir.resolve("count.h5");
        try (WritableHdfFile f = HdfFile.write(q)) {
            f.putDataset("img_xanes", new float[2][3][4]);
            f.putDataset("img_bkg", new float[2][3][4]);
            f.putDataset("img_dark", new float[1][3][4]);
            f.putDataset("X_eng", new double[] {8.3, 8.31, 8.32});
        }
        var e2 = assertThrows(Hdf5ScanException.class, () -> RecordedScan.open(q));
        assertTrue(e2.getMessage().contains("2 images but /X_eng has 3"), e2.getMessage());
    }

    @Test
    void aTruncatedFileIsRejectedWhenOpened() throws Exception {
        Path p = dir.resolve("cut.h5");
        new FxiFileWriter(false).write(fixture(24, 16, 4), p);
        long size = Files.size(p);
        try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size - 100);
        }
        var e = assertThrows(Hdf5ScanException.class, () -> RecordedScan.open(p));
        assertTrue(e.getMessage().contains("cut.h5: cannot read /img_") && e.getMessage().contains("truncated"),
                e.getMessage());
    }

    @Test
    void rejectsAFileThatIsNotHdf5() throws Exception {
        Path p = dir.resolve("junk.h5");
        Files.writeString(p, "not hdf5 at all");
        var e = assertThrows(Hdf5ScanException.class, () -> RecordedScan.open(p));
        assertTrue(e.getMessage().contains("junk.h5"), e.getMessage());
        assertThrows(Hdf5ScanException.class, () -> RecordedScan.open(dir.resolve("nope.h5")));
    }
}
