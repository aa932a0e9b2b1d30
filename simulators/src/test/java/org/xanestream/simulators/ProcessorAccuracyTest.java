package org.xanestream.simulators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.PixelType;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.fit.FitSettings;
import org.xanestream.processor.fit.IncrementalXanesFit;
import org.xanestream.processor.session.ProcessorConfig;
import org.xanestream.processor.session.XanesProcessor;
import org.xanestream.processor.spectra.ReferenceSpectrum;
import org.xanestream.simulators.sink.FrameSink;
import org.xanestream.simulators.truth.GroundTruth;

/**
 * End to end accuracy of the processor on a simulated scan with known truth (issue 4, "must show"): a 256×256
 * Ni scan with the simulator's default noise, detector artefacts and drift, FXI-like energy grid and frame
 * sequence, streamed frame by frame into {@link XanesProcessor} with the real {@link IncrementalXanesFit} and the
 * simulator's two references; the final maps are compared with the ground truth.
 *
 * <ul>
 *   <li>drift: the reported displacement of every energy point against the simulator's true drift (both are the
 *       displacement of the sample relative to the first image, DESIGN §4.3), RMS of the error vector;</li>
 *   <li>{@code whiteline_ev}: median |error| over particle pixels against the same estimator applied to the
 *       noiseless spectrum (and, reported only, against the dense peak of the model);</li>
 *   <li>{@code fraction_<oxidized>}: median |error| against the true oxidized fraction over particle pixels;</li>
 *   <li>pixels shifted in from outside the field of view at some energy are NaN in every map, with mask 0.</li>
 * </ul>
 * "Particle pixels" are all those the truth marks as particle inside the region valid at every energy (boundary
 * pixels included, although bilinear resampling mixes them with their background); pixels whose map is NaN there
 * count as failures (+∞ error) in the medians. The scan takes ~15 s here on a loaded 2-core machine.
 */
class ProcessorAccuracyTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final int SIZE = 256;
    /** 0.16 µm pixels: the default 41 µm field of view, particles of 6–60 px. */
    private static final double PIXEL_UM = 0.16;

    private static GroundTruth truth;
    private static double[] energiesEv;
    private static String oxidizedName;
    private static final List<EnergyPoint> points = new ArrayList<>();
    private static MapsSnapshot finalMaps;
    private static long processingNanos;

    @BeforeAll
    static void runScanThroughTheProcessor() throws Exception {
        SimulatorConfig cfg = SimulatorConfig.defaults().withSize(SIZE, SIZE).withPixelSizeUm(PIXEL_UM).withSeed(7)
                .withThreads(2);
        try (XanesSimulator sim = XanesSimulator.create(cfg);
             RowParallel fitRows = new RowParallel(2)) {
            energiesEv = sim.energiesEv();
            truth = sim.groundTruth();
            ReferenceSpectrum reduced = sim.reducedReference();
            ReferenceSpectrum oxidized = sim.oxidizedReference();
            oxidizedName = oxidized.name();
            FitSettings fit = FitSettings.defaults(ElementPreset.of(cfg.element()))
                    .withReferences(List.of(reduced, oxidized));
            ProcessorListener listener = new ProcessorListener() {
                @Override
                public void onEnergyPoint(EnergyPoint point) {
                    points.add(point);
                }

                @Override
                public void onMaps(MapsSnapshot maps) {
                    if (maps.finalSnapshot()) {
                        finalMaps = maps;
                    }
                }
            };
            ProcessorConfig pc = ProcessorConfig.defaults().withMapsIntervalMs(3_600_000).withThreads(2);
            try (XanesProcessor processor = new XanesProcessor(pc,
                    scan -> new IncrementalXanesFit(fit, scan.width(), scan.height(), fitRows), listener,
                    (timeout, unit) -> null, CLOCK::millis)) {
                sim.stream(new ProcessorSink(processor), StreamOptions.quiet(CLOCK));
            }
        }
    }

    @AfterAll
    static void release() {
        points.clear();
        finalMaps = null;
        truth = null;
    }

    /** Feeds each frame to the processor on the simulator's thread, as the ingest queue would. */
    private static final class ProcessorSink implements FrameSink {
        private final XanesProcessor processor;

        ProcessorSink(XanesProcessor processor) {
            this.processor = processor;
        }

        @Override
        public void beginScan(String scanId, int width, int height, PixelType pixelType) {
        }

        @Override
        public void sendFrame(FrameHeader header, ByteBuffer pixels) {
            Frame f = Frame.unpooled(header);
            System.arraycopy(pixels.array(), pixels.arrayOffset(), f.pixels().array(), 0, (int) header.payloadBytes());
            long t0 = System.nanoTime();
            processor.process(f);
            processingNanos += System.nanoTime() - t0;
        }

        @Override
        public void endScan(String scanId) {
            long t0 = System.nanoTime();
            processor.process(new EndOfScan(XanesSimulator.SOURCE, scanId));
            processingNanos += System.nanoTime() - t0;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void everyEnergyBecomesOnePointAndTheScanEndsWithFinalMaps() {
        assertEquals(energiesEv.length, points.size());
        for (int k = 0; k < points.size(); k++) {
            assertEquals(energiesEv[k], points.get(k).energyEv(), 1e-6, "energy of point " + k);
        }
        assertNotNull(finalMaps, "final maps");
        assertEquals(energiesEv.length, finalMaps.version());
        System.out.printf(Locale.ROOT, "%dx%d scan, %d energies: processing %.1f s%n", SIZE, SIZE, energiesEv.length,
                processingNanos / 1e9);
    }

    @Test
    void driftMatchesTheSimulatedDriftWithinATenthOfAPixelRms() {
        GroundTruth.ScanTruth t = truth.scan(0);
        double sum2 = 0;
        double worst = 0;
        double span = 0;
        int replaced = 0;
        for (int k = 0; k < points.size(); k++) {
            EnergyPoint p = points.get(k);
            double ex = p.driftXPx() - t.driftXPx()[k];
            double ey = p.driftYPx() - t.driftYPx()[k];
            double e2 = ex * ex + ey * ey;
            sum2 += e2;
            worst = Math.max(worst, Math.sqrt(e2));
            span = Math.max(span, Math.hypot(t.driftXPx()[k], t.driftYPx()[k]));
            replaced += p.driftReplaced() ? 1 : 0;
        }
        double rms = Math.sqrt(sum2 / points.size());
        System.out.printf(Locale.ROOT, "drift: RMS error %.3f px, worst %.3f px, true drift up to %.2f px, %d replaced%n",
                rms, worst, span, replaced);
        assertTrue(span > 1, "the simulated drift should move the sample by more than a pixel, got " + span);
        assertTrue(rms <= 0.1, "drift RMS error " + rms + " px");
    }

    @Test
    void whitelineEnergyMatchesTheEstimatorOnTheNoiselessSpectra() {
        float[] wl = finalMaps.maps().get("whiteline_ev");
        float[] est = truth.scan(0).map(GroundTruth.WHITELINE_EV);
        float[] dense = truth.scan(0).map(GroundTruth.WHITELINE_DENSE_EV);
        boolean[] particle = particlePixels();
        double vsEstimator = medianAbsError(wl, est, particle);
        double vsDense = medianAbsError(wl, dense, particle);
        double estimatorVsDense = medianAbsError(est, dense, particle);
        System.out.printf(Locale.ROOT, "whiteline_ev: median |error| %.3f eV vs the estimator on noiseless spectra, "
                + "%.3f eV vs the dense peak (noiseless estimator vs dense peak: %.3f eV), %d particle pixels%n",
                vsEstimator, vsDense, estimatorVsDense, count(particle));
        assertTrue(vsEstimator <= 0.15, "median whiteline error " + vsEstimator + " eV");
    }

    @Test
    void oxidizedFractionMatchesTheTruth() {
        float[] f = finalMaps.maps().get("fraction_" + oxidizedName);
        assertNotNull(f, "map fraction_" + oxidizedName + " among " + finalMaps.maps().keySet());
        float[] truthF = truth.scan(0).map(GroundTruth.FRACTION_OX);
        boolean[] particle = particlePixels();
        double err = medianAbsError(f, truthF, particle);
        System.out.printf(Locale.ROOT, "fraction_%s: median |error| %.4f over %d particle pixels%n", oxidizedName, err,
                count(particle));
        assertTrue(err <= 0.05, "median oxidized-fraction error " + err);
    }

    @Test
    void pixelsShiftedInFromOutsideAreNaNInEveryMapWithMaskZero() {
        boolean[] valid = validAtEveryEnergy();
        int invalid = 0;
        for (int i = 0; i < valid.length; i++) {
            if (valid[i]) {
                continue;
            }
            invalid++;
            for (Map.Entry<String, float[]> m : finalMaps.maps().entrySet()) {
                float v = m.getValue()[i];
                if (m.getKey().equals("mask")) {
                    assertEquals(0f, v, "mask at shifted-in pixel " + i);
                } else {
                    assertTrue(Float.isNaN(v), m.getKey() + " at shifted-in pixel (" + i % SIZE + ", " + i / SIZE
                            + ") is " + v + ", expected NaN");
                }
            }
        }
        assertTrue(invalid > 0, "the drift should shift pixels in from outside");
        // inside the valid region, particle pixels carry values
        boolean[] particle = particlePixels();
        int finite = 0;
        float[] jump = finalMaps.maps().get("edge_jump");
        for (int i = 0; i < particle.length; i++) {
            finite += particle[i] && Float.isFinite(jump[i]) ? 1 : 0;
        }
        assertEquals(count(particle), finite, "particle pixels with a finite edge jump");
    }

    /**
     * Pixels of the aligned frame whose source lies inside the detector at every energy, from the corrections the
     * processor applied (bilinear: the source pixel and its right/lower neighbour for fractional shifts).
     */
    private static boolean[] validAtEveryEnergy() {
        boolean[] valid = new boolean[SIZE * SIZE];
        Arrays.fill(valid, true);
        for (EnergyPoint p : points) {
            double dx = p.driftXPx();
            double dy = p.driftYPx();
            int ix = (int) Math.floor(dx);
            int iy = (int) Math.floor(dy);
            int xExtra = dx - ix > 0 ? 1 : 0;
            int yExtra = dy - iy > 0 ? 1 : 0;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int sx = x + ix;
                    int sy = y + iy;
                    if (sx < 0 || sy < 0 || sx + xExtra >= SIZE || sy + yExtra >= SIZE) {
                        valid[y * SIZE + x] = false;
                    }
                }
            }
        }
        return valid;
    }

    /** Truth particle pixels valid at every energy. */
    private static boolean[] particlePixels() {
        float[] dense = truth.map(GroundTruth.DENSE_UM);
        boolean[] valid = validAtEveryEnergy();
        boolean[] out = new boolean[dense.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = valid[i] && dense[i] > 0;
        }
        return out;
    }

    private static int count(boolean[] m) {
        int n = 0;
        for (boolean b : m) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /** Median of |a − b| over the selected pixels where b is finite; a NaN in {@code a} counts as +∞. */
    private static double medianAbsError(float[] a, float[] b, boolean[] select) {
        double[] e = new double[a.length];
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (!select[i] || !Float.isFinite(b[i])) {
                continue;
            }
            e[n++] = Float.isFinite(a[i]) ? Math.abs(a[i] - b[i]) : Double.POSITIVE_INFINITY;
        }
        assertTrue(n > 100, "too few pixels to compare: " + n);
        Arrays.sort(e, 0, n);
        return n % 2 == 1 ? e[n / 2] : 0.5 * (e[n / 2 - 1] + e[n / 2]);
    }
}
