package org.xanestream.publisher.dashboard;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ColormapAndPngTest {

    private static double[] lab(int i) {
        int c = Colormap.rgb(i);
        double[] lab = new double[3];
        Colormap.linearSrgbToOklab(Colormap.decodeSrgb(((c >> 16) & 255) / 255.0),
                Colormap.decodeSrgb(((c >> 8) & 255) / 255.0), Colormap.decodeSrgb((c & 255) / 255.0), lab);
        return lab;
    }

    @Test
    void lightnessRisesMonotonicallyAndPerceptualStepsAreNearlyEqual() {
        double minStep = Double.POSITIVE_INFINITY;
        double maxStep = 0;
        double[] prev = lab(0);
        // Compare every 8th entry: single entries are quantized to 8-bit sRGB.
        for (int i = 8; i < Colormap.SIZE; i += 8) {
            double[] cur = lab(i);
            assertTrue(cur[0] > prev[0], "lightness must rise at entry " + i);
            double d = Math.sqrt(Math.pow(cur[0] - prev[0], 2) + Math.pow(cur[1] - prev[1], 2) + Math.pow(cur[2] - prev[2], 2));
            minStep = Math.min(minStep, d);
            maxStep = Math.max(maxStep, d);
            prev = cur;
        }
        assertTrue(maxStep / minStep < 1.8, "perceptual steps vary by " + maxStep / minStep);
        assertTrue(lab(255)[0] - lab(0)[0] > 0.6, "lightness range");
    }

    @Test
    void oklabConversionRoundTrips() {
        double[] rgb = new double[3];
        double[] lab = new double[3];
        Colormap.linearSrgbToOklab(0.2, 0.5, 0.8, lab);
        Colormap.oklabToLinearSrgb(lab[0], lab[1], lab[2], rgb);
        assertEquals(0.2, rgb[0], 1e-6);
        assertEquals(0.5, rgb[1], 1e-6);
        assertEquals(0.8, rgb[2], 1e-6);
    }

    @Test
    void pngDecodesToTheColormappedPixelsWithTransparentInvalidOnes() throws Exception {
        float[] v = {0f, 0.5f, 1f, Float.NaN, 2f, 0.25f};
        float[] mask = {1, 1, 1, 1, 1, 0};
        MapView m = new MapView("s", "m", 1, false, 3, 2, 1, 1, v);
        MapView mk = new MapView("s", "mask", 1, false, 3, 2, 1, 1, mask);
        byte[] png = MapRender.png(m, mk, 0, 1, true);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(3, img.getWidth());
        assertEquals(2, img.getHeight());
        assertEquals(Colormap.rgb(0), img.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(Colormap.rgb(128), img.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(Colormap.rgb(255), img.getRGB(2, 0) & 0xFFFFFF);
        assertEquals(0, img.getRGB(0, 1) >>> 24, "NaN is transparent");
        assertEquals(Colormap.rgb(255), img.getRGB(1, 1) & 0xFFFFFF, "clamped above the range");
        assertEquals(0, img.getRGB(2, 1) >>> 24, "outside the mask is transparent");
    }

    @Test
    void displayMessageBlockAveragesAndCarriesTrust() {
        float[] v = new float[16];
        float[] mask = new float[16];
        for (int i = 0; i < 16; i++) {
            v[i] = i;
            mask[i] = (i % 4) < 2 ? 1 : 0;
        }
        MapView m = new MapView("s", "m", 3, true, 4, 4, 1, 1, v);
        MapView mk = new MapView("s", "mask", 3, true, 4, 4, 1, 1, mask);
        byte[] msg = MapRender.displayMessage(m, mk, MapStats.of(m, mk, 8), 4);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(msg).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int h = b.getInt();
        String header = new String(msg, 4, h, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(header.contains("\"width\":2") && header.contains("\"scale\":2"), header);
        int off = 4 + h + (4 - (4 + h) % 4) % 4;
        assertEquals((0 + 1 + 4 + 5) / 4f, b.getFloat(off));
        assertEquals(1, msg[off + 16]);
        assertEquals(0, msg[off + 16 + 1]);
    }

    @Test
    void spectrumFitFindsTheVertexOfAnExactParabolaAndTheEdgeCrossing() {
        double[] e = new double[60];
        double[] mu = new double[60];
        for (int i = 0; i < 60; i++) {
            e[i] = 8290 + i * 5;
        }
        org.xanestream.processor.fit.ElementPreset w = org.xanestream.processor.fit.ElementPreset.of("Ni");
        for (int i = 0; i < 60; i++) {
            double x = e[i];
            mu[i] = x < 8340 ? 0.1 : (x < 8347 ? 0.1 + (x - 8340) / 7.0 : 1.1);
        }
        SpectrumFit f = SpectrumFit.fit(e, mu, w);
        assertEquals(1.0, f.edgeJump(), 1e-9);
        assertEquals(8343.5, f.edgeEv(), 1e-6);
        double[] e2 = new double[15];
        double[] mu2 = new double[15];
        for (int i = 0; i < 15; i++) {
            e2[i] = 8347 + i * 0.5;
            mu2[i] = 2 - 0.1 * Math.pow(e2[i] - 8351.2, 2);
        }
        SpectrumFit q = SpectrumFit.fit(e2, mu2, w);
        assertTrue(q.quadratic());
        assertEquals(8351.2, q.whitelineEv(), 1e-6);
        assertEquals(2, q.whitelineMu(), 1e-9);
    }
}
