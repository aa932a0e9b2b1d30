package org.xanestream.processor.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhaseCorrelationDriftEstimatorTest {
    private static final int W = 160;
    private static final int H = 128;

    private static final DriftConfig FULL_RES = DriftConfig.defaults().withBin(1);

    private static float[] render(SyntheticScene scene, double dx, double dy, double a, double b) {
        float[] img = new float[W * H];
        scene.render(W, H, dx, dy, a, b, img);
        return img;
    }

    @ParameterizedTest(name = "shift ({0}, {1})")
    @CsvSource({"0.0, 0.0", "2.37, -1.62", "-5.81, 3.14", "0.43, 0.07", "-0.5, 0.5", "11.2, -7.9"})
    void recoversKnownSubPixelShiftOfCleanImageWithin005Px(double dx, double dy) {
        SyntheticScene scene = new SyntheticScene(W, H, 24, 7);
        PhaseCorrelationDriftEstimator est = new PhaseCorrelationDriftEstimator(W, H, FULL_RES);
        assertTrue(est.setReference(render(scene, 0, 0, 1, 1)));
        ShiftEstimate s = est.estimate(render(scene, dx, dy, 1, 1));
        assertEquals(dx, s.dxPx(), 0.05, "dx");
        assertEquals(dy, s.dyPx(), 0.05, "dy");
        assertTrue(s.confidence() > 0.5, "confidence " + s.confidence());
    }

    @ParameterizedTest(name = "window {0}, gradient {1}")
    @CsvSource({"HANN, true", "TUKEY, true", "TUKEY, false", "NONE, true"})
    void everyWindowAndFilterRecoversTheShift(DriftConfig.WindowType window, boolean gradient) {
        SyntheticScene scene = new SyntheticScene(W, H, 24, 11);
        DriftConfig cfg = FULL_RES.withWindow(window).withGradientFilter(gradient);
        PhaseCorrelationDriftEstimator est = new PhaseCorrelationDriftEstimator(W, H, cfg);
        est.setReference(render(scene, 0, 0, 1, 1));
        ShiftEstimate s = est.estimate(render(scene, 1.73, -2.21, 1, 1));
        assertEquals(1.73, s.dxPx(), 0.05);
        assertEquals(-2.21, s.dyPx(), 0.05);
    }

    @Test
    void absorptionContrastChangeBetweenReferenceAndMovingImageDoesNotBiasTheShift() {
        SyntheticScene scene = new SyntheticScene(W, H, 30, 3);
        PhaseCorrelationDriftEstimator est = new PhaseCorrelationDriftEstimator(W, H, FULL_RES);
        // Pre-edge: both materials absorb weakly and alike; above the edge one absorbs 4x more.
        est.setReference(render(scene, 0, 0, 0.3, 0.25));
        ShiftEstimate s = est.estimate(render(scene, -3.36, 1.58, 1.2, 0.2));
        assertEquals(-3.36, s.dxPx(), 0.05);
        assertEquals(1.58, s.dyPx(), 0.05);
    }

    @Test
    void noisyImagesStayWithinATenthOfAPixel() {
        SyntheticScene scene = new SyntheticScene(W, H, 24, 5);
        PhaseCorrelationDriftEstimator est = new PhaseCorrelationDriftEstimator(W, H, FULL_RES);
        float[] ref = render(scene, 0, 0, 1, 1);
        SyntheticScene.addNoise(ref, 0.05, 1);
        est.setReference(ref);
        float[] mov = render(scene, 4.22, 2.91, 1, 1);
        SyntheticScene.addNoise(mov, 0.05, 2);
        ShiftEstimate s = est.estimate(mov);
        assertEquals(4.22, s.dxPx(), 0.1);
        assertEquals(2.91, s.dyPx(), 0.1);
    }

    @Test
    void nanPixelsAndShiftedInBordersAreIgnored() {
        SyntheticScene scene = new SyntheticScene(W, H, 24, 9);
        PhaseCorrelationDriftEstimator est = new PhaseCorrelationDriftEstimator(W, H, FULL_RES);
        est.setReference(render(scene, 0, 0, 1, 1));
        float[] mov = render(scene, -2.6, 1.3, 1, 1);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < 4; x++) {
                mov[y * W + x] = Float.NaN;
            }
        }
        Arrays.fill(mov, (H - 2) * W, H * W, Float.NaN);
        mov[50 * W + 60] = Float.NaN;
        ShiftEstimate s = est.estimate(mov);
        assertEquals(-2.6, s.dxPx(), 0.05);
        assertEquals(1.3, s.dyPx(), 0.05);
    }

    @Test
    void aBinWithSomeNanPixelsIsTheMeanOfItsFinitePixels() {
        int w = 320;
        int h = 256;
        float[][] pair = referenceAndShifted(w, h, 17, -2.4, 3.6);
        float[] ref = pair[0];
        float[] mov = pair[1];
        // one dead pixel in every 2x2 bin (and an infinite one): no bin may become NaN because of it
        for (int y = 0; y < h; y += 2) {
            for (int x = (y / 2) % 2; x < w; x += 2) {
                ref[y * w + x] = Float.NaN;
                mov[y * w + x] = Float.NaN;
            }
        }
        mov[101 * w + 77] = Float.POSITIVE_INFINITY;
        PhaseCorrelationDriftEstimator binned = new PhaseCorrelationDriftEstimator(w, h, DriftConfig.defaults().withBin(2));
        binned.setReference(ref);
        ShiftEstimate s = binned.estimate(mov);
        assertTrue(s.confidence() > 0.1, "confidence " + s.confidence());
        assertEquals(-2.4, s.dxPx(), 0.15);
        assertEquals(3.6, s.dyPx(), 0.15);
    }

    @Test
    void binningAndRoiReportShiftsInFullImagePixels() {
        int w = 320;
        int h = 256;
        float[][] pair = referenceAndShifted(w, h, 13, 3.3, -4.7);
        float[] ref = pair[0];
        float[] mov = pair[1];
        PhaseCorrelationDriftEstimator binned = new PhaseCorrelationDriftEstimator(w, h, DriftConfig.defaults().withBin(2));
        assertEquals(2, binned.bin());
        binned.setReference(ref);
        ShiftEstimate s = binned.estimate(mov);
        assertEquals(3.3, s.dxPx(), 0.1);
        assertEquals(-4.7, s.dyPx(), 0.1);

        PhaseCorrelationDriftEstimator roi = new PhaseCorrelationDriftEstimator(w, h, FULL_RES.withRoi(40, 30, 200, 180));
        assertEquals(200, roi.analysisWidth());
        roi.setReference(ref);
        ShiftEstimate r = roi.estimate(mov);
        assertEquals(3.3, r.dxPx(), 0.05);
        assertEquals(-4.7, r.dyPx(), 0.05);
    }

    @Test
    void automaticBinningKeepsTheAnalysisImageWithinTheConfiguredSize() {
        PhaseCorrelationDriftEstimator est = new PhaseCorrelationDriftEstimator(2048, 1500, DriftConfig.defaults());
        assertEquals(2, est.bin());
        assertEquals(1024, est.analysisWidth());
        assertEquals(750, est.analysisHeight());
        assertEquals(4, new PhaseCorrelationDriftEstimator(3200, 3200, DriftConfig.defaults()).bin());
    }

    @Test
    void unrelatedImageGetsLowConfidenceAndIdenticalImageHigh() {
        SyntheticScene scene = new SyntheticScene(W, H, 24, 17);
        PhaseCorrelationDriftEstimator est = new PhaseCorrelationDriftEstimator(W, H, FULL_RES);
        float[] ref = render(scene, 0, 0, 1, 1);
        est.setReference(ref);
        assertTrue(est.estimate(ref).confidence() > 0.9);
        float[] noise = new float[W * H];
        SyntheticScene.addNoise(noise, 1, 99);
        ShiftEstimate s = est.estimate(noise);
        assertTrue(s.confidence() < 0.3, "confidence of pure noise " + s.confidence());
    }

    @Test
    void allNaNImageGivesZeroConfidenceAndMissingReferenceIsAnError() {
        PhaseCorrelationDriftEstimator est = new PhaseCorrelationDriftEstimator(64, 64, FULL_RES);
        float[] nan = new float[64 * 64];
        Arrays.fill(nan, Float.NaN);
        assertThrows(IllegalStateException.class, () -> est.estimate(nan));
        assertFalse(est.setReference(nan));
        float[] ok = new float[64 * 64];
        new SyntheticScene(64, 64, 5, 1).render(64, 64, 0, 0, 1, 1, ok);
        assertTrue(est.setReference(ok));
        assertEquals(0.0, est.estimate(nan).confidence());
    }

    @ParameterizedTest(name = "shift ({0}, {1}), gradient {2}")
    @CsvSource({"2.37, -1.62, true", "-0.43, 0.71, true", "5.5, 3.25, false", "0.0, 0.0, false"})
    void newtonRefinementFindsTheMaximumTheFineUpsampledDftGridFinds(double dx, double dy, boolean gradient) {
        SyntheticScene scene = new SyntheticScene(W, H, 24, 21);
        float[] ref = render(scene, 0, 0, 1, 0.6);
        // intensity correlation is only unbiased without a change of contrast between the populations
        float[] mov = gradient ? render(scene, dx, dy, 0.8, 1) : render(scene, dx, dy, 1, 0.6);
        SyntheticScene.addNoise(ref, 0.03, 5);
        SyntheticScene.addNoise(mov, 0.03, 6);
        DriftConfig cfg = new DriftConfig(true, DriftConfig.ReferenceMode.FIRST, DriftConfig.WindowType.TUKEY, 0.25,
                gradient, 1, 1024, 0, 0, 0, 0, 0.001, 5, 0.2, false);
        PhaseCorrelationDriftEstimator newton = new PhaseCorrelationDriftEstimator(W, H, cfg);
        PhaseCorrelationDriftEstimator grid = new PhaseCorrelationDriftEstimator(W, H, cfg);
        grid.gridSearchOnly = true;
        newton.setReference(ref);
        grid.setReference(ref);
        ShiftEstimate n = newton.estimate(mov);
        ShiftEstimate g = grid.estimate(mov);
        assertEquals(0, newton.gridSearches(), "Newton's method applied");
        assertEquals(1, grid.gridSearches());
        // the grid's points are 0.001 px apart: its best point is within half a step of the true maximum
        assertEquals(g.dxPx(), n.dxPx(), 0.001, "dx");
        assertEquals(g.dyPx(), n.dyPx(), 0.001, "dy");
        assertEquals(g.confidence(), n.confidence(), 1e-12);
        // small noisy images with a contrast change: both refinements share the estimator's bias
        assertEquals(dx, n.dxPx(), 0.1);
        assertEquals(dy, n.dyPx(), 0.1);
    }

    @Test
    void rowBandsOnWorkerThreadsGiveTheSameEstimateAsOneThread() {
        int w = 300;
        int h = 200;
        SyntheticScene scene = new SyntheticScene(w, h, 40, 23);
        float[] ref = new float[w * h];
        float[] mov = new float[w * h];
        scene.render(w, h, 0, 0, 1, 1, ref);
        scene.render(w, h, -3.3, 1.7, 1, 0.7, mov);
        SyntheticScene.addNoise(mov, 0.05, 3);
        Arrays.fill(mov, 0, 3 * w, Float.NaN);
        DriftConfig cfg = DriftConfig.defaults().withBin(2);
        PhaseCorrelationDriftEstimator one = new PhaseCorrelationDriftEstimator(w, h, cfg);
        try (org.xanestream.processor.RowParallel rows = new org.xanestream.processor.RowParallel(3)) {
            PhaseCorrelationDriftEstimator three = new PhaseCorrelationDriftEstimator(w, h, cfg, rows);
            one.setReference(ref);
            three.setReference(ref);
            ShiftEstimate a = one.estimate(mov);
            ShiftEstimate b = three.estimate(mov);
            assertEquals(a, b);
            assertEquals(-3.3, a.dxPx(), 0.1);
            assertEquals(1.7, a.dyPx(), 0.1);
        }
    }

    @Test
    void referenceMeanOfBinnedImagesActsLikeTheMeanImage() {
        int w = 192;
        int h = 160;
        SyntheticScene scene = new SyntheticScene(w, h, 30, 29);
        float[] a = new float[w * h];
        float[] b = new float[w * h];
        float[] mean = new float[w * h];
        scene.render(w, h, 0, 0, 1, 0.5, a);
        scene.render(w, h, 0, 0, 0.6, 1, b);
        for (int i = 0; i < mean.length; i++) {
            mean[i] = 0.5f * (a[i] + b[i]);
        }
        float[] mov = new float[w * h];
        scene.render(w, h, 1.4, -2.2, 0.8, 0.8, mov);
        DriftConfig cfg = DriftConfig.defaults().withBin(2);
        PhaseCorrelationDriftEstimator byMean = new PhaseCorrelationDriftEstimator(w, h, cfg);
        assertFalse(byMean.setReferenceToMean(), "no image added yet");
        byMean.addToReferenceMean(a);
        byMean.addToReferenceMean(b);
        assertTrue(byMean.setReferenceToMean());
        PhaseCorrelationDriftEstimator byImage = new PhaseCorrelationDriftEstimator(w, h, cfg);
        byImage.setReference(mean);
        ShiftEstimate m = byMean.estimate(mov);
        ShiftEstimate i = byImage.estimate(mov);
        assertEquals(i.dxPx(), m.dxPx(), 1e-4);
        assertEquals(i.dyPx(), m.dyPx(), 1e-4);
        assertEquals(1.4, m.dxPx(), 0.1);
        assertEquals(-2.2, m.dyPx(), 0.1);
    }

    @Test
    void rejectsRoiOutsideTheImage() {
        assertThrows(IllegalArgumentException.class,
                () -> new PhaseCorrelationDriftEstimator(100, 100, FULL_RES.withRoi(50, 0, 60, 50)));
    }

    /** A scene of 40 features (seeded) and the same scene displaced by (dx, dy) pixels, same contrast. */
    private static float[][] referenceAndShifted(int w, int h, long seed, double dx, double dy) {
        SyntheticScene scene = new SyntheticScene(w, h, 40, seed);
        float[] ref = new float[w * h];
        float[] mov = new float[w * h];
        scene.render(w, h, 0, 0, 1, 1, ref);
        scene.render(w, h, dx, dy, 1, 1, mov);
        return new float[][] {ref, mov};
    }
}
