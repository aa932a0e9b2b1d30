package org.xanestream.processor.spectra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared reference-spectra directory {@code shared/data/spectra}: walks up from the working
 * directory (at CI the repository is cloned next to {@code shared/}, so it is {@code ../shared} of the
 * repository root). Fails loudly when absent: the tests must run on the real files.
 */
final class SharedSpectra {
    private SharedSpectra() {
    }

    static Path dir() {
        Path p = Path.of("").toAbsolutePath();
        for (Path d = p; d != null; d = d.getParent()) {
            Path c = d.resolve("shared").resolve("data").resolve("spectra");
            if (Files.isRegularFile(c.resolve("pyxas_ref_NiO.txt"))) {
                return c;
            }
        }
        throw new IllegalStateException("shared/data/spectra not found above " + p
                + " (expected the repository to sit next to a copy of shared/)");
    }

    static Path file(String name) {
        return dir().resolve(name);
    }
}
