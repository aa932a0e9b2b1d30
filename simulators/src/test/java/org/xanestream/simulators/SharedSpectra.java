package org.xanestream.simulators;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code shared/data/spectra} by walking up from the working directory (at CI the repository
 * is cloned next to {@code shared/}). Fails loudly when absent: the tests run on the real files.
 */
final class SharedSpectra {
    private SharedSpectra() {
    }

    static Path file(String name) {
        Path start = Path.of("").toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path c = d.resolve("shared").resolve("data").resolve("spectra").resolve(name);
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        throw new IllegalStateException("shared/data/spectra/" + name + " not found above " + start
                + " (expected the repository to sit next to a copy of shared/)");
    }
}
