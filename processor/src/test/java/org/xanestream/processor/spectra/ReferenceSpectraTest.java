package org.xanestream.processor.spectra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceSpectraTest {

    @TempDir
    Path tmp;

    @Test
    void readsPyxasNiOAsKevTwoColumnNormalizedSpectrum() throws IOException {
        ReferenceSpectrum s = ReferenceSpectra.load(SharedSpectra.file("pyxas_ref_NiO.txt"), "NiO");
        assertEquals("NiO", s.name());
        assertTrue(s.normalized());
        assertEquals(8200.0, s.energyEv()[0], 1e-9);
        assertEquals(9000.0, s.energyEv()[s.energyEv().length - 1], 1e-9);
        assertEquals(0.0007, s.mu()[0], 1e-12);
        assertEquals(8342.5, ReferenceSpectra.steepestRiseEv(s), 1.0);
        assertEquals(8347.5, argMax(s, 8330, 8370), 1.0);
        assertTrue(s.origin().endsWith("pyxas_ref_NiO.txt"));
    }

    @Test
    void readsPyxasLiNiO2WithItsLandmarks() throws IOException {
        ReferenceSpectrum s = ReferenceSpectra.load(SharedSpectra.file("pyxas_ref_LiNiO2.txt"));
        assertEquals("pyxas_ref_LiNiO2", s.name());
        assertEquals(8347.0, ReferenceSpectra.steepestRiseEv(s), 1.0);
        assertEquals(8349.5, argMax(s, 8330, 8370), 1.0);
        assertEquals(1.0, s.valueAt(8600), 0.05);
        assertEquals(0.0, s.valueAt(8250), 0.02);
    }

    @Test
    void builtinReferencesAreTheSharedFiles() throws IOException {
        for (String[] pair : new String[][] {{"NiO", "pyxas_ref_NiO.txt"}, {"LiNiO2", "pyxas_ref_LiNiO2.txt"}}) {
            ReferenceSpectrum builtin = ReferenceSpectra.builtin(pair[0]);
            ReferenceSpectrum shared = ReferenceSpectra.load(SharedSpectra.file(pair[1]), pair[0]);
            assertArrayEquals(shared.energyEv(), builtin.energyEv(), 0.0);
            assertArrayEquals(shared.mu(), builtin.mu(), 0.0);
            assertEquals(pair[0], builtin.name());
            assertTrue(builtin.origin().startsWith("classpath:"));
        }
        assertEquals(List.of("LiNiO2", "NiO"), ReferenceSpectra.builtinNames());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReferenceSpectra.builtin("CoO"));
        assertTrue(e.getMessage().contains("CoO") && e.getMessage().contains("NiO"), e.getMessage());
    }

    @Test
    void resolvesBuiltinAndNamedPathSpecifications() throws IOException {
        assertEquals("LiNiO2", ReferenceSpectra.resolve("builtin:LiNiO2").name());
        ReferenceSpectrum renamed = ReferenceSpectra.resolve("rocksalt=builtin:NiO");
        assertEquals("rocksalt", renamed.name());
        assertArrayEquals(ReferenceSpectra.builtin("NiO").mu(), renamed.mu());
        ReferenceSpectrum named = ReferenceSpectra.resolve("Nifoil=" + SharedSpectra.file("xasdatalib_Ni_metal_rt_01.xdi"));
        assertEquals("Nifoil", named.name());
        assertEquals("xasdatalib_Ni_metal_rt_01",
                ReferenceSpectra.resolve(SharedSpectra.file("xasdatalib_Ni_metal_rt_01.xdi").toString()).name());
    }

    @Test
    void readsXdiWithI0BeforeItrans() throws IOException {
        ReferenceSpectrum s = ReferenceSpectra.load(SharedSpectra.file("xasdatalib_Ni_metal_rt_01.xdi"));
        assertFalse(s.normalized());
        assertEquals(8133.0, s.energyEv()[0], 1e-9);
        assertEquals(Math.log(151941.7 / 498119.094810), s.mu()[0], 1e-12);
        assertEquals(8331.5, ReferenceSpectra.steepestRiseEv(s), 1.0);
    }

    @Test
    void readsXdiWithItransBeforeI0FromTheColumnHeader() throws IOException {
        ReferenceSpectrum s = ReferenceSpectra.load(SharedSpectra.file("xasdatalib_Fe_Foil_rt_2016Foils.xdi"));
        assertEquals(7012.0, s.energyEv()[0], 1e-9);
        assertEquals(Math.log(113841.90 / 87297.90), s.mu()[0], 1e-12);
        // the edge step of a foil in transmission is positive only with the columns the right way round
        ReferenceSpectrum n = ReferenceSpectra.normalized(s);
        assertEquals(1.0, n.valueAt(7112 + 150), 0.15);
    }

    @Test
    void findsTheDocumentedEdgesOfTheXdiReferences() throws IOException {
        assertEquals(7708.5, e0("xasdatalib_co_metal_rt.xdi"), 1.0);
        assertEquals(7122.9, e0("xasdatalib_FeO_rt_01.xdi"), 1.0);
        assertEquals(7125.6, e0("xasdatalib_Fe2O3_rt_01.xdi"), 1.5);
    }

    @Test
    void edgeNormalizationPutsPreEdgeAtZeroAndPostEdgeAtOne() throws IOException {
        for (String f : new String[] {"xasdatalib_Ni_metal_rt_01.xdi", "xasdatalib_co_metal_rt.xdi",
                "xasdatalib_FeO_rt_01.xdi", "xasdatalib_Fe2O3_rt_01.xdi", "xasdatalib_Fe_Foil_rt_2016Foils.xdi"}) {
            ReferenceSpectrum raw = ReferenceSpectra.load(SharedSpectra.file(f));
            ReferenceSpectrum n = ReferenceSpectra.edgeNormalize(raw, EdgeNormalization.defaults());
            assertTrue(n.normalized());
            double e0 = ReferenceSpectra.steepestRiseEv(raw);
            assertEquals(0.0, mean(n, e0 - 150, e0 - 30), 0.02, f + " pre-edge");
            assertEquals(1.0, mean(n, e0 + 50, e0 + 300), 0.03, f + " post-edge");
            assertEquals(raw.energyEv().length, n.energyEv().length);
        }
    }

    @Test
    void edgeNormalizationIsIdempotentAndChangesANormalizedReferenceLittle() {
        ReferenceSpectrum s = ReferenceSpectra.builtin("NiO");
        EdgeNormalization p = EdgeNormalization.defaults().withE0Ev(8342.5);
        ReferenceSpectrum n = ReferenceSpectra.edgeNormalize(s, p);
        ReferenceSpectrum nn = ReferenceSpectra.edgeNormalize(n, p);
        assertArrayEquals(n.mu(), nn.mu(), 1e-9);
        for (double e = 8250; e <= 8900; e += 25) {
            // PyXAS normalized with its own windows: the edge step differs by a few percent
            assertEquals(s.valueAt(e), n.valueAt(e), 0.07, "at " + e + " eV");
        }
        assertTrue(s == ReferenceSpectra.normalized(s));
    }

    @Test
    void edgeNormalizationRejectsAWindowWithoutPoints() {
        ReferenceSpectrum s = ReferenceSpectra.builtin("NiO");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReferenceSpectra.edgeNormalize(s, EdgeNormalization.defaults().withE0Ev(8210)));
        assertTrue(e.getMessage().contains("pre-edge window"), e.getMessage());
    }

    @Test
    void rejectsNonMonotonicEnergiesNamingFileAndLine() throws IOException {
        Path f = write("bad_order.txt", "8.200 0.0\n8.201 0.1\n\n8.201 0.2\n");
        ReferenceFormatException e = assertThrows(ReferenceFormatException.class, () -> ReferenceSpectra.load(f));
        assertTrue(e.getMessage().contains("bad_order.txt line 4"), e.getMessage());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertEquals(4, e.line());
    }

    @Test
    void rejectsNonFiniteValuesNamingFileAndLine() throws IOException {
        Path f = write("nan.txt", "# comment\n8200 0.0\n8201 NaN\n");
        ReferenceFormatException e = assertThrows(ReferenceFormatException.class, () -> ReferenceSpectra.load(f));
        assertTrue(e.getMessage().contains("nan.txt line 3") && e.getMessage().contains("not finite"), e.getMessage());
        Path g = write("garbage.txt", "8200 0.0\n8201 x1\n");
        e = assertThrows(ReferenceFormatException.class, () -> ReferenceSpectra.load(g));
        assertTrue(e.getMessage().contains("garbage.txt line 2") && e.getMessage().contains("not a number"), e.getMessage());
    }

    @Test
    void rejectsMixedKevAndEv() throws IOException {
        Path f = write("mixed.txt", "8.200 0.0\n8201 0.1\n");
        ReferenceFormatException e = assertThrows(ReferenceFormatException.class, () -> ReferenceSpectra.load(f));
        assertTrue(e.getMessage().contains("mixed.txt line 2") && e.getMessage().contains("keV"), e.getMessage());
    }

    @Test
    void rejectsXdiWithoutEnergyColumn() throws IOException {
        Path f = write("angle.xdi", "# XDI/1.0\n# Column.1: angle degrees\n# Column.2: i0\n# Column.3: itrans\n#---\n"
                + "12.1 100 50\n12.2 100 40\n");
        ReferenceFormatException e = assertThrows(ReferenceFormatException.class, () -> ReferenceSpectra.load(f));
        assertTrue(e.getMessage().contains("angle.xdi") && e.getMessage().contains("no energy column"), e.getMessage());
    }

    @Test
    void rejectsXdiWithoutAbsorbanceColumnsAndNonPositiveIntensities() throws IOException {
        Path f = write("noi.xdi", "# XDI/1.0\n# Column.1: energy eV\n# Column.2: i0\n8000 1\n8001 2\n");
        ReferenceFormatException e = assertThrows(ReferenceFormatException.class, () -> ReferenceSpectra.load(f));
        assertTrue(e.getMessage().contains("no usable absorbance column"), e.getMessage());
        Path g = write("zero.xdi", "# XDI/1.0\n# Column.1: energy eV\n# Column.2: i0\n# Column.3: itrans\n"
                + "8000 10 5\n8001 10 0\n");
        e = assertThrows(ReferenceFormatException.class, () -> ReferenceSpectra.load(g));
        assertTrue(e.getMessage().contains("zero.xdi line 6"), e.getMessage());
        Path h = write("short.xdi", "# XDI/1.0\n# Column.1: energy eV\n# Column.2: i0\n# Column.3: itrans\n"
                + "8000 10 5\n8001 10\n");
        e = assertThrows(ReferenceFormatException.class, () -> ReferenceSpectra.load(h));
        assertTrue(e.getMessage().contains("short.xdi line 6") && e.getMessage().contains("itrans"), e.getMessage());
    }

    @Test
    void readsXdiMuAndNormalizedColumnsInAnyOrderAndKevUnits() throws IOException {
        Path f = write("mu.xdi", "# XDI/1.0\n# Column.1: mutrans\n# Column.2: energy keV\n0.5 8.0\n0.7 8.0005\n");
        ReferenceSpectrum s = ReferenceSpectra.load(f);
        assertArrayEquals(new double[] {8000.0, 8000.5}, s.energyEv(), 1e-9);
        assertArrayEquals(new double[] {0.5, 0.7}, s.mu(), 0.0);
        assertFalse(s.normalized());
        Path g = write("norm.xdi", "# XDI/1.0\n# Column.1: energy eV\n# Column.2: normtrans\n8000 0\n8001 1\n");
        assertTrue(ReferenceSpectra.load(g).normalized());
    }

    @Test
    void skipsATextHeaderAboveTwoColumnData() throws IOException {
        Path f = write("hdr.txt", "energy mu\n8200 0.1\n8201 0.2\n");
        assertEquals(2, ReferenceSpectra.load(f).energyEv().length);
        Path g = write("empty.txt", "# nothing\n");
        ReferenceFormatException e = assertThrows(ReferenceFormatException.class, () -> ReferenceSpectra.load(g));
        assertTrue(e.getMessage().contains("empty.txt") && e.getMessage().contains("no data"), e.getMessage());
    }

    private Path write(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static double e0(String file) throws IOException {
        return ReferenceSpectra.steepestRiseEv(ReferenceSpectra.load(SharedSpectra.file(file)));
    }

    private static double argMax(ReferenceSpectrum s, double lo, double hi) {
        double best = Double.NEGATIVE_INFINITY;
        double at = Double.NaN;
        for (int i = 0; i < s.energyEv().length; i++) {
            if (s.energyEv()[i] >= lo && s.energyEv()[i] <= hi && s.mu()[i] > best) {
                best = s.mu()[i];
                at = s.energyEv()[i];
            }
        }
        return at;
    }

    private static double mean(ReferenceSpectrum s, double lo, double hi) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < s.energyEv().length; i++) {
            if (s.energyEv()[i] >= lo && s.energyEv()[i] <= hi) {
                sum += s.mu()[i];
                n++;
            }
        }
        return sum / n;
    }
}
