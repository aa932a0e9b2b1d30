package org.xanestream.processor.fit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.xanestream.processor.spectra.ReferenceSpectrum;

/**
 * Test helper: the real measured Ni references of {@code shared/data/spectra} (two columns, energy in
 * keV, edge-normalized mu), found from the working directory upward ({@code shared/} next to or above
 * the repository root) or at {@code /work/shared}.
 */
final class TestReferences {
    private TestReferences() {
    }

    static Path spectraDir() {
        String prop = System.getProperty("xanestream.spectra.dir");
        if (prop != null && Files.isDirectory(Paths.get(prop))) {
            return Paths.get(prop);
        }
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolve("shared").resolve("data").resolve("spectra");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        Path fallback = Paths.get("/work/shared/data/spectra");
        if (Files.isDirectory(fallback)) {
            return fallback;
        }
        throw new IllegalStateException("cannot find shared/data/spectra above " + Paths.get("").toAbsolutePath()
                + " (set -Dxanestream.spectra.dir)");
    }

    static ReferenceSpectrum nio() {
        return load("NiO", "pyxas_ref_NiO.txt");
    }

    static ReferenceSpectrum linio2() {
        return load("LiNiO2", "pyxas_ref_LiNiO2.txt");
    }

    static List<ReferenceSpectrum> nickel() {
        return List.of(nio(), linio2());
    }

    private static ReferenceSpectrum load(String name, String file) {
        Path p = spectraDir().resolve(file);
        List<double[]> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(p)) {
                String t = line.trim();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] f = t.split("\\s+");
                rows.add(new double[] {Double.parseDouble(f[0]) * 1000.0, Double.parseDouble(f[1])});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double[] e = new double[rows.size()];
        double[] mu = new double[rows.size()];
        int n = 0;
        for (double[] r : rows) {
            // keep strictly increasing energies (a repeated point in a file is dropped)
            if (n == 0 || r[0] > e[n - 1]) {
                e[n] = r[0];
                mu[n] = r[1];
                n++;
            }
        }
        return new ReferenceSpectrum(name, java.util.Arrays.copyOf(e, n), java.util.Arrays.copyOf(mu, n), true,
                p.toString());
    }
}
