package org.xanestream.simulators.detector;

import org.xanestream.processor.RowParallel;

/**
 * Generates the detector frames of one scan: the noiseless expected images are computed once per
 * energy ({@link #prepareEnergy}), each frame then only adds noise ({@link #renderSample},
 * {@link #renderFlat}, {@link #renderDark}).
 *
 * <p>Per energy: the sample absorbance in the reference frame is displaced by the true drift (bilinear,
 * sub-pixel, border pixels replicated: a feature at p appears at p + drift); the beam profile is
 * displaced by the beam's energy-dependent shift and multiplied by the detector dust; the sample
 * image is {@code flat · exp(−mu)}. The sample block and the flat block of an energy each get the
 * beam-intensity factor of their own (simulated) time, so the flux differs slightly between samples and
 * flats as at a real beamline.
 *
 * <p>Not thread safe: one generating thread calls it; rows are split across {@code rows}. Allocates
 * its image buffers once in the constructor; preparing and rendering do not allocate (apart from
 * {@link RowParallel}'s few task objects per call).
 */
public final class FrameSynthesizer {
    private final DetectorModel detector;
    private final RowParallel rows;
    private final int width;
    private final int height;
    private final float readVar;
    private final float[] darkMean;
    private final float[] darkSd;
    private final float[] sampleMean;
    private final float[] sampleSd;
    private final float[] flatMean;
    private final float[] flatSd;
    private final int[] colLo;
    private final int[] colHi;
    private final int[] rowLo;
    private final int[] rowHi;
    private final int[] beamColLo;
    private final int[] beamColHi;
    private final int[] beamRowLo;
    private final int[] beamRowHi;
    private final boolean darkSmallMeans;
    private final boolean useVector;
    private double prepared = Double.NaN;
    private volatile boolean smallMeans; // written by the bands of prepareEnergy, read after it returns

    public FrameSynthesizer(DetectorModel detector, RowParallel rows) {
        this.detector = detector;
        this.rows = rows;
        this.width = detector.width();
        this.height = detector.height();
        int n = width * height;
        this.readVar = (float) detector.readNoiseVariance();
        darkMean = new float[n];
        darkSd = new float[n];
        sampleMean = new float[n];
        sampleSd = new float[n];
        flatMean = new float[n];
        flatSd = new float[n];
        colLo = new int[width];
        colHi = new int[width];
        rowLo = new int[height];
        rowHi = new int[height];
        beamColLo = new int[width];
        beamColHi = new int[width];
        beamRowLo = new int[height];
        beamRowHi = new int[height];
        float[] off = detector.offsetAdu();
        float[] hot = detector.hotAdu();
        for (int i = 0; i < n; i++) {
            darkMean[i] = off[i] + hot[i];
            darkSd[i] = (float) Math.sqrt(hot[i] + readVar);
        }
        darkSmallMeans = NoiseRenderer.needsExactPoisson(darkSd, readVar, 0, n);
        useVector = ScalarKernels.VECTOR;
    }

    /**
     * One displaced row: {@code dst[x] = (1−fy)·((1−fx)·src[r0+lo[x]] + fx·src[r0+hi[x]]) + fy·(…r1…)}.
     * Where {@code lo[x] = x + shift} and {@code hi[x] = lo[x] + 1} are both inside the row the loop has
     * no index arrays, so the JIT can vectorize it; border columns use the clamped indices.
     */
    private static void bilinearRow(float[] src, int r0, int r1, int[] lo, int[] hi, float fx, float fy, int shift,
                                    int width, float[] dst) {
        final float w00 = (1 - fy) * (1 - fx);
        final float w01 = (1 - fy) * fx;
        final float w10 = fy * (1 - fx);
        final float w11 = fy * fx;
        int xa = Math.max(0, Math.min(width, -shift));
        int xb = Math.max(xa, Math.min(width, width - 1 - shift));
        for (int x = 0; x < xa; x++) {
            dst[x] = w00 * src[r0 + lo[x]] + w01 * src[r0 + hi[x]] + w10 * src[r1 + lo[x]] + w11 * src[r1 + hi[x]];
        }
        int o0 = r0 + shift;
        int o1 = r1 + shift;
        for (int x = xa; x < xb; x++) {
            dst[x] = w00 * src[o0 + x] + w01 * src[o0 + x + 1] + w10 * src[o1 + x] + w11 * src[o1 + x + 1];
        }
        for (int x = xb; x < width; x++) {
            dst[x] = w00 * src[r0 + lo[x]] + w01 * src[r0 + hi[x]] + w10 * src[r1 + lo[x]] + w11 * src[r1 + hi[x]];
        }
    }

    private void flagSmallMeans() {
        smallMeans = true;
    }

