package org.xanestream.processor.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.xanestream.processor.RecordingListener;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.ScanInfo;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.fit.FitSettings;
import org.xanestream.processor.fit.IncrementalXanesFit;
import org.xanestream.processor.spectra.ReferenceSpectra;

class ProcessorWarmUpTest {
    @Test
    void runsEveryFrameOfTheSyntheticScansThroughTheWholePathWithoutProblems() {
        FitSettings fit = FitSettings.defaults(ElementPreset.of("Ni"))
                .withReferences(ReferenceSpectra.builtinNames().stream().map(ReferenceSpectra::builtin).toList());
        try (RowParallel rows = new RowParallel(2)) {
            ProcessorWarmUp.Result r = ProcessorWarmUp.run(ProcessorConfig.defaults().withThreads(2), fitters(fit, rows), 2);
            // per scan: 2 darks, then 2 samples + 2 flats at each of the 43 energies (the last revisits one)
            assertEquals(2, r.scans());
            assertEquals(2 * (2 + 43 * 4), r.frames());
            assertEquals(2 * 43, r.energyPoints());
            // live maps after every energy point but the last, whose maps are the scan's final ones
            assertEquals(2 * 43, r.snapshots());
            assertEquals(0, r.problems());
            assertTrue(r.nanos() > 0);
        }
    }

    @Test
    void handsTheLastScansResultsToTheCallersListener() {
        FitSettings fit = FitSettings.defaults(ElementPreset.of("Ni"));
        RecordingListener last = new RecordingListener();
        try (RowParallel rows = new RowParallel(2)) {
            ProcessorWarmUp.Result r = ProcessorWarmUp.run(ProcessorConfig.defaults().withThreads(2), fitters(fit, rows),
                    2, last);
            assertEquals(0, r.problems());
        }
        // only the second scan, the large one: its start, every point, live maps after each but the last, the end
        assertEquals(List.of("warm-up-1"), last.starts.stream().map(ScanInfo::scanId).toList());
        assertEquals(ProcessorWarmUp.LAST_SIDE, last.starts.get(0).width());
        assertEquals(43, last.points.size());
        assertTrue(last.points.stream().allMatch(p -> p.scanId().equals("warm-up-1")));
        assertEquals(43, last.maps.size());
        assertTrue(last.maps.get(last.maps.size() - 1).finalSnapshot());
        assertEquals(1, last.ends.size());
    }

    @Test
    void coversTheWindowsOfAnotherElement() {
        try (RowParallel rows = new RowParallel(1)) {
            for (String element : List.of("Fe")) {
                ElementPreset p = ElementPreset.of(element);
                ProcessorWarmUp.Result r = ProcessorWarmUp.run(new ProcessorConfig(element, SessionConfig.defaults(),
                        org.xanestream.processor.drift.DriftConfig.defaults(), 1000, 1, 100), fitters(FitSettings.defaults(p), rows), 1);
                assertEquals(43, r.energyPoints(), element);
                assertEquals(0, r.problems(), element);
            }
        }
    }

    @Test
    void refusesAnOutOfRangeScanCount() {
        try (RowParallel rows = new RowParallel(1)) {
            FitSettings fit = FitSettings.defaults(ElementPreset.of("Ni"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ProcessorWarmUp.run(ProcessorConfig.defaults(), fitters(fit, rows), 0));
            assertTrue(e.getMessage().contains("1..100"), e.getMessage());
        }
    }

    private static FitterFactory fitters(FitSettings fit, RowParallel rows) {
        return info -> new IncrementalXanesFit(fit, info.width(), info.height(), rows);
    }
}
