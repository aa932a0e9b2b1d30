package org.xanestream.publisher.dashboard;

/**
 * A perceptually uniform sequential colormap built in the OKLab space: lightness rises linearly from
 * dark violet to light yellow while hue turns through blue and green (the same path as viridis), with
 * chroma reduced where needed to stay inside sRGB. Equal steps in value give near-equal perceived steps
 * and the lightness order survives grayscale printing and common colour-vision deficiencies.
 *
 * <p>The 256-entry table is computed once; the browser receives the same table, so server PNGs and
 * the page agree colour for colour. Thread safe, immutable.
 */
public final class Colormap {
    /** Entries in the table. */
    public static final int SIZE = 256;
    private static final byte[] LUT = build();

    private Colormap() {
    }

    /** The table as {@code r, g, b} bytes per entry ({@code 3 × SIZE}); a copy. */
    public static byte[] rgbTable() {
        return LUT.clone();
    }

    /** Table index of a value in {@code [lo, hi]} (clamped), or -1 for NaN. */
    public static int index(double v, double lo, double hi) {
        if (Double.isNaN(v)) {
            return -1;
        }
        double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
        int i = (int) Math.floor(t * SIZE);
        return i < 0 ? 0 : Math.min(SIZE - 1, i);
    }

    /** Packed {@code 0xRRGGBB} of table entry {@code i}. */
    public static int rgb(int i) {
        return ((LUT[3 * i] & 0xFF) << 16) | ((LUT[3 * i + 1] & 0xFF) << 8) | (LUT[3 * i + 2] & 0xFF);
    }

    private static byte[] build() {
        byte[] out = new byte[3 * SIZE];
        double[] rgb = new double[3];
        for (int i = 0; i < SIZE; i++) {
            double t = i / (double) (SIZE - 1);
            double lightness = 0.27 + 0.66 * t;
            double hueDeg = 305 - 200 * t;
            double chroma = 0.10 + 0.08 * t * t;
            // Shrink chroma until the colour is inside the sRGB gamut.
            for (int k = 0; k < 200; k++) {
                double h = Math.toRadians(hueDeg);
                oklabToLinearSrgb(lightness, chroma * Math.cos(h), chroma * Math.sin(h), rgb);
                if (rgb[0] >= 0 && rgb[0] <= 1 && rgb[1] >= 0 && rgb[1] <= 1 && rgb[2] >= 0 && rgb[2] <= 1) {
                    break;
                }
                chroma *= 0.97;
            }
            for (int c = 0; c < 3; c++) {
                double v = Math.max(0, Math.min(1, rgb[c]));
                out[3 * i + c] = (byte) Math.round(255 * encodeSrgb(v));
            }
        }
        return out;
    }

    /** OKLab → linear sRGB (Ottosson 2020). */
    static void oklabToLinearSrgb(double l, double a, double b, double[] rgb) {
        double l1 = l + 0.3963377774 * a + 0.2158037573 * b;
        double m1 = l - 0.1055613458 * a - 0.0638541728 * b;
        double s1 = l - 0.0894841775 * a - 1.2914855480 * b;
        double l3 = l1 * l1 * l1;
        double m3 = m1 * m1 * m1;
        double s3 = s1 * s1 * s1;
        rgb[0] = 4.0767416621 * l3 - 3.3077115913 * m3 + 0.2309699292 * s3;
        rgb[1] = -1.2684380046 * l3 + 2.6097574011 * m3 - 0.3413193965 * s3;
        rgb[2] = -0.0041960863 * l3 - 0.7034186147 * m3 + 1.7076147010 * s3;
    }

    /** Linear sRGB → OKLab, for checks of the table. */
    static void linearSrgbToOklab(double r, double g, double b, double[] lab) {
        double l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
        double m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
        double s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
        lab[0] = 0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s;
        lab[1] = 1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s;
        lab[2] = 0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s;
    }

    static double encodeSrgb(double v) {
        return v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
    }

    static double decodeSrgb(double v) {
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
}
