package org.xanestream.ingest.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The bit transpose of the bitshuffle library ("bitshuffle" / "bitunshuffle" of one block), in plain
 * Java on 64-bit words.
 *
 * <p>Layout: a block of {@code n} elements ({@code n} a multiple of 8) of {@code s} bytes is stored as
 * {@code 8·s} bit rows of {@code n/8} bytes each. Row {@code r = 8·j + k} holds bit {@code k} of byte
 * {@code j} of every element: bit {@code i % 8} of row byte {@code i / 8} is that bit of element
 * {@code i}.
 *
 * <p>Kernel: 64 elements at a time. Their bits are {@code 8·s} words of 64 bits (8 bytes of each bit
 * row), and the same bits in element order are again {@code 8·s} words. Between the two layouts the
 * bit address (word index, bit index) is permuted; six delta-swap stages, each exchanging one bit of
 * the word index with one bit of the bit index, perform it. That is 2.25 simple integer operations per
 * output byte for every element size, with no per-bit work. A chunk with fewer than 64 elements (the
 * end of a block whose length is not a multiple of 64) runs the same kernel on zero-padded words.
 *
 * <p>When the module {@code jdk.incubator.vector} is present ({@code --add-modules jdk.incubator.vector})
 * and the CPU has 256-bit vectors, unshuffling runs four chunks at once in {@link BitTransposeVector}
 * (about 3× faster for two-byte pixels); otherwise, and for the chunks left over, in scalar code here.
 * Both produce identical bytes. Vector API code is very slow until C2 has compiled it (the first
 * 8 MiB frame took 4 s instead of 5 ms), so the vector kernel is only used for an element size once
 * {@link VectorWarmUp}, a daemon thread started by the first unshuffle, has seen the compiled vector
 * kernel beat the scalar one; until then (and forever, should it never win) the scalar kernel runs.
 *
 * <p>Thread safe (stateless); allocates nothing: callers pass a scratch {@code long[]} of at least
 * {@link #SCRATCH_LONGS} entries.
 */
final class BitTranspose {
    /** Scratch words a caller must provide: 8 bits × 8 bytes for the largest element, × 4 vector lanes. */
    static final int SCRATCH_LONGS = 256;

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Delta-swap masks: the bits whose bit-index bit {@code pos} is 0. */
    private static final long[] MASKS = {
            0x5555555555555555L, 0x3333333333333333L, 0x0F0F0F0F0F0F0F0FL,
            0x00FF00FF00FF00FFL, 0x0000FFFF0000FFFFL, 0x00000000FFFFFFFFL};

    /** Per log2(elemSize): the six stages as {word-index bit, bit-index bit}, in unshuffle order. */
    private static final int[][][] STAGES = new int[4][][];
    /** Per log2(elemSize): word slot after unshuffle → index of that 64-bit word in element order. */
    private static final int[][] SLOT_TO_WORD = new int[4][];

    static {
        for (int p = 0; p < 4; p++) {
            // Row words: slot bits 0..2 = k (bit in byte), 3..3+p-1 = j (byte in element);
            // bit index: 0..2 = m (element within a group of 8), 3..5 = q (group of 8).
            // Element words: word = (element·s + j) / 8, bit index = 8·((element·s + j) % 8) + k.
            int[][] st = new int[6][];
            int n = 0;
            for (int i = 0; i < 3; i++) {
                st[n++] = new int[]{i, i};            // k_i <-> m_i
            }
            for (int t = 0; t < p; t++) {
                st[n++] = new int[]{3 + t, 3 + t};    // j_t <-> q_t
            }
            for (int u = 0; u < 3 - p; u++) {
                st[n++] = new int[]{u, 3 + p + u};    // m_u (now a slot bit) <-> q_{p+u}
            }
            STAGES[p] = st;
            int words = 8 << p;
            int[] map = new int[words];
            for (int slot = 0; slot < words; slot++) {
                int q = 0;
                int m = 0;
                for (int i = 0; i < 3; i++) {
                    int bit = (slot >>> i) & 1;
                    if (i < 3 - p) {
                        q |= bit << (p + i);
                    } else {
                        m |= bit << i;
                    }
                }
                for (int t = 0; t < p; t++) {
                    q |= ((slot >>> (3 + t)) & 1) << t;
                }
                map[slot] = (q << p) | (m >>> (3 - p));
            }
            SLOT_TO_WORD[p] = map;
        }
    }

    /** Whether the vector kernel is usable in this JVM on this CPU (initialized after the tables it uses). */
    static final boolean VECTOR = vectorAvailable();

    /** Bit p set: the vector kernel is compiled and faster than the scalar one for elements of 2^p bytes. */
    private static volatile int vectorWarm;

    /** Starts the warm-up thread on first use (processes that only compress never start it). */
    private static final class WarmUp {
        static final Thread THREAD = VECTOR ? VectorWarmUp.start() : null;

        /** Does nothing; calling it initializes this class, which starts the thread once. */
        static void ensureStarted() {
        }
    }

    private BitTranspose() {
    }

    private static boolean vectorAvailable() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return BitTransposeVector.hardwareSupported();
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Whether {@link #unshuffle} uses the vector kernel for elements of 2^p bytes now. */
    static boolean vectorInUse(int p) {
        return VECTOR && (vectorWarm & (1 << p)) != 0;
    }

    /** Called by {@link VectorWarmUp}: from now on use the vector kernel for elements of 2^p bytes. */
    static synchronized void markVectorWarm(int p) {
        vectorWarm |= 1 << p;
    }

    /**
     * Waits until the vector warm-up has finished (every element size switched, or given up), for
     * benchmarks that must measure the steady state.
     *
     * @return whether the warm-up thread has ended (trivially true without the vector kernel)
     */
    static boolean awaitVectorWarmUp(long timeoutMs) throws InterruptedException {
        Thread t = WarmUp.THREAD;
        if (t == null) {
            return true;
        }
        t.join(timeoutMs);
        return !t.isAlive();
    }

    /** For a unshuffled chunk of elements of 2^p bytes: the element word that word slot {@code slot} holds. */
    static int slotToWord(int p, int slot) {
        return SLOT_TO_WORD[p][slot];
    }

    /** log2 of a supported element size (1, 2, 4, 8). */
    static int log2ElemSize(int elemSize) {
        switch (elemSize) {
            case 1: return 0;
            case 2: return 1;
            case 4: return 2;
            case 8: return 3;
            default: throw new IllegalArgumentException("element size must be 1, 2, 4 or 8 bytes, got " + elemSize);
        }
    }

    /**
     * Bit-unshuffles one block: bit rows in {@code src} → elements in {@code dst}.
     *
     * @param src     {@code n·elemSize} bitshuffled bytes at {@code srcOff}; not modified
     * @param dst     receives {@code n·elemSize} bytes at {@code dstOff}; modified
     * @param n       elements in the block, a multiple of 8
     * @param scratch at least {@link #SCRATCH_LONGS} words; modified
     */
    static void unshuffle(byte[] src, int srcOff, byte[] dst, int dstOff, int n, int elemSize, long[] scratch) {
        boolean vector = (vectorWarm & (1 << log2ElemSize(elemSize))) != 0;
        if (!vector && VECTOR) {
            WarmUp.ensureStarted();
        }
        unshuffle(src, srcOff, dst, dstOff, n, elemSize, scratch, vector);
    }

    /** {@link #unshuffle} without the vector kernel (for tests and comparisons). */
    static void unshuffleScalar(byte[] src, int srcOff, byte[] dst, int dstOff, int n, int elemSize, long[] scratch) {
        unshuffle(src, srcOff, dst, dstOff, n, elemSize, scratch, false);
    }

    private static void unshuffle(byte[] src, int srcOff, byte[] dst, int dstOff, int n, int elemSize,
                                  long[] scratch, boolean vector) {
        int p = log2ElemSize(elemSize);
        int rowBytes = n >>> 3;
        int fullChunks = n >>> 6;
        int c0 = 0;
        if (vector) {
            int steps = n / BitTransposeVector.ELEMENTS_PER_STEP;
            BitTransposeVector.unshuffle(src, srcOff, rowBytes, dst, dstOff, steps, p, scratch);
            c0 = 4 * steps;
        }
        if (p == 1) {
            for (int c = c0; c < fullChunks; c++) {
                unshuffle16(src, srcOff + 8 * c, rowBytes, dst, dstOff + 128 * c);
            }
        } else if (p == 0) {
            for (int c = c0; c < fullChunks; c++) {
                unshuffle8(src, srcOff + 8 * c, rowBytes, dst, dstOff + 64 * c);
            }
        } else {
            int words = 8 << p;
            int[] map = SLOT_TO_WORD[p];
            for (int c = c0; c < fullChunks; c++) {
                int in = srcOff + 8 * c;
                for (int r = 0; r < words; r++) {
                    scratch[r] = (long) LONG_LE.get(src, in + r * rowBytes);
                }
                runStages(scratch, words, p, false);
                int out = dstOff + c * (words << 3);
                for (int slot = 0; slot < words; slot++) {
                    LONG_LE.set(dst, out + (map[slot] << 3), scratch[slot]);
                }
            }
        }
        int tailBytesPerRow = rowBytes & 7;
        if (tailBytesPerRow != 0) {
            unshuffleTail(src, srcOff + 8 * fullChunks, rowBytes, tailBytesPerRow, dst,
                    dstOff + (fullChunks << (6 + p)), p, scratch);
        }
    }

    /**
     * Bit-shuffles one block: elements in {@code src} → bit rows in {@code dst} (the inverse of
     * {@link #unshuffle}).
     */
    static void shuffle(byte[] src, int srcOff, byte[] dst, int dstOff, int n, int elemSize, long[] scratch) {
        int p = log2ElemSize(elemSize);
        int rowBytes = n >>> 3;
        int fullChunks = n >>> 6;
        int words = 8 << p;
        int[] map = SLOT_TO_WORD[p];
        for (int c = 0; c < fullChunks; c++) {
            int in = srcOff + c * (words << 3);
            for (int slot = 0; slot < words; slot++) {
                scratch[slot] = (long) LONG_LE.get(src, in + (map[slot] << 3));
            }
            runStages(scratch, words, p, true);
            int out = dstOff + 8 * c;
            for (int r = 0; r < words; r++) {
                LONG_LE.set(dst, out + r * rowBytes, scratch[r]);
            }
        }
        int tailBytesPerRow = rowBytes & 7;
        if (tailBytesPerRow != 0) {
            int in = srcOff + (fullChunks << (6 + p));
            int fullWords = tailBytesPerRow << p; // element bytes of the tail / 8
            for (int slot = 0; slot < words; slot++) {
                int w = map[slot];
                scratch[slot] = w < fullWords ? (long) LONG_LE.get(src, in + (w << 3)) : 0L;
            }
            runStages(scratch, words, p, true);
            int out = dstOff + 8 * fullChunks;
            for (int r = 0; r < words; r++) {
                long v = scratch[r];
                int o = out + r * rowBytes;
                for (int b = 0; b < tailBytesPerRow; b++) {
                    dst[o + b] = (byte) (v >>> (8 * b));
                }
            }
        }
    }

    private static void unshuffleTail(byte[] src, int in, int rowBytes, int tailBytesPerRow, byte[] dst, int out,
                                      int p, long[] scratch) {
        int words = 8 << p;
        for (int r = 0; r < words; r++) {
            long v = 0;
            int o = in + r * rowBytes;
            for (int b = 0; b < tailBytesPerRow; b++) {
                v |= (src[o + b] & 0xFFL) << (8 * b);
            }
            scratch[r] = v;
        }
        runStages(scratch, words, p, false);
        int[] map = SLOT_TO_WORD[p];
        int fullWords = tailBytesPerRow << p;
        for (int slot = 0; slot < words; slot++) {
            int w = map[slot];
            if (w < fullWords) {
                LONG_LE.set(dst, out + (w << 3), scratch[slot]);
            }
        }
    }

    private static void runStages(long[] a, int words, int p, boolean reverse) {
        int[][] st = STAGES[p];
        for (int s = 0; s < 6; s++) {
            int[] stage = st[reverse ? 5 - s : s];
            int slotBit = 1 << stage[0];
            int d = 1 << stage[1];
            long mask = MASKS[stage[1]];
            for (int x = 0; x < words; x++) {
                if ((x & slotBit) == 0) {
                    int y = x | slotBit;
                    long ax = a[x];
                    long ay = a[y];
                    long t = ((ax >>> d) ^ ay) & mask;
                    a[y] = ay ^ t;
                    a[x] = ax ^ (t << d);
                }
            }
        }
    }

    /** 64 one-byte elements: 8 row words; stages (0,0) (1,1) (2,2) (0,3) (1,4) (2,5); slot i holds q_i. */
    private static void unshuffle8(byte[] src, int in, int rowBytes, byte[] dst, int out) {
        long a0 = (long) LONG_LE.get(src, in);
        long a1 = (long) LONG_LE.get(src, in + rowBytes);
        long a2 = (long) LONG_LE.get(src, in + 2 * rowBytes);
        long a3 = (long) LONG_LE.get(src, in + 3 * rowBytes);
        long a4 = (long) LONG_LE.get(src, in + 4 * rowBytes);
        long a5 = (long) LONG_LE.get(src, in + 5 * rowBytes);
        long a6 = (long) LONG_LE.get(src, in + 6 * rowBytes);
        long a7 = (long) LONG_LE.get(src, in + 7 * rowBytes);
        long t;
        final long m0 = 0x5555555555555555L;
        final long m1 = 0x3333333333333333L;
        final long m2 = 0x0F0F0F0F0F0F0F0FL;
        final long m3 = 0x00FF00FF00FF00FFL;
        final long m4 = 0x0000FFFF0000FFFFL;
        final long m5 = 0x00000000FFFFFFFFL;
        // (slot bit 0, pos 0)
        t = ((a0 >>> 1) ^ a1) & m0; a1 ^= t; a0 ^= t << 1;
        t = ((a2 >>> 1) ^ a3) & m0; a3 ^= t; a2 ^= t << 1;
        t = ((a4 >>> 1) ^ a5) & m0; a5 ^= t; a4 ^= t << 1;
        t = ((a6 >>> 1) ^ a7) & m0; a7 ^= t; a6 ^= t << 1;
        // (1, 1)
        t = ((a0 >>> 2) ^ a2) & m1; a2 ^= t; a0 ^= t << 2;
        t = ((a1 >>> 2) ^ a3) & m1; a3 ^= t; a1 ^= t << 2;
        t = ((a4 >>> 2) ^ a6) & m1; a6 ^= t; a4 ^= t << 2;
        t = ((a5 >>> 2) ^ a7) & m1; a7 ^= t; a5 ^= t << 2;
        // (2, 2)
        t = ((a0 >>> 4) ^ a4) & m2; a4 ^= t; a0 ^= t << 4;
        t = ((a1 >>> 4) ^ a5) & m2; a5 ^= t; a1 ^= t << 4;
        t = ((a2 >>> 4) ^ a6) & m2; a6 ^= t; a2 ^= t << 4;
        t = ((a3 >>> 4) ^ a7) & m2; a7 ^= t; a3 ^= t << 4;
        // (0, 3)
        t = ((a0 >>> 8) ^ a1) & m3; a1 ^= t; a0 ^= t << 8;
        t = ((a2 >>> 8) ^ a3) & m3; a3 ^= t; a2 ^= t << 8;
        t = ((a4 >>> 8) ^ a5) & m3; a5 ^= t; a4 ^= t << 8;
        t = ((a6 >>> 8) ^ a7) & m3; a7 ^= t; a6 ^= t << 8;
        // (1, 4)
        t = ((a0 >>> 16) ^ a2) & m4; a2 ^= t; a0 ^= t << 16;
        t = ((a1 >>> 16) ^ a3) & m4; a3 ^= t; a1 ^= t << 16;
        t = ((a4 >>> 16) ^ a6) & m4; a6 ^= t; a4 ^= t << 16;
        t = ((a5 >>> 16) ^ a7) & m4; a7 ^= t; a5 ^= t << 16;
        // (2, 5)
        t = ((a0 >>> 32) ^ a4) & m5; a4 ^= t; a0 ^= t << 32;
        t = ((a1 >>> 32) ^ a5) & m5; a5 ^= t; a1 ^= t << 32;
        t = ((a2 >>> 32) ^ a6) & m5; a6 ^= t; a2 ^= t << 32;
        t = ((a3 >>> 32) ^ a7) & m5; a7 ^= t; a3 ^= t << 32;
        LONG_LE.set(dst, out, a0);
        LONG_LE.set(dst, out + 8, a1);
        LONG_LE.set(dst, out + 16, a2);
        LONG_LE.set(dst, out + 24, a3);
        LONG_LE.set(dst, out + 32, a4);
        LONG_LE.set(dst, out + 40, a5);
        LONG_LE.set(dst, out + 48, a6);
        LONG_LE.set(dst, out + 56, a7);
    }

    /**
     * 64 two-byte elements: 16 row words; stages (0,0) (1,1) (2,2) (3,3) (0,4) (1,5); afterwards slot
     * {@code 8·q0 + 4·m2 + 2·q2 + q1} holds element word {@code 2·q + m2}.
     */
    private static void unshuffle16(byte[] src, int in, int rowBytes, byte[] dst, int out) {
        long a0 = (long) LONG_LE.get(src, in);
        long a1 = (long) LONG_LE.get(src, in + rowBytes);
        long a2 = (long) LONG_LE.get(src, in + 2 * rowBytes);
        long a3 = (long) LONG_LE.get(src, in + 3 * rowBytes);
        long a4 = (long) LONG_LE.get(src, in + 4 * rowBytes);
        long a5 = (long) LONG_LE.get(src, in + 5 * rowBytes);
        long a6 = (long) LONG_LE.get(src, in + 6 * rowBytes);
        long a7 = (long) LONG_LE.get(src, in + 7 * rowBytes);
        long a8 = (long) LONG_LE.get(src, in + 8 * rowBytes);
        long a9 = (long) LONG_LE.get(src, in + 9 * rowBytes);
        long a10 = (long) LONG_LE.get(src, in + 10 * rowBytes);
        long a11 = (long) LONG_LE.get(src, in + 11 * rowBytes);
        long a12 = (long) LONG_LE.get(src, in + 12 * rowBytes);
        long a13 = (long) LONG_LE.get(src, in + 13 * rowBytes);
        long a14 = (long) LONG_LE.get(src, in + 14 * rowBytes);
        long a15 = (long) LONG_LE.get(src, in + 15 * rowBytes);
        long t;
        final long m0 = 0x5555555555555555L;
        final long m1 = 0x3333333333333333L;
        final long m2 = 0x0F0F0F0F0F0F0F0FL;
        final long m3 = 0x00FF00FF00FF00FFL;
        final long m4 = 0x0000FFFF0000FFFFL;
        final long m5 = 0x00000000FFFFFFFFL;
        // (slot bit 0, pos 0)
        t = ((a0 >>> 1) ^ a1) & m0; a1 ^= t; a0 ^= t << 1;
        t = ((a2 >>> 1) ^ a3) & m0; a3 ^= t; a2 ^= t << 1;
        t = ((a4 >>> 1) ^ a5) & m0; a5 ^= t; a4 ^= t << 1;
        t = ((a6 >>> 1) ^ a7) & m0; a7 ^= t; a6 ^= t << 1;
        t = ((a8 >>> 1) ^ a9) & m0; a9 ^= t; a8 ^= t << 1;
        t = ((a10 >>> 1) ^ a11) & m0; a11 ^= t; a10 ^= t << 1;
        t = ((a12 >>> 1) ^ a13) & m0; a13 ^= t; a12 ^= t << 1;
        t = ((a14 >>> 1) ^ a15) & m0; a15 ^= t; a14 ^= t << 1;
        // (1, 1)
        t = ((a0 >>> 2) ^ a2) & m1; a2 ^= t; a0 ^= t << 2;
        t = ((a1 >>> 2) ^ a3) & m1; a3 ^= t; a1 ^= t << 2;
        t = ((a4 >>> 2) ^ a6) & m1; a6 ^= t; a4 ^= t << 2;
        t = ((a5 >>> 2) ^ a7) & m1; a7 ^= t; a5 ^= t << 2;
        t = ((a8 >>> 2) ^ a10) & m1; a10 ^= t; a8 ^= t << 2;
        t = ((a9 >>> 2) ^ a11) & m1; a11 ^= t; a9 ^= t << 2;
        t = ((a12 >>> 2) ^ a14) & m1; a14 ^= t; a12 ^= t << 2;
        t = ((a13 >>> 2) ^ a15) & m1; a15 ^= t; a13 ^= t << 2;
        // (2, 2)
        t = ((a0 >>> 4) ^ a4) & m2; a4 ^= t; a0 ^= t << 4;
        t = ((a1 >>> 4) ^ a5) & m2; a5 ^= t; a1 ^= t << 4;
        t = ((a2 >>> 4) ^ a6) & m2; a6 ^= t; a2 ^= t << 4;
        t = ((a3 >>> 4) ^ a7) & m2; a7 ^= t; a3 ^= t << 4;
        t = ((a8 >>> 4) ^ a12) & m2; a12 ^= t; a8 ^= t << 4;
        t = ((a9 >>> 4) ^ a13) & m2; a13 ^= t; a9 ^= t << 4;
        t = ((a10 >>> 4) ^ a14) & m2; a14 ^= t; a10 ^= t << 4;
        t = ((a11 >>> 4) ^ a15) & m2; a15 ^= t; a11 ^= t << 4;
        // (3, 3)
        t = ((a0 >>> 8) ^ a8) & m3; a8 ^= t; a0 ^= t << 8;
        t = ((a1 >>> 8) ^ a9) & m3; a9 ^= t; a1 ^= t << 8;
        t = ((a2 >>> 8) ^ a10) & m3; a10 ^= t; a2 ^= t << 8;
        t = ((a3 >>> 8) ^ a11) & m3; a11 ^= t; a3 ^= t << 8;
        t = ((a4 >>> 8) ^ a12) & m3; a12 ^= t; a4 ^= t << 8;
        t = ((a5 >>> 8) ^ a13) & m3; a13 ^= t; a5 ^= t << 8;
        t = ((a6 >>> 8) ^ a14) & m3; a14 ^= t; a6 ^= t << 8;
        t = ((a7 >>> 8) ^ a15) & m3; a15 ^= t; a7 ^= t << 8;
        // (0, 4)
        t = ((a0 >>> 16) ^ a1) & m4; a1 ^= t; a0 ^= t << 16;
        t = ((a2 >>> 16) ^ a3) & m4; a3 ^= t; a2 ^= t << 16;
        t = ((a4 >>> 16) ^ a5) & m4; a5 ^= t; a4 ^= t << 16;
        t = ((a6 >>> 16) ^ a7) & m4; a7 ^= t; a6 ^= t << 16;
        t = ((a8 >>> 16) ^ a9) & m4; a9 ^= t; a8 ^= t << 16;
        t = ((a10 >>> 16) ^ a11) & m4; a11 ^= t; a10 ^= t << 16;
        t = ((a12 >>> 16) ^ a13) & m4; a13 ^= t; a12 ^= t << 16;
        t = ((a14 >>> 16) ^ a15) & m4; a15 ^= t; a14 ^= t << 16;
        // (1, 5)
        t = ((a0 >>> 32) ^ a2) & m5; a2 ^= t; a0 ^= t << 32;
        t = ((a1 >>> 32) ^ a3) & m5; a3 ^= t; a1 ^= t << 32;
        t = ((a4 >>> 32) ^ a6) & m5; a6 ^= t; a4 ^= t << 32;
        t = ((a5 >>> 32) ^ a7) & m5; a7 ^= t; a5 ^= t << 32;
        t = ((a8 >>> 32) ^ a10) & m5; a10 ^= t; a8 ^= t << 32;
        t = ((a9 >>> 32) ^ a11) & m5; a11 ^= t; a9 ^= t << 32;
        t = ((a12 >>> 32) ^ a14) & m5; a14 ^= t; a12 ^= t << 32;
        t = ((a13 >>> 32) ^ a15) & m5; a15 ^= t; a13 ^= t << 32;
        // slot s = 8·q0 + 4·m2 + 2·q2 + q1 → element word 2·q + m2 (q = 4·q2 + 2·q1 + q0)
        LONG_LE.set(dst, out, a0);
        LONG_LE.set(dst, out + 32, a1);
        LONG_LE.set(dst, out + 64, a2);
        LONG_LE.set(dst, out + 96, a3);
        LONG_LE.set(dst, out + 8, a4);
        LONG_LE.set(dst, out + 40, a5);
        LONG_LE.set(dst, out + 72, a6);
        LONG_LE.set(dst, out + 104, a7);
        LONG_LE.set(dst, out + 16, a8);
        LONG_LE.set(dst, out + 48, a9);
        LONG_LE.set(dst, out + 80, a10);
        LONG_LE.set(dst, out + 112, a11);
        LONG_LE.set(dst, out + 24, a12);
        LONG_LE.set(dst, out + 56, a13);
        LONG_LE.set(dst, out + 88, a14);
        LONG_LE.set(dst, out + 120, a15);
    }
}
