package org.xanestream.publisher.hdf5;

import org.xanestream.ingest.DebianPython;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ScanEnd;
import org.xanestream.processor.ScanInfo;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.spectra.ReferenceSpectrum;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultFileWriterTest {
    @TempDir
    Path dir;

    static final int W = 7;
    static final int H = 5;

    static float[] image(float base) {
        float[] a = new float[W * H];
        for (int i = 0; i < a.length; i++) {
            a[i] = base + i * 0.01f;
        }
        a[0] = Float.NaN;
        return a;
    }

    static ScanEnd scanEnd(ScanInfo info) {
        Map<String, float[]> maps = new LinkedHashMap<>();
        maps.put("whiteline_ev", image(8350f));
        maps.put("edge_ev", image(8344f));
        maps.put("mask", image(1f));
        maps.put("pre_edge_sd", image(0.01f));
        maps.put("fraction_NiO", image(0.4f));
        MapsSnapshot snap = new MapsSnapshot(info.scanId(), 3, true, W, H, maps, Map.of(), false, 1000L);
        return new ScanEnd(info, 3, 30, 1, snap, new double[] {8330, 8340, 8350}, 2000L);
    }

    static EnergyPoint point(int index, double e, float base) {
        return new EnergyPoint("s1", index, e, 5, 5, e, 0.25 * index, -0.5, 0.9, false, 1.0, 1000L, W, H, image(base));
    }

    @Test
    void writesTheTxmSandboxLayoutWithOurMapsAndProvenance() throws Exception {
        ReferenceSpectrum ref = new ReferenceSpectrum("NiO", new double[] {8300, 8400}, new double[] {0, 1}, true, "ref.txt");
        var prov = ResultFileWriter.Provenance.of(ElementPreset.of("Ni"), List.of(ref), "0.1.0");
        ScanInfo info = new ScanInfo("s1", "Ni", 8347, W, H, null, 0L, 0);
        Path file;
        try (ResultFileWriter w = new ResultFileWriter(dir, prov, 2)) {
            w.onScanStart(info);
            // Arrives unsorted: the file is sorted by energy.
            w.onEnergyPoint(point(0, 8350, 3f));
            w.onEnergyPoint(point(1, 8330, 1f));
            w.onEnergyPoint(point(2, 8340, 2f));
            w.onScanEnd(scanEnd(info));
            w.flush().get(30, TimeUnit.SECONDS);
            assertEquals(1, w.filesWritten());
            file = w.pathFor("s1");
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "only the final file, no temporary left");
        }
        try (HdfFile f = new HdfFile(file)) {
            float[][][] stack = (float[][][]) f.getDatasetByPath(ResultFileLayout.REGISTERED_STACK).getData();
            assertEquals(3, stack.length);
            assertEquals(H, stack[0].length);
            assertEquals(W, stack[0][0].length);
            assertEquals(1f + 0.01f * (2 * W + 3), stack[0][2][3], 1e-6f);
            assertEquals(3f + 0.01f * (2 * W + 3), stack[2][2][3], 1e-6f);
            assertArrayEquals(new double[] {8330, 8340, 8350},
                    (double[]) f.getDatasetByPath(ResultFileLayout.ENERGIES).getData(), 0);
            assertArrayEquals(new double[] {0.25, 0.5, 0.0},
                    (double[]) f.getDatasetByPath(ResultFileLayout.DRIFT_X).getData(), 0);
            float[][] wl = (float[][]) f.getDatasetByPath(ResultFileLayout.PROC_GROUP + "/wl_pos_fit").getData();
            float[][] ours = (float[][]) f.getDatasetByPath(ResultFileLayout.PROC_GROUP + "/whiteline_ev").getData();
            assertArrayEquals(ours[1], wl[1]);
            assertTrue(Float.isNaN(wl[0][0]));
            assertEquals("eV", f.getDatasetByPath(ResultFileLayout.PROC_GROUP + "/edge50_pos_fit")
                    .getAttribute("units").getData());
            assertEquals("s1", f.getAttribute("scan_id").getData());
            assertArrayEquals(new double[] {0, 1},
                    (double[]) f.getDatasetByPath(ResultFileLayout.REFERENCES_GROUP + "/NiO/mu").getData(), 0);
            assertEquals(2, ((Number) f.getDatasetByPath(ResultFileLayout.PARAM_GROUP + "/whiteline_order").getData()).intValue());
            assertEquals(org.xanestream.processor.fit.FitSettings.defaults(ElementPreset.of("Ni")).maskK(),
                    ((Number) f.getDatasetByPath(ResultFileLayout.PARAM_GROUP + "/mask_k").getData()).doubleValue());
            assertArrayEquals(new double[] {50, 20, 100, 30},
                    (double[]) f.getDatasetByPath(ResultFileLayout.PARAM_GROUP + "/normalization_gaps_ev").getData(), 0);
        }
    }

    @Test
    void h5pyReadsTheResultFile() throws Exception {
        var prov = ResultFileWriter.Provenance.of(ElementPreset.of("Ni"), List.of(), "0.1.0");
        ScanInfo info = new ScanInfo("s1", "Ni", 8347, W, H, null, 0L, 0);
        Path file = new ResultFileWriter(dir, prov, 1).write(scanEnd(info),
                List.of(point(0, 8330, 1f), point(1, 8340, 2f), point(2, 8350, 3f)));
        JsonNode j = new ObjectMapper().readTree(DebianPython.run("check_result.py", file.toString()));
        JsonNode stack = j.get("registration_results/reg_results/registered_xanes2D");
        assertEquals("[3," + H + "," + W + "]", stack.get("shape").toString());
        assertEquals("float32", stack.get("dtype").asText());
        assertEquals(3, stack.get("nan").asInt(), "one NaN pixel per image");
        assertEquals(2f + 0.01f * (2 * W + 3), j.get("_pixel").asDouble(), 1e-6);
        JsonNode eng = j.get("registration_results/reg_results/eng_list");
        assertEquals("float64", eng.get("dtype").asText());
        assertEquals("eV", eng.get("units").asText());
        for (String name : List.of("wl_pos_fit", "edge50_pos_fit", "edge_jump_filter", "pre_edge_sd", "fraction_NiO")) {
            JsonNode m = j.get("processed_XANES2D/proc_spectrum/" + name);
            assertEquals("[" + H + "," + W + "]", m.get("shape").toString(), name);
            assertEquals("float32", m.get("dtype").asText(), name);
        }
        double expected = 0;
        float[] wl = image(8350f);
        for (float v : wl) {
            if (!Float.isNaN(v)) expected += v;
        }
        assertEquals(expected, j.get("processed_XANES2D/proc_spectrum/wl_pos_fit").get("nansum").asDouble(), 1e-3);
        assertTrue(j.has("processed_XANES2D/proc_parameters/element"), "element preset recorded");
        assertEquals("eV", j.get("processed_XANES2D/proc_parameters/edge_ev").get("units").asText());
        assertEquals("xanestream", j.get("_attrs").get("software").asText());
    }
}
