package org.xanestream.processor.drift;

import java.util.SplittableRandom;

/**
 * Smooth-edged disks (particles) at random positions, rendered analytically at any sub-pixel displacement,
 * so shifted test images carry no interpolation error. Two disk populations with separate weights
 * model materials whose contrast changes across an absorption edge.
 */
public final class SyntheticScene {
    private final double[] cx;
    private final double[] cy;
    private final double[] radius;
    private final double[] amplitude;
    private final int[] population;

    public SyntheticScene(int width, int height, int particles, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        cx = new double[particles];
        cy = new double[particles];
        radius = new double[particles];
        amplitude = new double[particles];
        population = new int[particles];
        for (int p = 0; p < particles; p++) {
            cx[p] = rnd.nextDouble(0.12, 0.88) * width;
            cy[p] = rnd.nextDouble(0.12, 0.88) * height;
            radius[p] = rnd.nextDouble(3, Math.max(4, Math.min(width, height) / 12.0));
            amplitude[p] = rnd.nextDouble(0.3, 1.0);
            population[p] = p % 2;
        }
    }

    /**
     * Renders the scene displaced by {@code (dx, dy)}: {@code out(x, y) = scene(x - dx, y - dy)}.
     *
     * @param weightA contrast of the first population
     * @param weightB contrast of the second population
     */
    public void render(int width, int height, double dx, double dy, double weightA, double weightB, float[] out) {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = 0.05;
                double px = x - dx;
                double py = y - dy;
                for (int p = 0; p < cx.length; p++) {
                    double ddx = px - cx[p];
                    double ddy = py - cy[p];
                    double r2 = ddx * ddx + ddy * ddy;
                    double lim = radius[p] + 6;
                    if (r2 > lim * lim) {
                        continue;
                    }
                    double edge = 1.0 / (1.0 + Math.exp((Math.sqrt(r2) - radius[p]) / 0.8));
                    v += edge * amplitude[p] * (population[p] == 0 ? weightA : weightB);
                }
                out[y * width + x] = (float) v;
            }
        }
    }

    public static void addNoise(float[] img, double sigma, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        for (int i = 0; i < img.length; i++) {
            img[i] += (float) (sigma * rnd.nextGaussian());
        }
    }
}
