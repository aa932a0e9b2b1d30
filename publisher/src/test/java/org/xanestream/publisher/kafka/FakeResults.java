package org.xanestream.publisher.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.MapSummary;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ScanEnd;
import org.xanestream.processor.ScanInfo;

/** Deterministic processor results for publisher tests (what the processor thread would hand over). */
final class FakeResults {
    static final long T0 = 1_700_000_000_000L;

    private FakeResults() {
    }

    static ScanInfo scan(String id, int width, int height) {
        return new ScanInfo(id, "Ni", 8347.0, width, height, List.of(8300.0, 8340.0, 8350.0, 8400.0), T0, 0);
    }

    static EnergyPoint point(ScanInfo s, int index, long seed) {
        float[] mu = image(s.width(), s.height(), seed);
        return new EnergyPoint(s.scanId(), index, 8300.0 + 10 * index, 5, 5, 8300.0 + 10 * index, 0.25, -0.5, 0.9,
                false, 0.7, T0 + 1000L * index, s.width(), s.height(), mu);
    }

    /** Seeded noise with a NaN border column, like a drift-corrected map. */
    static float[] image(int width, int height, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[width * height];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % width == 0) ? Float.NaN : (float) (8340 + r.nextGaussian() * 3);
        }
        return a;
    }

    static MapsSnapshot maps(ScanInfo s, int version, boolean fin, String... names) {
        Map<String, float[]> maps = new LinkedHashMap<>();
        Map<String, MapSummary> summary = new LinkedHashMap<>();
        for (int k = 0; k < names.length; k++) {
            maps.put(names[k], image(s.width(), s.height(), 1000L * version + k));
            summary.put(names[k], new MapSummary(1.5, 0.25, 1.0, 1.5, 2.0, 100));
        }
        return new MapsSnapshot(s.scanId(), version, fin, s.width(), s.height(), maps, summary, false,
                T0 + 1000L * version);
    }

    static ScanEnd end(ScanInfo s, MapsSnapshot finalMaps) {
        return new ScanEnd(s, finalMaps.version(), 55, 2, finalMaps, new double[]{8300, 8310, 8320}, T0 + 60_000);
    }
}
