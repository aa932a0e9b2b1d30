package org.xanestream.processor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.xanestream.processor.fit.XanesFitter;

/**
 * A stand-in fitter: keeps a per-pixel running sum of mu (one fused add per pixel per energy, like the real
 * accumulators) and publishes the mean as map {@code mean_mu}. Records what it received.
 */
public final class FakeFitter implements XanesFitter {
    private final String scanId;
    private final int width;
    private final int height;
    private final float[] sum;
    private final int[] count;
    public final List<Double> energiesEv = new ArrayList<>();
    public final List<float[]> images = new ArrayList<>();
    /** Run on each {@link #catchUp} (may throw). */
    public Runnable onCatchUp = () -> { };

    public FakeFitter(ScanInfo info) {
        this.scanId = info.scanId();
        this.width = info.width();
        this.height = info.height();
        this.sum = new float[width * height];
        this.count = new int[width * height];
    }

    @Override
    public void addEnergy(double energyEv, float[] mu) {
        energiesEv.add(energyEv);
        images.add(mu);
        for (int i = 0; i < mu.length; i++) {
            float v = mu[i];
            if (v == v) {
                sum[i] += v;
                count[i]++;
            }
        }
    }

    @Override
    public void catchUp() {
        onCatchUp.run();
    }

    @Override
    public int energies() {
        return energiesEv.size();
    }

    @Override
    public MapsSnapshot snapshot(String scan, boolean finalSnapshot, long epochMillis) {
        if (!scan.equals(scanId)) {
            throw new IllegalArgumentException("snapshot of " + scan + " asked from the fitter of " + scanId);
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = count[i] == 0 ? Float.NaN : sum[i] / count[i];
        }
        Map<String, float[]> maps = new LinkedHashMap<>();
        maps.put("mean_mu", mean);
        return new MapsSnapshot(scanId, energies(), finalSnapshot, width, height, maps, null, false, epochMillis);
    }
}
