package org.xanestream.deploy.kafka;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.xanestream.ingest.RejectReason;
import org.xanestream.ingest.Rejection;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.MapSummary;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ScanEnd;
import org.xanestream.processor.ScanInfo;

/**
 * A deterministic fake processor output: what {@code ProcessorListener} receives for one scan. Pixel values
 * are seeded noise with NaN pixels, so reassembly can be checked bit for bit.
 */
final class FakeScan {
    final ScanInfo info;
    final String[] mapNames;
    private final long seed;

    FakeScan(String scanId, int width, int height, long seed, String... mapNames) {
        this.info = new ScanInfo(scanId, "Ni", 8347.0, width, height, null, System.currentTimeMillis(), 0);
        this.mapNames = mapNames;
        this.seed = seed;
    }

    static double energyEv(int index) {
        return 8300.0 + 2.5 * index;
    }

    EnergyPoint point(int index) {
        return new EnergyPoint(info.scanId(), index, energyEv(index), 5, 5, energyEv(index), 0.1 * index,
                -0.05 * index, 0.95, false, 0.5 + 0.01 * index, System.currentTimeMillis(), info.width(),
                info.height(), pixels(seed * 7919 + index));
    }

    /** Map pixels of {@code version}; the same arguments always give the same values. */
    float[] map(int mapIndex, int version) {
        return pixels(seed * 104_729 + 1000L * version + mapIndex);
    }

    MapsSnapshot maps(int version, boolean fin) {
        Map<String, float[]> maps = new LinkedHashMap<>();
        Map<String, MapSummary> summary = new LinkedHashMap<>();
        for (int k = 0; k < mapNames.length; k++) {
            maps.put(mapNames[k], map(k, version));
            summary.put(mapNames[k], new MapSummary(8347 + k, 0.5, 8340, 8347, 8352, 1000 + k));
        }
        return new MapsSnapshot(info.scanId(), version, fin, info.width(), info.height(), maps, summary, false,
                System.currentTimeMillis());
    }

    ScanEnd end(MapsSnapshot finalMaps) {
        double[] energies = new double[finalMaps.version()];
        for (int i = 0; i < energies.length; i++) {
            energies[i] = energyEv(i);
        }
        return new ScanEnd(info, finalMaps.version(), 11L * finalMaps.version(), 1, finalMaps, energies,
                System.currentTimeMillis());
    }

    static Rejection rejection(String source, RejectReason reason, String header) {
        return new Rejection(System.currentTimeMillis(), source, reason, "test: " + reason.code(), header);
    }

    private float[] pixels(long s) {
        SplittableRandom r = new SplittableRandom(s);
        int w = info.width();
        float[] a = new float[w * info.height()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % w < 3 || r.nextInt(50) == 0) ? Float.NaN : (float) (8347 + r.nextGaussian() * 2);
        }
        return a;
    }

    List<String> mapList() {
        return new ArrayList<>(List.of(mapNames));
    }
}
