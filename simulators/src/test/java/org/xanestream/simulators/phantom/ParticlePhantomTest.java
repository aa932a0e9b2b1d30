package org.xanestream.simulators.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ParticlePhantomTest {
    private static final int W = 256;
    private static final int H = 256;
    private static final double PX = 0.15;

    @Test
    void sameSeedSamePhantomOtherSeedOtherPhantom() {
        ParticlePhantom a = ParticlePhantom.generate(PhantomConfig.defaults(), W, H, PX, 7);
        ParticlePhantom b = ParticlePhantom.generate(PhantomConfig.defaults(), W, H, PX, 7);
        ParticlePhantom c = ParticlePhantom.generate(PhantomConfig.defaults(), W, H, PX, 8);
        assertArrayEquals(a.thicknessUm(), b.thicknessUm());
        assertEquals(a.particles(), b.particles());
        assertTrue(!Arrays.equals(a.thicknessUm(), c.thicknessUm()));
    }

    @Test
    void particlesAreOneToTenMicronsAndCoverTheConfiguredArea() {
        ParticlePhantom p = ParticlePhantom.generate(PhantomConfig.defaults(), W, H, PX, 3);
        assertTrue(p.particles().size() >= 10, "particles: " + p.particles().size());
        for (Particle q : p.particles()) {
            double d = 2 * Math.sqrt(q.semiMajorPx() * q.semiMinorPx()) * PX;
            assertTrue(d >= 1 - 1e-9 && d <= 10 + 1e-9, "diameter " + d);
            assertTrue(q.semiMajorPx() / q.semiMinorPx() <= 1.4 + 1e-9);
        }
        int covered = 0;
        for (float t : p.thicknessUm()) {
            covered += t > 0 ? 1 : 0;
        }
        double share = covered / (double) (W * H);
        // 35% projected coverage before overlap, some particles reach past the border
        assertTrue(share > 0.15 && share < 0.45, "covered share " + share);
    }

    @Test
    void edgeJumpOfTypicalParticlesIsAFewTenthsToOneAndAHalf() {
        PhantomConfig cfg = PhantomConfig.defaults();
        ParticlePhantom p = ParticlePhantom.generate(cfg, 1024, 1024, 0.06, 11);
        double[] centreJumps = new double[p.particles().size()];
        int k = 0;
        for (Particle q : p.particles()) {
            centreJumps[k++] = cfg.edgeJumpPerUm() * 2 * q.halfDepthUm() * q.density();
        }
        Arrays.sort(centreJumps);
        double median = centreJumps[centreJumps.length / 2];
        assertTrue(median > 0.3 && median < 1.0, "median centre edge jump " + median);
        assertTrue(centreJumps[centreJumps.length - 1] <= 1.5 + 1e-9, "largest " + centreJumps[centreJumps.length - 1]);
        assertTrue(centreJumps[centreJumps.length * 9 / 10] > 0.6, "90th percentile " + centreJumps[centreJumps.length * 9 / 10]);
    }

    @Test
    void thicknessIsTheEllipsoidChordAndDenseThicknessIsDensityWeighted() {
        ParticlePhantom p = ParticlePhantom.generate(PhantomConfig.defaults().withCoverage(0.05), W, H, PX, 5);
        Particle q = p.particles().get(0);
        int x = (int) Math.round(q.cxPx());
        int y = (int) Math.round(q.cyPx());
        x = Math.max(0, Math.min(W - 1, x));
        y = Math.max(0, Math.min(H - 1, y));
        double dx = x - q.cxPx();
        double dy = y - q.cyPx();
        double u = (dx * Math.cos(q.angleRad()) + dy * Math.sin(q.angleRad())) / q.semiMajorPx();
        double v = (-dx * Math.sin(q.angleRad()) + dy * Math.cos(q.angleRad())) / q.semiMinorPx();
        double expected = 2 * q.halfDepthUm() * Math.sqrt(1 - u * u - v * v);
        int i = y * W + x;
        double others = 0;
        for (int j = 1; j < p.particles().size(); j++) {
            others += chord(p.particles().get(j), x, y);
        }
        assertEquals(expected + others, p.thicknessUm()[i], 1e-4);
        assertTrue(p.denseUm()[i] <= p.thicknessUm()[i] + 1e-6);
        assertTrue(p.denseUm()[i] >= PhantomConfig.defaults().minDensity() * p.thicknessUm()[i] - 1e-6);
    }

    private static double chord(Particle q, int x, int y) {
        double dx = x - q.cxPx();
        double dy = y - q.cyPx();
        double u = (dx * Math.cos(q.angleRad()) + dy * Math.sin(q.angleRad())) / q.semiMajorPx();
        double v = (-dx * Math.sin(q.angleRad()) + dy * Math.cos(q.angleRad())) / q.semiMinorPx();
        double r2 = u * u + v * v;
        return r2 < 1 ? 2 * q.halfDepthUm() * Math.sqrt(1 - r2) : 0;
    }

    @Test
    void fractionIsHeterogeneousWithinAndAcrossParticles() {
        ParticlePhantom p = ParticlePhantom.generate(PhantomConfig.defaults(), W, H, PX, 3);
        float[] f = new float[W * H];
        p.fraction(0, f);
        double min = 1;
        double max = 0;
        for (int i = 0; i < f.length; i++) {
            if (p.denseUm()[i] > 0) {
                assertTrue(f[i] >= 0 && f[i] <= 1, "fraction " + f[i]);
                min = Math.min(min, f[i]);
                max = Math.max(max, f[i]);
            } else {
                assertTrue(Float.isNaN(f[i]));
            }
        }
        assertTrue(max - min > 0.5, "fraction range " + min + ".." + max);
        double coreShellDifference = 0;
        for (Particle q : p.particles()) {
            coreShellDifference = Math.max(coreShellDifference, Math.abs(q.fractionShell() - q.fractionCore()));
        }
        assertTrue(coreShellDifference > 0.3, "core–shell gradients: " + coreShellDifference);
    }

    @Test
    void uniformFractionIsUniform() {
        ParticlePhantom p = ParticlePhantom.generate(PhantomConfig.defaults().withUniformFraction(0.3), W, H, PX, 3);
        float[] f = new float[W * H];
        p.fraction(0, f);
        for (int i = 0; i < f.length; i++) {
            if (p.denseUm()[i] > 0) {
                assertEquals(0.3, f[i], 1e-5);
            }
        }
    }

    @Test
    void rejectsBadConfigurationNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PhantomConfig.defaults().withDiametersUm(5, 2));
        assertTrue(e.getMessage().contains("maxDiameterUm"), e.getMessage());
    }
}
