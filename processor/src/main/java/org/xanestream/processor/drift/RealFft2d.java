package org.xanestream.processor.drift;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Two-dimensional FFT of a real {@code rows × cols} image (both powers of two) into its half spectrum, and
 * back: rows by JTransforms' one-dimensional real transform, columns by a radix-2 FFT vectorized across a tile
 * of columns (a column is strided in memory, so one-dimensional transforms would first gather it; here each
 * butterfly works on whole row segments). Both passes run on the caller's row bands and nothing is allocated per
 * call (JTransforms' 2-D classes allocate scratch and task objects on every call and run their own thread pool;
 * its 1-D complex transform of the columns cost 3× the vectorized one here).
 *
 * <p>The row passes work in place on a {@code float[rows·cols]} array: after {@link #forwardRows} row {@code u}
 * holds its {@code cols/2} complex coefficients, {@code v = 0 … cols/2 − 1}, interleaved {@code (re, im)} at
 * {@code u·cols + 2v}. The column passes read that and write the half spectrum planar ({@code re}, {@code im}
 * arrays of {@code rows·cols/2}, coefficient {@code X(u, v)} at {@code u·cols/2 + v}), and back, so that the
 * per-frequency arithmetic of the caller runs on plain float arrays. The remaining coefficients follow from
 * Hermitian symmetry {@code X(−u, −v) = conj X(u, v)}, except the Nyquist column {@code v = cols/2}, which is
 * dropped (set to zero): a correlation only needs it for exact round trips, and a windowed image carries next to
 * nothing there. Forward uses {@code e^{−i…}}, inverse {@code e^{+i…}} without the {@code 1/n} scaling.
 *
 * <p>Thread safe for disjoint row or column ranges (plans and tables are read-only after construction; the
 * column passes use a per-thread scratch tile allocated on first use).
 */
final class RealFft2d {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /**
     * Columns transformed together: their {@code rows × 32} complex values (256 KiB for 1024 rows) stay in the L2
     * cache through all butterfly stages.
     */
    private static final int COLUMN_TILE = 32;

    static {
        // JTransforms' one-dimensional transforms start their own threads above 8192 points; the parallelism
        // here is the caller's row pool, so its thread pool stays unused.
        pl.edu.icm.jlargearrays.ConcurrencyUtils.setNumberOfThreads(1);
    }

    private final int rows;
    private final int cols;
    private final int halfCols;
    private final int tile;
    private final FloatFFT_1D rowFft;
    /** e^{−2πik/rows}, k &lt; rows/2. */
    private final float[] twiddleRe;
    private final float[] twiddleIm;
    private final int[] bitReversed;
    private final ThreadLocal<float[]> scratch;

    RealFft2d(int rows, int cols) {
        if (Integer.bitCount(rows) != 1 || Integer.bitCount(cols) != 1 || rows < 4 || cols < 4) {
            throw new IllegalArgumentException("fft size must be powers of two >= 4, got " + rows + "x" + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.halfCols = cols / 2;
        this.tile = Math.min(COLUMN_TILE, halfCols);
        this.rowFft = new FloatFFT_1D(cols);
        this.twiddleRe = new float[rows / 2];
        this.twiddleIm = new float[rows / 2];
        for (int k = 0; k < rows / 2; k++) {
            double phase = -2 * Math.PI * k / rows;
            twiddleRe[k] = (float) Math.cos(phase);
            twiddleIm[k] = (float) Math.sin(phase);
        }
        int bits = Integer.numberOfTrailingZeros(rows);
        this.bitReversed = new int[rows];
        for (int u = 0; u < rows; u++) {
            bitReversed[u] = Integer.reverse(u) >>> (32 - bits);
        }
        this.scratch = ThreadLocal.withInitial(() -> new float[2 * rows * this.tile]);
    }

    int rows() {
        return rows;
    }

    /** Column blocks, the unit of {@link #forwardColumns} and {@link #inverseColumns}. */
    int columnBlocks() {
        return halfCols / tile;
    }

    /** Real FFT of rows {@code [row0, row1)} of {@code a}; the Nyquist coefficient is dropped. Modified. */
    void forwardRows(float[] a, int row0, int row1) {
        for (int u = row0; u < row1; u++) {
            int off = u * cols;
            rowFft.realForward(a, off);
            a[off + 1] = 0f; // held Re X(n/2); Im X(0) of a real row is 0
        }
    }

    /**
     * Complex FFT along the columns of blocks {@code [block0, block1)} of {@code a} (after {@link #forwardRows}),
     * written planar: coefficient {@code (u, v)} to {@code re/im[u·cols/2 + v]}. {@code a} is used as input only.
     */
    void forwardColumns(float[] a, int block0, int block1, float[] re, float[] im) {
        float[] t = scratch.get();
        int im0 = rows * tile;
        for (int blk = block0; blk < block1; blk++) {
            int v0 = blk * tile;
            for (int u = 0; u < rows; u++) {
                int src = u * cols + 2 * v0;
                int dst = bitReversed[u] * tile;
                for (int c = 0; c < tile; c++) {
                    t[dst + c] = a[src + 2 * c];
                    t[im0 + dst + c] = a[src + 2 * c + 1];
                }
            }
            butterflies(t, true);
            for (int u = 0; u < rows; u++) {
                System.arraycopy(t, u * tile, re, u * halfCols + v0, tile);
                System.arraycopy(t, im0 + u * tile, im, u * halfCols + v0, tile);
            }
        }
    }

    /**
     * Inverse complex FFT along the columns of blocks {@code [block0, block1)} of the planar half spectrum
     * {@code re/im} (not modified), written interleaved into {@code a} for {@link #inverseRows}.
     */
    void inverseColumns(float[] re, float[] im, int block0, int block1, float[] a) {
        float[] t = scratch.get();
        int im0 = rows * tile;
        for (int blk = block0; blk < block1; blk++) {
            int v0 = blk * tile;
            for (int u = 0; u < rows; u++) {
                int dst = bitReversed[u] * tile;
                System.arraycopy(re, u * halfCols + v0, t, dst, tile);
                System.arraycopy(im, u * halfCols + v0, t, im0 + dst, tile);
            }
            butterflies(t, false);
            for (int u = 0; u < rows; u++) {
                int dst = u * cols + 2 * v0;
                int src = u * tile;
                for (int c = 0; c < tile; c++) {
                    a[dst + 2 * c] = t[src + c];
                    a[dst + 2 * c + 1] = t[im0 + src + c];
                }
            }
        }
    }

    /**
     * Iterative radix-2 decimation-in-time FFT of the {@code tile} columns of {@code t} (rows already in
     * bit-reversed order; real parts at {@code u·tile + c}, imaginary parts {@code rows·tile} further), all columns
     * at once: every butterfly combines two row segments, so the Vector API lanes run across columns.
     */
    private void butterflies(float[] t, boolean forward) {
        int im0 = rows * tile;
        int upper = F.loopBound(tile);
        float sign = forward ? 1f : -1f;
        for (int len = 2; len <= rows; len <<= 1) {
            int half = len >> 1;
            int step = rows / len;
            for (int start = 0; start < rows; start += len) {
                for (int k = 0; k < half; k++) {
                    float wr = twiddleRe[k * step];
                    float wi = sign * twiddleIm[k * step];
                    int ia = (start + k) * tile;
                    int ib = ia + half * tile;
                    int c = 0;
                    for (; c < upper; c += F.length()) {
                        FloatVector br = FloatVector.fromArray(F, t, ib + c);
                        FloatVector bi = FloatVector.fromArray(F, t, im0 + ib + c);
                        FloatVector tr = br.mul(wr).sub(bi.mul(wi));
                        FloatVector ti = br.mul(wi).add(bi.mul(wr));
                        FloatVector ar = FloatVector.fromArray(F, t, ia + c);
                        FloatVector ai = FloatVector.fromArray(F, t, im0 + ia + c);
                        ar.add(tr).intoArray(t, ia + c);
                        ai.add(ti).intoArray(t, im0 + ia + c);
                        ar.sub(tr).intoArray(t, ib + c);
                        ai.sub(ti).intoArray(t, im0 + ib + c);
                    }
                    for (; c < tile; c++) {
                        float br = t[ib + c];
                        float bi = t[im0 + ib + c];
                        float tr = br * wr - bi * wi;
                        float ti = br * wi + bi * wr;
                        float ar = t[ia + c];
                        float ai = t[im0 + ia + c];
                        t[ia + c] = ar + tr;
                        t[im0 + ia + c] = ai + ti;
                        t[ib + c] = ar - tr;
                        t[im0 + ib + c] = ai - ti;
                    }
                }
            }
        }
    }

    /**
     * Inverse real FFT of rows {@code [row0, row1)} of a half spectrum whose column pass is already inverted;
     * each row becomes {@code cols} real values.
     */
    void inverseRows(float[] a, int row0, int row1) {
        for (int u = row0; u < row1; u++) {
            int off = u * cols;
            a[off + 1] = 0f; // Nyquist column dropped (its slot held Im of the real DC column, ~0 by symmetry)
            rowFft.realInverse(a, off, false);
        }
    }
}
