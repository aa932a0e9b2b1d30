package org.xanestream.processor.fit;

import java.util.List;

import org.xanestream.processor.spectra.ReferenceSpectra;
import org.xanestream.processor.spectra.ReferenceSpectrum;

/**
 * Test helper: the real measured Ni references (PyXAS NiO and LiNiO2, edge-normalized, shipped as
 * built-in references of the product).
 */
final class TestReferences {
    private TestReferences() {
    }

    static ReferenceSpectrum nio() {
        return ReferenceSpectra.builtin("NiO");
    }

    static ReferenceSpectrum linio2() {
        return ReferenceSpectra.builtin("LiNiO2");
    }

    static List<ReferenceSpectrum> nickel() {
        return List.of(nio(), linio2());
    }
}
