package org.xanestream.ingest.codec;

import java.util.Random;

/**
 * Gets the {@link BitTransposeVector} kernel compiled before the decoders rely on it.
 *
 * <p>Until C2 compiles Vector API code, every vector operation runs as an allocating Java fallback,
 * about a thousand times slower than compiled; a decoder switching to it cold would stall for seconds
 * on its first frames. This daemon thread instead unshuffles a synthetic 8 KiB block over and over with
 * both kernels, one element size after the other (16-bit first), and flips that size to the vector
 * kernel ({@link BitTranspose#markVectorWarm}) once the vector kernel's best time over a window of
 * {@link #WINDOW} calls beats the scalar kernel's best time over the same window. It gives up on a
 * size after {@link #MAX_MILLIS_PER_SIZE} (e.g. C2 disabled, or a CPU where the vector code is not
 * faster), leaving the scalar kernel in use. Typical cost: a few seconds of one core, once per process.
 *
 * <p>Decoding threads keep running the scalar kernel meanwhile; both kernels give identical bytes, so
 * the switch is invisible apart from speed.
 */
final class VectorWarmUp implements Runnable {
    /** Calls per comparison window. */
    static final int WINDOW = 32;
    /** Longest warm-up per element size before giving up on it. */
    static final long MAX_MILLIS_PER_SIZE = 20_000;
    /** Element sizes (log2) in order of importance: 16-bit detectors first, then 32-, 8- and 64-bit. */
    private static final int[] ORDER = {1, 2, 0, 3};
    private static final int BLOCK_BYTES = 8192;

    private VectorWarmUp() {
    }

    static Thread start() {
        Thread t = new Thread(new VectorWarmUp(), "bitshuffle-vector-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
        return t;
    }

    @Override
    public void run() {
        byte[] src = new byte[BLOCK_BYTES];
        new Random(1).nextBytes(src);
        byte[] dst = new byte[BLOCK_BYTES];
        long[] scratch = new long[BitTranspose.SCRATCH_LONGS];
        for (int p : ORDER) {
            warm(p, src, dst, scratch);
        }
    }

    /** Runs windows until the vector kernel wins for elements of 2^p bytes, or the time budget is spent. */
    private static void warm(int p, byte[] src, byte[] dst, long[] scratch) {
        int n = BLOCK_BYTES >> p;
        int steps = n / BitTransposeVector.ELEMENTS_PER_STEP;
        long deadline = System.nanoTime() + MAX_MILLIS_PER_SIZE * 1_000_000L;
        while (System.nanoTime() < deadline) {
            long bestVector = Long.MAX_VALUE;
            long bestScalar = Long.MAX_VALUE;
            for (int i = 0; i < WINDOW; i++) {
                long t0 = System.nanoTime();
                BitTransposeVector.unshuffle(src, 0, n >>> 3, dst, 0, steps, p, scratch);
                long t1 = System.nanoTime();
                BitTranspose.unshuffleScalar(src, 0, dst, 0, n, 1 << p, scratch);
                long t2 = System.nanoTime();
                bestVector = Math.min(bestVector, t1 - t0);
                bestScalar = Math.min(bestScalar, t2 - t1);
            }
            if (bestVector < bestScalar) {
                BitTranspose.markVectorWarm(p);
                return;
            }
        }
    }
}
