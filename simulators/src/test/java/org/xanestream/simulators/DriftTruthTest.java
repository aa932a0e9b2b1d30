package org.xanestream.simulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameKind;
import org.xanestream.simulators.acquisition.AcquisitionConfig;
import org.xanestream.simulators.acquisition.EnergyGrid;
import org.xanestream.simulators.detector.DriftConfig;
import org.xanestream.simulators.sink.InMemoryFrameSink;

/**
 * The recorded drift must be what an independent registration of the frames finds: normalize the
 * frames of each energy to mu = −ln((I−D)/(F−D)), then find the displacement d that best explains
 * mu_k(x) ≈ a·mu_0(x − d) + b by an exhaustive integer search and a sub-pixel grid refinement.
 * Energies above the edge only, so the image contrast does not change between energies.
 */
class DriftTruthTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final int W = 96;
    private static final int H = 80;
    private static final int MARGIN = 12;

    @Test
    void recordedDriftMatchesImageRegistration() throws Exception {
        SimulatorConfig cfg = SimulatorConfig.defaults().withSize(W, H).withPixelSizeUm(0.25).withThreads(2)
                .withEnergies(EnergyGrid.parse("40:130:10", true))
                .withDrift(new DriftConfig(0.8, 3.0, 4.0, -3.0, 8.0))
                .withAcquisition(AcquisitionConfig.defaults().withChunkSize(3));
        InMemoryFrameSink sink = new InMemoryFrameSink();
        double[][] mu;
        double[] truthX;
        double[] truthY;
        try (XanesSimulator sim = XanesSimulator.create(cfg)) {
            sim.stream(sink, StreamOptions.quiet(CLOCK));
            int ne = sim.energiesEv().length;
            truthX = sim.drift().xPx(0);
            truthY = sim.drift().yPx(0);
            mu = new double[ne][];
            double[] dark = mean(sink, FrameKind.DARK, -1, sim.energiesEv());
            for (int e = 0; e < ne; e++) {
                double[] s = mean(sink, FrameKind.SAMPLE, e, sim.energiesEv());
                double[] f = mean(sink, FrameKind.FLAT, e, sim.energiesEv());
                mu[e] = new double[W * H];
                for (int i = 0; i < W * H; i++) {
                    mu[e][i] = -Math.log((s[i] - dark[i]) / (f[i] - dark[i]));
                }
            }
        }
        assertEquals(0.0, truthX[0]);
        assertEquals(0.0, truthY[0]);
        double span = 0;
        for (int e = 1; e < mu.length; e++) {
            double[] d = register(mu[0], mu[e]);
            assertEquals(truthX[e], d[0], 0.1, "x drift of energy " + e);
            assertEquals(truthY[e], d[1], 0.1, "y drift of energy " + e);
            span = Math.max(span, Math.hypot(truthX[e], truthY[e]));
        }
        assertTrue(span > 2, "the drift should move the sample by pixels, max " + span);
    }

    @Test
    void driftMovesSampleFramesButNeverFlats() throws Exception {
        SimulatorConfig base = SimulatorConfig.defaults().withSize(48, 40).withPixelSizeUm(0.3).withThreads(2)
                .withEnergies(EnergyGrid.parse("-20,0,40", true))
                .withAcquisition(AcquisitionConfig.defaults().withChunkSize(2));
        InMemoryFrameSink still = new InMemoryFrameSink();
        InMemoryFrameSink moving = new InMemoryFrameSink();
        try (XanesSimulator a = XanesSimulator.create(base.withDrift(DriftConfig.none()));
             XanesSimulator b = XanesSimulator.create(base.withDrift(new DriftConfig(1.0, 3, 3, 2, 8)))) {
            a.stream(still, StreamOptions.quiet(CLOCK));
            b.stream(moving, StreamOptions.quiet(CLOCK));
        }
        int samplesDiffer = 0;
        for (int k = 0; k < still.frames().size(); k++) {
            Frame x = still.frames().get(k);
            Frame y = moving.frames().get(k);
            boolean same = java.util.Arrays.equals(x.pixels().array(), y.pixels().array());
            if (x.header().kind() == FrameKind.SAMPLE) {
                // the first energy is the reference (drift 0); later ones moved
                samplesDiffer += same ? 0 : 1;
            } else {
                assertTrue(same, x.header().kind() + " frame " + k + " must not depend on the sample drift");
            }
        }
        assertEquals(4, samplesDiffer);
    }

    private static double[] mean(InMemoryFrameSink sink, FrameKind kind, int energyIndex, double[] energies) {
        double[] m = new double[W * H];
        int n = 0;
        for (Frame f : sink.frames()) {
            if (f.header().kind() != kind || (energyIndex >= 0 && f.header().energyEv() != energies[energyIndex])) {
                continue;
            }
            for (int i = 0; i < m.length; i++) {
                m[i] += f.pixelAsFloat(i);
            }
            n++;
        }
        for (int i = 0; i < m.length; i++) {
            m[i] /= n;
        }
        return m;
    }

    /** The displacement of {@code moving} relative to {@code ref}: integer search, then 0.1 and 0.01 px grids. */
    private static double[] register(double[] ref, double[] moving) {
        double bx = 0;
        double by = 0;
        double best = Double.MAX_VALUE;
        for (int dy = -MARGIN + 1; dy < MARGIN; dy++) {
            for (int dx = -MARGIN + 1; dx < MARGIN; dx++) {
                double c = misfit(ref, moving, dx, dy);
                if (c < best) {
                    best = c;
                    bx = dx;
                    by = dy;
                }
            }
        }
        for (double step : new double[] {0.1, 0.01}) {
            double cx = bx;
            double cy = by;
            for (int j = -10; j <= 10; j++) {
                for (int i = -10; i <= 10; i++) {
                    double c = misfit(ref, moving, cx + i * step, cy + j * step);
                    if (c < best) {
                        best = c;
                        bx = cx + i * step;
                        by = cy + j * step;
                    }
                }
            }
        }
        return new double[] {bx, by};
    }

    /** Residual of the least-squares fit moving(x) = a·ref(x − d) + b over the interior. */
    private static double misfit(double[] ref, double[] moving, double dx, double dy) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        int n = 0;
        for (int y = MARGIN; y < H - MARGIN; y++) {
            for (int x = MARGIN; x < W - MARGIN; x++) {
                double r = bilinear(ref, x - dx, y - dy);
                double m = moving[y * W + x];
                sx += r;
                sy += m;
                sxx += r * r;
                sxy += r * m;
                syy += m * m;
                n++;
            }
        }
        double cov = sxy - sx * sy / n;
        double vr = sxx - sx * sx / n;
        double vm = syy - sy * sy / n;
        return vm - cov * cov / vr;
    }

    private static double bilinear(double[] img, double x, double y) {
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        double fx = x - x0;
        double fy = y - y0;
        return (1 - fy) * ((1 - fx) * img[y0 * W + x0] + fx * img[y0 * W + x0 + 1])
                + fy * ((1 - fx) * img[(y0 + 1) * W + x0] + fx * img[(y0 + 1) * W + x0 + 1]);
    }
}