    /**
     * Computes the expected sample and flat images of one energy.
     *
     * @param muRef       noiseless sample absorbance in the reference frame, row-major; not modified
     * @param energyEv    photon energy, eV
     * @param driftXPx    true sample drift along +x (columns), pixels
     * @param driftYPx    true sample drift along +y (rows), pixels
     * @param sampleTimeS simulated time of the sample block, seconds
     * @param flatTimeS   simulated time of the flat block, seconds
     */
    public void prepareEnergy(float[] muRef, double energyEv, double driftXPx, double driftYPx, double sampleTimeS,
                              double flatTimeS) {
        if (muRef.length != width * height) {
            throw new IllegalArgumentException("muRef has " + muRef.length + " pixels, expected " + width + "x" + height);
        }
        final float fx = SubPixelShift.indices(driftXPx, width, colLo, colHi);
        final int muShift = (int) Math.floor(-driftXPx);
        final int beamShift = (int) Math.floor(-detector.beamShiftXPx(energyEv));
        final float fy = SubPixelShift.indices(driftYPx, height, rowLo, rowHi);
        final float bfx = SubPixelShift.indices(detector.beamShiftXPx(energyEv), width, beamColLo, beamColHi);
        final float bfy = SubPixelShift.indices(detector.beamShiftYPx(energyEv), height, beamRowLo, beamRowHi);
        final double counts = detector.config().openBeamCounts() * detector.flux(energyEv);
        final float sampleScale = (float) (counts * detector.timeFactor(sampleTimeS));
        final float flatScale = (float) (counts * detector.timeFactor(flatTimeS));
        final float[] beam = detector.beamPattern();
        final float[] dust = detector.dust();
        final float[] off = detector.offsetAdu();
        final float[] hot = detector.hotAdu();
        final float rv = readVar;
        final boolean vector = useVector;
        smallMeans = false;
        rows.forEachBand(height, (y0, y1) -> {
            float[] muRow = new float[width];
            float[] relRow = new float[width];
            boolean small = false;
            for (int y = y0; y < y1; y++) {
                int r0 = rowLo[y] * width;
                int r1 = rowHi[y] * width;
                int b0 = beamRowLo[y] * width;
                int b1 = beamRowHi[y] * width;
                int base = y * width;
                bilinearRow(muRef, r0, r1, colLo, colHi, fx, fy, muShift, width, muRow);
                bilinearRow(beam, b0, b1, beamColLo, beamColHi, bfx, bfy, beamShift, width, relRow);
                for (int x = 0; x < width; x++) {
                    relRow[x] *= dust[base + x];
                }
                small |= vector
                        ? VectorKernels.expectationRow(muRow, relRow, off, hot, base, width, sampleScale, flatScale, rv,
                                sampleMean, sampleSd, flatMean, flatSd)
                        : ScalarKernels.expectationRow(muRow, relRow, off, hot, base, width, sampleScale, flatScale, rv,
                                sampleMean, sampleSd, flatMean, flatSd);
            }
            if (small) {
                flagSmallMeans();
            }
        });
        prepared = energyEv;
    }

    /** One dark frame into {@code out} (little-endian uint16, {@code 2·width·height} bytes). */
    public void renderDark(long frameKey, byte[] out) {
        render(darkMean, darkSd, frameKey, out, darkSmallMeans);
    }

    /** One sample frame of the prepared energy. */
    public void renderSample(long frameKey, byte[] out) {
        requirePrepared();
        render(sampleMean, sampleSd, frameKey, out, smallMeans);
    }

    /** One flat frame of the prepared energy. */
    public void renderFlat(long frameKey, byte[] out) {
        requirePrepared();
        render(flatMean, flatSd, frameKey, out, smallMeans);
    }

    private void requirePrepared() {
        if (Double.isNaN(prepared)) {
            throw new IllegalStateException("prepareEnergy must be called before rendering sample or flat frames");
        }
    }

    private void render(float[] mean, float[] sd, long frameKey, byte[] out, boolean small) {
        if (out.length < 2 * width * height) {
            throw new IllegalArgumentException("output buffer holds " + out.length + " bytes, a frame needs "
                    + 2L * width * height);
        }
        final float rv = readVar;
        final int w = width;
        rows.forEachBand(height, (y0, y1) -> NoiseRenderer.renderRows(mean, sd, rv, w, y0, y1, frameKey, out, small));
    }

    /** Expected dark frame, ADU (live view of the internal buffer; do not modify). */
    public float[] expectedDark() {
        return darkMean;
    }

    /** Expected sample frame of the prepared energy, ADU (live view; do not modify). */
    public float[] expectedSample() {
        return sampleMean;
    }

    /** Expected flat frame of the prepared energy, ADU (live view; do not modify). */
    public float[] expectedFlat() {
        return flatMean;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }
}
