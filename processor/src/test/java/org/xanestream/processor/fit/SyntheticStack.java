package org.xanestream.processor.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.xanestream.processor.spectra.ReferenceSpectrum;

/**
 * Test fixture: a small image stack whose pixel spectra are non-negative mixtures of two references
 * plus a sloped background and seeded Gaussian noise, with background (no absorber) pixels.
 */
final class SyntheticStack {
    final int width;
    final int height;
    final double[] energies;
    final float[][] images;
    /** per pixel: fraction of reference 0, scale (0 = background), offset, slope per eV. */
    final double[] fraction0;
    final double[] scale;

    SyntheticStack(int width, int height, double[] energies, List<ReferenceSpectrum> refs, double noiseSd, long seed,
                   double edgeEv) {
        this.width = width;
        this.height = height;
        this.energies = energies.clone();
        int n = width * height;
        Random rnd = new Random(seed);
        fraction0 = new double[n];
        scale = new double[n];
        double[] offset = new double[n];
        double[] slope = new double[n];
        for (int i = 0; i < n; i++) {
            boolean particle = rnd.nextDouble() < 0.8;
            fraction0[i] = rnd.nextDouble();
            scale[i] = particle ? 0.5 + 1.5 * rnd.nextDouble() : 0;
            offset[i] = 0.05 + 0.2 * rnd.nextDouble();
            slope[i] = (rnd.nextDouble() - 0.5) * 4e-4;
        }
        images = new float[energies.length][n];
        for (int e = 0; e < energies.length; e++) {
            double r0 = refs.get(0).valueAt(energies[e]);
            double r1 = refs.get(1).valueAt(energies[e]);
            for (int i = 0; i < n; i++) {
                double mu = scale[i] * (fraction0[i] * r0 + (1 - fraction0[i]) * r1) + offset[i]
                        + slope[i] * (energies[e] - edgeEv);
                images[e][i] = (float) (mu + noiseSd * rnd.nextGaussian());
            }
        }
    }

    /** A typical Ni K-edge XANES scan: coarse pre-edge, 0.5 eV steps over edge and whiteline, coarse post-edge. */
    static double[] nickelScan() {
        List<Double> e = new ArrayList<>();
        for (double v = 8200; v <= 8320; v += 10) {
            e.add(v);
        }
        for (double v = 8325; v < 8340; v += 2) {
            e.add(v);
        }
        for (double v = 8340; v <= 8360; v += 0.5) {
            e.add(v);
        }
        for (double v = 8362; v <= 8400; v += 2) {
            e.add(v);
        }
        for (double v = 8410; v <= 8600; v += 10) {
            e.add(v);
        }
        double[] out = new double[e.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = e.get(i);
        }
        return out;
    }

    double[] spectrum(int pixel, int energiesUsed) {
        double[] mu = new double[energiesUsed];
        for (int e = 0; e < energiesUsed; e++) {
            mu[e] = images[e][pixel];
        }
        return mu;
    }
}
