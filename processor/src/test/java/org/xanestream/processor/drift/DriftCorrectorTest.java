package org.xanestream.processor.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.xanestream.processor.RowParallel;

class DriftCorrectorTest {
    private static final int W = 128;
    private static final int H = 112;
    private static final RowParallel ROWS = new RowParallel(2);
    private final SyntheticScene scene = new SyntheticScene(W, H, 20, 31);

    @AfterAll
    static void close() {
        ROWS.close();
    }

    private float[] image(double dx, double dy, double contrast) {
        float[] img = new float[W * H];
        scene.render(W, H, dx, dy, contrast, 0.5, img);
        return img;
    }

    @Test
    void measuresEachImageAgainstTheFirstAndAlignsIt() {
        DriftCorrector c = new DriftCorrector(W, H, DriftConfig.defaults().withBin(1), ROWS, null);
        float[] out = new float[W * H];
        DriftCorrector.Correction first = c.correct(image(0, 0, 0.4), out);
        assertEquals(0.0, first.dxPx());
        double[][] drift = {{0.6, -0.4}, {1.3, -0.9}, {1.9, -1.7}, {2.6, -2.2}};
        for (int k = 0; k < drift.length; k++) {
            DriftCorrector.Correction r = c.correct(image(drift[k][0], drift[k][1], 0.4 + 0.3 * k), out);
            assertEquals(drift[k][0], r.dxPx(), 0.05, "dx of image " + k);
            assertEquals(drift[k][1], r.dyPx(), 0.05, "dy of image " + k);
            assertFalse(r.replaced());
        }
        // Aligned: the last image matches the reference geometry (same contrast rendered unshifted).
        float[] expected = image(0, 0, 0.4 + 0.3 * 3);
        int cx = W / 2;
        int cy = H / 2;
        assertEquals(expected[cy * W + cx], out[cy * W + cx], 0.05);
        assertTrue(Float.isNaN(out[(H - 1) * W + 10]) || Float.isNaN(out[W - 1]), "shifted-in border is NaN");
    }

    @Test
    void implausibleJumpIsReplacedByThePreviousShiftAndFlagged() {
        DriftCorrector c = new DriftCorrector(W, H, DriftConfig.defaults().withBin(1).withGuard(3.0, 0.2), ROWS, null);
        float[] out = new float[W * H];
        c.correct(image(0, 0, 1), out);
        DriftCorrector.Correction a = c.correct(image(1.2, 0.4, 1), out);
        assertFalse(a.replaced());
        DriftCorrector.Correction jump = c.correct(image(9.2, 0.4, 1), out);
        assertTrue(jump.replaced());
        assertEquals(a.dxPx(), jump.dxPx());
        assertEquals(a.dyPx(), jump.dyPx());
        DriftCorrector.Correction back = c.correct(image(1.5, 0.6, 1), out);
        assertFalse(back.replaced());
        assertEquals(1.5, back.dxPx(), 0.05);
        assertEquals(1, c.replacedCount());
    }

    @Test
    void lowConfidenceEstimateIsReplaced() {
        DriftCorrector c = new DriftCorrector(W, H, DriftConfig.defaults().withBin(1).withGuard(50, 0.5), ROWS, null);
        float[] out = new float[W * H];
        c.correct(image(0, 0, 1), out);
        c.correct(image(0.8, 0.3, 1), out);
        float[] noise = new float[W * H];
        SyntheticScene.addNoise(noise, 1, 3);
        DriftCorrector.Correction r = c.correct(noise, out);
        assertTrue(r.replaced());
        assertTrue(r.confidence() < 0.5);
        assertEquals(0.8, r.dxPx(), 0.05);
    }

    @Test
    void runningMeanReferenceTracksTheDrift() {
        DriftCorrector c = new DriftCorrector(W, H,
                DriftConfig.defaults().withBin(1).withReferenceMode(DriftConfig.ReferenceMode.RUNNING_MEAN), ROWS, null);
        float[] out = new float[W * H];
        c.correct(image(0, 0, 1), out);
        double[][] drift = {{0.5, 0.2}, {1.1, 0.3}, {1.6, 0.7}, {2.4, 1.2}};
        for (double[] d : drift) {
            DriftCorrector.Correction r = c.correct(image(d[0], d[1], 1), out);
            assertEquals(d[0], r.dxPx(), 0.06);
            assertEquals(d[1], r.dyPx(), 0.06);
        }
    }

    @Test
    void nextScanOfASeriesIsRegisteredToThePreviousScanMean() {
        // Scan 1 defines the series coordinates; its mean aligned image becomes the anchor.
        float[] anchorImage = image(0, 0, 0.8);
        SeriesAnchor anchor = new SeriesAnchor(anchorImage, W, H, 0, 0);
        DriftCorrector c = new DriftCorrector(W, H, DriftConfig.defaults().withBin(1), ROWS, anchor);
        float[] out = new float[W * H];
        // The sample sits 4.3, -2.6 px away at the start of scan 2 and keeps drifting.
        DriftCorrector.Correction first = c.correct(image(4.3, -2.6, 0.5), out);
        assertEquals(4.3, first.dxPx(), 0.05);
        assertEquals(-2.6, first.dyPx(), 0.05);
        assertEquals(4.3, c.offsetXPx(), 0.05);
        DriftCorrector.Correction next = c.correct(image(5.0, -2.1, 0.9), out);
        assertEquals(5.0, next.dxPx(), 0.07);
        assertEquals(-2.1, next.dyPx(), 0.07);
        assertFalse(c.offsetReplaced());
    }

    @Test
    void disabledCorrectionPassesImagesThrough() {
        DriftCorrector c = new DriftCorrector(W, H, DriftConfig.defaults().withEnabled(false), ROWS, null);
        float[] in = image(3, 3, 1);
        float[] out = new float[W * H];
        DriftCorrector.Correction r = c.correct(in, out);
        assertEquals(0.0, r.dxPx());
        assertEquals(in[500], out[500]);
    }
}
