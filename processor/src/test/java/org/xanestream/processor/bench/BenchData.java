package org.xanestream.processor.bench;

import java.util.Random;

import org.xanestream.processor.drift.SyntheticScene;

/** Synthetic 2048×2048 detector data for the benchmarks. */
final class BenchData {
    static final int W = 2048;
    static final int H = 2048;

    private BenchData() {
    }

    /** uint16 little-endian counts: dark 100 + flat 20000·exp(-mu) with mu a particle scene shifted by (dx, dy). */
    static byte[] sampleBytes(SyntheticScene scene, double dx, double dy, long seed) {
        float[] mu = new float[W * H];
        scene.render(W, H, dx, dy, 1.0, 0.5, mu);
        Random rnd = new Random(seed);
        byte[] b = new byte[W * H * 2];
        for (int i = 0; i < mu.length; i++) {
            double s = 20_000 * Math.exp(-mu[i]);
            int v = (int) Math.max(0, Math.min(65535, Math.round(100 + s + Math.sqrt(s) * rnd.nextGaussian())));
            b[2 * i] = (byte) v;
            b[2 * i + 1] = (byte) (v >>> 8);
        }
        return b;
    }
}
