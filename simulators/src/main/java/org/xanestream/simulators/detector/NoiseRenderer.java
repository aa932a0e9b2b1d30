package org.xanestream.simulators.detector;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Turns an expected image into one noisy uint16 frame, fast.
 *
 * <p>Each pixel has an expected value {@code mean = offset + λ} and a standard deviation
 * {@code sd = sqrt(λ + σ_read²)} where λ is the mean of its Poisson part (photons plus hot-pixel dark
 * signal). For {@code λ ≥} {@value #EXACT_POISSON_BELOW} the value is {@code mean + sd·z} with z from a
 * table of 65536 standard normals (Gaussian approximation of Poisson: the skewness error is below
 * 1/sqrt(λ) of one sigma); below it (darks, very low doses) the photon part is sampled exactly (Knuth's
 * product of uniforms) and the read noise added. Values are rounded and saturate at 0 and 65535.
 *
 * <p>Random numbers: a xorshift64* stream per image row, seeded from {@code (frameKey, row)}; one
 * 64-bit draw gives four table indices. The output therefore depends only on the inputs and the key,
 * never on how rows are split across threads. The exact-Poisson path draws its uniforms from a
 * stateless hash of (row seed, pixel, draw), so it does not disturb the row stream either.
 *
 * <p>Stateless and thread safe; rendering does not allocate.
 */
public final class NoiseRenderer {
    /** Photon means below this are sampled exactly. */
    public static final float EXACT_POISSON_BELOW = 20f;

    private static final int TABLE_BITS = 16;
    private static final int TABLE_MASK = (1 << TABLE_BITS) - 1;
    private static final float[] NORMAL = normalTable();
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private NoiseRenderer() {
    }

    /** 65536 seeded standard normals, standardized to mean exactly 0 and variance exactly 1. */
    private static float[] normalTable() {
        SplittableRandom r = new SplittableRandom(0x5EEDL);
        int n = 1 << TABLE_BITS;
        double[] v = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            v[i] = DetectorModel.gaussian(r);
            sum += v[i];
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < n; i++) {
            v[i] -= mean;
            ss += v[i] * v[i];
        }
        double scale = 1 / Math.sqrt(ss / n);
        float[] t = new float[n];
        for (int i = 0; i < n; i++) {
            t[i] = (float) (v[i] * scale);
        }
        return t;
    }

    /** A well-mixed 64-bit key of a frame (SplitMix64 finalizer over the parts). */
    public static long frameKey(long seed, long scan, long frame) {
        return mix(mix(mix(seed) + scan * GOLDEN) + frame);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Renders rows {@code [row0, row1)} of one frame.
     *
     * @param mean     expected value per pixel, ADU; not modified
     * @param sd       standard deviation per pixel, ADU ({@code sqrt(λ + readVar)}); not modified
     * @param readVar  read-noise variance, ADU²
     * @param width    pixels per row
     * @param frameKey from {@link #frameKey}
     * @param out      little-endian uint16 pixels, {@code 2·width·height} bytes; rows written are modified
     */
    public static void renderRows(float[] mean, float[] sd, float readVar, int width, int row0, int row1,
                                  long frameKey, byte[] out) {
        renderRows(mean, sd, readVar, width, row0, row1, frameKey, out, true);
    }

    /**
     * As {@link #renderRows(float[], float[], float, int, int, int, long, byte[])}; with
     * {@code mayHaveSmallMeans} false the caller guarantees that no pixel has a Poisson mean between
     * 0.001 and {@value #EXACT_POISSON_BELOW} (see {@link #needsExactPoisson}), which skips the test per pixel.
     * Both forms give identical output for such images.
     */
    public static void renderRows(float[] mean, float[] sd, float readVar, int width, int row0, int row1,
                                  long frameKey, byte[] out, boolean mayHaveSmallMeans) {
        final float[] z = NORMAL;
        final float readSd = (float) Math.sqrt(readVar);
        for (int y = row0; y < row1; y++) {
            long rowSeed = mix(frameKey + (y + 1) * GOLDEN);
            long s = rowSeed == 0 ? GOLDEN : rowSeed;
            int i = y * width;
            final int end = i + width;
            final int end4 = end - 4;
            if (!mayHaveSmallMeans) {
                for (; i <= end4; i += 4) {
                    s ^= s >>> 12;
                    s ^= s << 25;
                    s ^= s >>> 27;
                    long r = s * 0x2545F4914F6CDD1DL;
                    fast(mean[i], sd[i], z[(int) r & TABLE_MASK], i, out);
                    fast(mean[i + 1], sd[i + 1], z[(int) (r >>> 16) & TABLE_MASK], i + 1, out);
                    fast(mean[i + 2], sd[i + 2], z[(int) (r >>> 32) & TABLE_MASK], i + 2, out);
                    fast(mean[i + 3], sd[i + 3], z[(int) (r >>> 48) & TABLE_MASK], i + 3, out);
                }
            } else {
                for (; i <= end4; i += 4) {
                    s ^= s >>> 12;
                    s ^= s << 25;
                    s ^= s >>> 27;
                    long r = s * 0x2545F4914F6CDD1DL;
                    pixel(mean, sd, z[(int) r & TABLE_MASK], readVar, readSd, rowSeed, i, out);
                    pixel(mean, sd, z[(int) (r >>> 16) & TABLE_MASK], readVar, readSd, rowSeed, i + 1, out);
                    pixel(mean, sd, z[(int) (r >>> 32) & TABLE_MASK], readVar, readSd, rowSeed, i + 2, out);
                    pixel(mean, sd, z[(int) (r >>> 48) & TABLE_MASK], readVar, readSd, rowSeed, i + 3, out);
                }
            }
            if (i < end) {
                s ^= s >>> 12;
                s ^= s << 25;
                s ^= s >>> 27;
                long r = s * 0x2545F4914F6CDD1DL;
                for (int k = 0; i < end; k++, i++) {
                    pixel(mean, sd, z[(int) (r >>> (16 * k)) & TABLE_MASK], readVar, readSd, rowSeed, i, out);
                }
            }
        }
    }

    /**
     * True if some pixel of {@code [from, to)} has a Poisson mean ({@code sd² − readVar}) small enough to
     * be sampled exactly.
     */
    public static boolean needsExactPoisson(float[] sd, float readVar, int from, int to) {
        for (int i = from; i < to; i++) {
            float lam = sd[i] * sd[i] - readVar;
            if (lam < EXACT_POISSON_BELOW && lam > 1e-3f) {
                return true;
            }
        }
        return false;
    }

    private static void fast(float m, float s, float zz, int i, byte[] out) {
        int q = (int) (m + s * zz + 0.5f);
        q = q < 0 ? 0 : (q > 65535 ? 65535 : q);
        SHORT_LE.set(out, i << 1, (short) q);
    }

    private static void pixel(float[] mean, float[] sd, float zz, float readVar, float readSd, long rowSeed, int i,
                              byte[] out) {
        float m = mean[i];
        float s = sd[i];
        float lam = s * s - readVar;
        float v;
        if (lam < EXACT_POISSON_BELOW && lam > 1e-3f) {
            v = (m - lam) + poisson(lam, rowSeed, i) + readSd * zz;
        } else {
            v = m + s * zz;
        }
        int q = (int) (v + 0.5f);
        q = q < 0 ? 0 : (q > 65535 ? 65535 : q);
        SHORT_LE.set(out, i << 1, (short) q);
    }

    /** Exact Poisson sample of a small mean by Knuth's method, uniforms from a stateless hash. */
    static int poisson(float lam, long rowSeed, int i) {
        double limit = StrictMath.exp(-lam);
        double p = 1;
        int k = 0;
        long base = mix(rowSeed ^ ((long) i * 0xD1B54A32D192ED03L));
        while (true) {
            long h = mix(base + (k + 1) * GOLDEN);
            p *= ((h >>> 11) + 0.5) * 0x1.0p-53;
            if (p <= limit) {
                return k;
            }
            k++;
        }
    }
}
