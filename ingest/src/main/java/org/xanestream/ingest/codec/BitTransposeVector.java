package org.xanestream.ingest.codec;

import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.LSHR;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.nio.ByteOrder;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link BitTranspose} unshuffle kernel on 256-bit vectors ({@code jdk.incubator.vector}): four
 * 64-element chunks at once, one per 64-bit lane.
 *
 * <p>A row's words of four consecutive chunks are contiguous, so each bit row loads as one vector and
 * the six delta-swap stages run lane-wise, exactly as in the scalar kernel. At the end lane {@code l}
 * of vector {@code slot} holds element word {@code map[slot]} of chunk {@code l}; a 4×4 transpose of
 * 64-bit lanes (two rounds of lane permute + blend) over each group of four consecutive words turns
 * that into one contiguous 32-byte store per chunk.
 *
 * <p>Two-byte elements (the common detector case) keep all 16 vectors in locals. Larger elements have
 * more rows than registers: their stages are split into passes over groups of 8 (or 4) vectors that
 * share all but three (two) slot bits, with the vectors parked in a per-thread {@code long[]} between
 * passes (it stays in L1). Stages over disjoint slot and bit-index bits commute, which is what allows
 * the reordering into passes.
 *
 * <p>Only loaded when the module {@code jdk.incubator.vector} is present and the CPU has 256-bit
 * vectors (see {@link BitTranspose}). Thread safe; allocation-free once compiled (vectors are
 * scalarized by C2).
 */
final class BitTransposeVector {
    /** Scratch words a caller must provide: 4 lanes × 64 slots. */
    static final int SCRATCH_LONGS = 256;
    /** Elements handled per kernel call: four chunks of 64. */
    static final int ELEMENTS_PER_STEP = 256;

    private static final VectorSpecies<Long> S = LongVector.SPECIES_256;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final VectorShuffle<Long> SWAP_ADJACENT = VectorShuffle.fromValues(S, 1, 0, 3, 2);
    private static final VectorShuffle<Long> SWAP_HALVES = VectorShuffle.fromValues(S, 2, 3, 0, 1);
    private static final VectorMask<Long> ODD_LANES = VectorMask.fromValues(S, false, true, false, true);
    private static final VectorMask<Long> HIGH_LANES = VectorMask.fromValues(S, false, false, true, true);

    private static final long M0 = 0x5555555555555555L;
    private static final long M1 = 0x3333333333333333L;
    private static final long M2 = 0x0F0F0F0F0F0F0F0FL;
    private static final long M3 = 0x00FF00FF00FF00FFL;
    private static final long M4 = 0x0000FFFF0000FFFFL;
    private static final long M5 = 0x00000000FFFFFFFFL;
    private static final long[] MASKS = {M0, M1, M2, M3, M4, M5};

    /** Per log2(elemSize) and group g: the slots holding element words 4g, 4g+1, 4g+2, 4g+3. */
    private static final int[][][] GROUP_SLOTS = new int[4][][];

    static {
        for (int p = 0; p < 4; p++) {
            int words = 8 << p;
            int[][] groups = new int[words / 4][4];
            for (int slot = 0; slot < words; slot++) {
                int w = BitTranspose.slotToWord(p, slot);
                groups[w >>> 2][w & 3] = slot;
            }
            GROUP_SLOTS[p] = groups;
        }
    }

    private BitTransposeVector() {
    }

    /** Whether 256-bit long vectors are backed by hardware (otherwise the API would be emulated, slowly). */
    static boolean hardwareSupported() {
        return LongVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    /**
     * Unshuffles {@code steps} × 256 elements starting at chunk 0 of a block.
     *
     * @param src      the block's bit rows at {@code srcOff}, {@code rowBytes} bytes each; not modified
     * @param dst      receives {@code steps · 256 · 2^p} element bytes at {@code dstOff}; modified
     * @param p        log2 of the element size
     * @param scratch  at least {@link #SCRATCH_LONGS} words; modified
     */
    static void unshuffle(byte[] src, int srcOff, int rowBytes, byte[] dst, int dstOff, int steps, int p,
                          long[] scratch) {
        int stepBytes = ELEMENTS_PER_STEP << p;
        for (int c = 0; c < steps; c++) {
            int in = srcOff + 32 * c;
            int out = dstOff + c * stepBytes;
            switch (p) {
                case 0: step8(src, in, rowBytes, dst, out, scratch); break;
                case 1: step16(src, in, rowBytes, dst, out); break;
                case 2: step32(src, in, rowBytes, dst, out, scratch); break;
                default: step64(src, in, rowBytes, dst, out, scratch); break;
            }
        }
    }

    /** One-byte elements: 8 rows; stages (0,0)(1,1)(2,2) then (0,3)(1,4)(2,5). */
    private static void step8(byte[] src, int in, int rowBytes, byte[] dst, int out, long[] a) {
        loadRows(src, in, rowBytes, 8, a);
        group8(a, 0, 1, 0, 1, 2);
        group8(a, 0, 1, 3, 4, 5);
        storeWords(a, 0, dst, out);
    }

    /** Four-byte elements: 32 rows; (3,3)(4,4) across the 8-slot groups, then (0,0)(1,1)(2,2)(0,5) in each. */
    private static void step32(byte[] src, int in, int rowBytes, byte[] dst, int out, long[] a) {
        loadRows(src, in, rowBytes, 32, a);
        for (int x = 0; x < 8; x++) {
            group4(a, x, 8, 3, 4);
        }
        for (int h = 0; h < 4; h++) {
            group8(a, 8 * h, 1, 0, 1, 2);
            group8Bit0(a, 8 * h, 5);
        }
        storeWords(a, 2, dst, out);
    }

    /** Eight-byte elements: 64 rows, a full 64×64 bit transpose per chunk: (3,3)(4,4)(5,5) then (0,0)(1,1)(2,2). */
    private static void step64(byte[] src, int in, int rowBytes, byte[] dst, int out, long[] a) {
        loadRows(src, in, rowBytes, 64, a);
        for (int x = 0; x < 8; x++) {
            group8(a, x, 8, 3, 4, 5);
        }
        for (int h = 0; h < 8; h++) {
            group8(a, 8 * h, 1, 0, 1, 2);
        }
        storeWords(a, 3, dst, out);
    }

    private static void loadRows(byte[] src, int in, int rowBytes, int rows, long[] a) {
        for (int r = 0; r < rows; r++) {
            LongVector.fromByteArray(S, src, in + r * rowBytes, LE).intoArray(a, 4 * r);
        }
    }

    /**
     * Stores the words, each group of four vectors (word w..w+3, lane = chunk) transposed into one
     * 32-byte run per chunk: two rounds of lane permute + blend. (Written out inline here and in
     * {@link #step16}: a helper taking vectors as arguments could be left un-inlined by C2, which would
     * box the vectors.)
     */
    private static void storeWords(long[] a, int p, byte[] dst, int out) {
        int chunkBytes = 64 << p;
        int[][] groups = GROUP_SLOTS[p];
        for (int g = 0; g < groups.length; g++) {
            int[] s = groups[g];
            LongVector w0 = LongVector.fromArray(S, a, 4 * s[0]);
            LongVector w1 = LongVector.fromArray(S, a, 4 * s[1]);
            LongVector w2 = LongVector.fromArray(S, a, 4 * s[2]);
            LongVector w3 = LongVector.fromArray(S, a, 4 * s[3]);
            int off = out + 32 * g;
            LongVector b0;
            LongVector b1;
            LongVector b2;
            LongVector b3;
            b0 = w0.blend(w1.rearrange(SWAP_ADJACENT), ODD_LANES);
            b1 = w0.rearrange(SWAP_ADJACENT).blend(w1, ODD_LANES);
            b2 = w2.blend(w3.rearrange(SWAP_ADJACENT), ODD_LANES);
            b3 = w2.rearrange(SWAP_ADJACENT).blend(w3, ODD_LANES);
            b0.blend(b2.rearrange(SWAP_HALVES), HIGH_LANES).intoByteArray(dst, off, LE);
            b1.blend(b3.rearrange(SWAP_HALVES), HIGH_LANES).intoByteArray(dst, off + chunkBytes, LE);
            b0.rearrange(SWAP_HALVES).blend(b2, HIGH_LANES).intoByteArray(dst, off + 2 * chunkBytes, LE);
            b1.rearrange(SWAP_HALVES).blend(b3, HIGH_LANES).intoByteArray(dst, off + 3 * chunkBytes, LE);
        }
    }

    /**
     * Three stages on the 8 slots {@code base + stride·i}: bit 0 of {@code i} with bit-index bit
     * {@code p0}, then bit 1 with {@code p1}, then bit 2 with {@code p2}.
     */
    private static void group8(long[] a, int base, int stride, int p0, int p1, int p2) {
        int o = 4 * base;
        int st = 4 * stride;
        LongVector v0 = LongVector.fromArray(S, a, o);
        LongVector v1 = LongVector.fromArray(S, a, o + st);
        LongVector v2 = LongVector.fromArray(S, a, o + 2 * st);
        LongVector v3 = LongVector.fromArray(S, a, o + 3 * st);
        LongVector v4 = LongVector.fromArray(S, a, o + 4 * st);
        LongVector v5 = LongVector.fromArray(S, a, o + 5 * st);
        LongVector v6 = LongVector.fromArray(S, a, o + 6 * st);
        LongVector v7 = LongVector.fromArray(S, a, o + 7 * st);
        LongVector t;
        int d = 1 << p0;
        long m = MASKS[p0];
        t = v0.lanewise(LSHR, d).lanewise(XOR, v1).and(m);
        v1 = v1.lanewise(XOR, t); v0 = v0.lanewise(XOR, t.lanewise(LSHL, d));
        t = v2.lanewise(LSHR, d).lanewise(XOR, v3).and(m);
        v3 = v3.lanewise(XOR, t); v2 = v2.lanewise(XOR, t.lanewise(LSHL, d));
        t = v4.lanewise(LSHR, d).lanewise(XOR, v5).and(m);
        v5 = v5.lanewise(XOR, t); v4 = v4.lanewise(XOR, t.lanewise(LSHL, d));
        t = v6.lanewise(LSHR, d).lanewise(XOR, v7).and(m);
        v7 = v7.lanewise(XOR, t); v6 = v6.lanewise(XOR, t.lanewise(LSHL, d));
        d = 1 << p1;
        m = MASKS[p1];
        t = v0.lanewise(LSHR, d).lanewise(XOR, v2).and(m);
        v2 = v2.lanewise(XOR, t); v0 = v0.lanewise(XOR, t.lanewise(LSHL, d));
        t = v1.lanewise(LSHR, d).lanewise(XOR, v3).and(m);
        v3 = v3.lanewise(XOR, t); v1 = v1.lanewise(XOR, t.lanewise(LSHL, d));
        t = v4.lanewise(LSHR, d).lanewise(XOR, v6).and(m);
        v6 = v6.lanewise(XOR, t); v4 = v4.lanewise(XOR, t.lanewise(LSHL, d));
        t = v5.lanewise(LSHR, d).lanewise(XOR, v7).and(m);
        v7 = v7.lanewise(XOR, t); v5 = v5.lanewise(XOR, t.lanewise(LSHL, d));
        d = 1 << p2;
        m = MASKS[p2];
        t = v0.lanewise(LSHR, d).lanewise(XOR, v4).and(m);
        v4 = v4.lanewise(XOR, t); v0 = v0.lanewise(XOR, t.lanewise(LSHL, d));
        t = v1.lanewise(LSHR, d).lanewise(XOR, v5).and(m);
        v5 = v5.lanewise(XOR, t); v1 = v1.lanewise(XOR, t.lanewise(LSHL, d));
        t = v2.lanewise(LSHR, d).lanewise(XOR, v6).and(m);
        v6 = v6.lanewise(XOR, t); v2 = v2.lanewise(XOR, t.lanewise(LSHL, d));
        t = v3.lanewise(LSHR, d).lanewise(XOR, v7).and(m);
        v7 = v7.lanewise(XOR, t); v3 = v3.lanewise(XOR, t.lanewise(LSHL, d));
        v0.intoArray(a, o);
        v1.intoArray(a, o + st);
        v2.intoArray(a, o + 2 * st);
        v3.intoArray(a, o + 3 * st);
        v4.intoArray(a, o + 4 * st);
        v5.intoArray(a, o + 5 * st);
        v6.intoArray(a, o + 6 * st);
        v7.intoArray(a, o + 7 * st);
    }

    /** Two stages on the 4 slots {@code base + stride·i}: bit 0 of {@code i} with {@code p0}, bit 1 with {@code p1}. */
    private static void group4(long[] a, int base, int stride, int p0, int p1) {
        int o = 4 * base;
        int st = 4 * stride;
        LongVector v0 = LongVector.fromArray(S, a, o);
        LongVector v1 = LongVector.fromArray(S, a, o + st);
        LongVector v2 = LongVector.fromArray(S, a, o + 2 * st);
        LongVector v3 = LongVector.fromArray(S, a, o + 3 * st);
        LongVector t;
        int d = 1 << p0;
        long m = MASKS[p0];
        t = v0.lanewise(LSHR, d).lanewise(XOR, v1).and(m);
        v1 = v1.lanewise(XOR, t); v0 = v0.lanewise(XOR, t.lanewise(LSHL, d));
        t = v2.lanewise(LSHR, d).lanewise(XOR, v3).and(m);
        v3 = v3.lanewise(XOR, t); v2 = v2.lanewise(XOR, t.lanewise(LSHL, d));
        d = 1 << p1;
        m = MASKS[p1];
        t = v0.lanewise(LSHR, d).lanewise(XOR, v2).and(m);
        v2 = v2.lanewise(XOR, t); v0 = v0.lanewise(XOR, t.lanewise(LSHL, d));
        t = v1.lanewise(LSHR, d).lanewise(XOR, v3).and(m);
        v3 = v3.lanewise(XOR, t); v1 = v1.lanewise(XOR, t.lanewise(LSHL, d));
        v0.intoArray(a, o);
        v1.intoArray(a, o + st);
        v2.intoArray(a, o + 2 * st);
        v3.intoArray(a, o + 3 * st);
    }

    /** One stage on the 8 consecutive slots from {@code base}: slot bit 0 with bit-index bit {@code pos}. */
    private static void group8Bit0(long[] a, int base, int pos) {
        int d = 1 << pos;
        long m = MASKS[pos];
        for (int x = 0; x < 8; x += 2) {
            int ox = 4 * (base + x);
            LongVector vx = LongVector.fromArray(S, a, ox);
            LongVector vy = LongVector.fromArray(S, a, ox + 4);
            LongVector t = vx.lanewise(LSHR, d).lanewise(XOR, vy).and(m);
            vy.lanewise(XOR, t).intoArray(a, ox + 4);
            vx.lanewise(XOR, t.lanewise(LSHL, d)).intoArray(a, ox);
        }
    }

    /**
     * Two-byte elements: all 16 row vectors stay in locals; stages (0,0)(1,1)(2,2)(3,3)(0,4)(1,5). Slot
     * {@code 8·q0 + 4·m2 + 2·q2 + q1} ends holding element word {@code 2·q + m2}.
     */
    private static void step16(byte[] src, int in, int rowBytes, byte[] dst, int out) {
        LongVector a0 = LongVector.fromByteArray(S, src, in, LE);
        LongVector a1 = LongVector.fromByteArray(S, src, in + 1 * rowBytes, LE);
        LongVector a2 = LongVector.fromByteArray(S, src, in + 2 * rowBytes, LE);
        LongVector a3 = LongVector.fromByteArray(S, src, in + 3 * rowBytes, LE);
        LongVector a4 = LongVector.fromByteArray(S, src, in + 4 * rowBytes, LE);
        LongVector a5 = LongVector.fromByteArray(S, src, in + 5 * rowBytes, LE);
        LongVector a6 = LongVector.fromByteArray(S, src, in + 6 * rowBytes, LE);
        LongVector a7 = LongVector.fromByteArray(S, src, in + 7 * rowBytes, LE);
        LongVector a8 = LongVector.fromByteArray(S, src, in + 8 * rowBytes, LE);
        LongVector a9 = LongVector.fromByteArray(S, src, in + 9 * rowBytes, LE);
        LongVector a10 = LongVector.fromByteArray(S, src, in + 10 * rowBytes, LE);
        LongVector a11 = LongVector.fromByteArray(S, src, in + 11 * rowBytes, LE);
        LongVector a12 = LongVector.fromByteArray(S, src, in + 12 * rowBytes, LE);
        LongVector a13 = LongVector.fromByteArray(S, src, in + 13 * rowBytes, LE);
        LongVector a14 = LongVector.fromByteArray(S, src, in + 14 * rowBytes, LE);
        LongVector a15 = LongVector.fromByteArray(S, src, in + 15 * rowBytes, LE);
        LongVector t;
        // (slot bit 0, bit-index bit 0)
        t = a0.lanewise(LSHR, 1).lanewise(XOR, a1).and(M0);
        a1 = a1.lanewise(XOR, t); a0 = a0.lanewise(XOR, t.lanewise(LSHL, 1));
        t = a2.lanewise(LSHR, 1).lanewise(XOR, a3).and(M0);
        a3 = a3.lanewise(XOR, t); a2 = a2.lanewise(XOR, t.lanewise(LSHL, 1));
        t = a4.lanewise(LSHR, 1).lanewise(XOR, a5).and(M0);
        a5 = a5.lanewise(XOR, t); a4 = a4.lanewise(XOR, t.lanewise(LSHL, 1));
        t = a6.lanewise(LSHR, 1).lanewise(XOR, a7).and(M0);
        a7 = a7.lanewise(XOR, t); a6 = a6.lanewise(XOR, t.lanewise(LSHL, 1));
        t = a8.lanewise(LSHR, 1).lanewise(XOR, a9).and(M0);
        a9 = a9.lanewise(XOR, t); a8 = a8.lanewise(XOR, t.lanewise(LSHL, 1));
        t = a10.lanewise(LSHR, 1).lanewise(XOR, a11).and(M0);
        a11 = a11.lanewise(XOR, t); a10 = a10.lanewise(XOR, t.lanewise(LSHL, 1));
        t = a12.lanewise(LSHR, 1).lanewise(XOR, a13).and(M0);
        a13 = a13.lanewise(XOR, t); a12 = a12.lanewise(XOR, t.lanewise(LSHL, 1));
        t = a14.lanewise(LSHR, 1).lanewise(XOR, a15).and(M0);
        a15 = a15.lanewise(XOR, t); a14 = a14.lanewise(XOR, t.lanewise(LSHL, 1));
        // (slot bit 1, bit-index bit 1)
        t = a0.lanewise(LSHR, 2).lanewise(XOR, a2).and(M1);
        a2 = a2.lanewise(XOR, t); a0 = a0.lanewise(XOR, t.lanewise(LSHL, 2));
        t = a1.lanewise(LSHR, 2).lanewise(XOR, a3).and(M1);
        a3 = a3.lanewise(XOR, t); a1 = a1.lanewise(XOR, t.lanewise(LSHL, 2));
        t = a4.lanewise(LSHR, 2).lanewise(XOR, a6).and(M1);
        a6 = a6.lanewise(XOR, t); a4 = a4.lanewise(XOR, t.lanewise(LSHL, 2));
        t = a5.lanewise(LSHR, 2).lanewise(XOR, a7).and(M1);
        a7 = a7.lanewise(XOR, t); a5 = a5.lanewise(XOR, t.lanewise(LSHL, 2));
        t = a8.lanewise(LSHR, 2).lanewise(XOR, a10).and(M1);
        a10 = a10.lanewise(XOR, t); a8 = a8.lanewise(XOR, t.lanewise(LSHL, 2));
        t = a9.lanewise(LSHR, 2).lanewise(XOR, a11).and(M1);
        a11 = a11.lanewise(XOR, t); a9 = a9.lanewise(XOR, t.lanewise(LSHL, 2));
        t = a12.lanewise(LSHR, 2).lanewise(XOR, a14).and(M1);
        a14 = a14.lanewise(XOR, t); a12 = a12.lanewise(XOR, t.lanewise(LSHL, 2));
        t = a13.lanewise(LSHR, 2).lanewise(XOR, a15).and(M1);
        a15 = a15.lanewise(XOR, t); a13 = a13.lanewise(XOR, t.lanewise(LSHL, 2));
        // (slot bit 2, bit-index bit 2)
        t = a0.lanewise(LSHR, 4).lanewise(XOR, a4).and(M2);
        a4 = a4.lanewise(XOR, t); a0 = a0.lanewise(XOR, t.lanewise(LSHL, 4));
        t = a1.lanewise(LSHR, 4).lanewise(XOR, a5).and(M2);
        a5 = a5.lanewise(XOR, t); a1 = a1.lanewise(XOR, t.lanewise(LSHL, 4));
        t = a2.lanewise(LSHR, 4).lanewise(XOR, a6).and(M2);
        a6 = a6.lanewise(XOR, t); a2 = a2.lanewise(XOR, t.lanewise(LSHL, 4));
        t = a3.lanewise(LSHR, 4).lanewise(XOR, a7).and(M2);
        a7 = a7.lanewise(XOR, t); a3 = a3.lanewise(XOR, t.lanewise(LSHL, 4));
        t = a8.lanewise(LSHR, 4).lanewise(XOR, a12).and(M2);
        a12 = a12.lanewise(XOR, t); a8 = a8.lanewise(XOR, t.lanewise(LSHL, 4));
        t = a9.lanewise(LSHR, 4).lanewise(XOR, a13).and(M2);
        a13 = a13.lanewise(XOR, t); a9 = a9.lanewise(XOR, t.lanewise(LSHL, 4));
        t = a10.lanewise(LSHR, 4).lanewise(XOR, a14).and(M2);
        a14 = a14.lanewise(XOR, t); a10 = a10.lanewise(XOR, t.lanewise(LSHL, 4));
        t = a11.lanewise(LSHR, 4).lanewise(XOR, a15).and(M2);
        a15 = a15.lanewise(XOR, t); a11 = a11.lanewise(XOR, t.lanewise(LSHL, 4));
        // (slot bit 3, bit-index bit 3)
        t = a0.lanewise(LSHR, 8).lanewise(XOR, a8).and(M3);
        a8 = a8.lanewise(XOR, t); a0 = a0.lanewise(XOR, t.lanewise(LSHL, 8));
        t = a1.lanewise(LSHR, 8).lanewise(XOR, a9).and(M3);
        a9 = a9.lanewise(XOR, t); a1 = a1.lanewise(XOR, t.lanewise(LSHL, 8));
        t = a2.lanewise(LSHR, 8).lanewise(XOR, a10).and(M3);
        a10 = a10.lanewise(XOR, t); a2 = a2.lanewise(XOR, t.lanewise(LSHL, 8));
        t = a3.lanewise(LSHR, 8).lanewise(XOR, a11).and(M3);
        a11 = a11.lanewise(XOR, t); a3 = a3.lanewise(XOR, t.lanewise(LSHL, 8));
        t = a4.lanewise(LSHR, 8).lanewise(XOR, a12).and(M3);
        a12 = a12.lanewise(XOR, t); a4 = a4.lanewise(XOR, t.lanewise(LSHL, 8));
        t = a5.lanewise(LSHR, 8).lanewise(XOR, a13).and(M3);
        a13 = a13.lanewise(XOR, t); a5 = a5.lanewise(XOR, t.lanewise(LSHL, 8));
        t = a6.lanewise(LSHR, 8).lanewise(XOR, a14).and(M3);
        a14 = a14.lanewise(XOR, t); a6 = a6.lanewise(XOR, t.lanewise(LSHL, 8));
        t = a7.lanewise(LSHR, 8).lanewise(XOR, a15).and(M3);
        a15 = a15.lanewise(XOR, t); a7 = a7.lanewise(XOR, t.lanewise(LSHL, 8));
        // (slot bit 0, bit-index bit 4)
        t = a0.lanewise(LSHR, 16).lanewise(XOR, a1).and(M4);
        a1 = a1.lanewise(XOR, t); a0 = a0.lanewise(XOR, t.lanewise(LSHL, 16));
        t = a2.lanewise(LSHR, 16).lanewise(XOR, a3).and(M4);
        a3 = a3.lanewise(XOR, t); a2 = a2.lanewise(XOR, t.lanewise(LSHL, 16));
        t = a4.lanewise(LSHR, 16).lanewise(XOR, a5).and(M4);
        a5 = a5.lanewise(XOR, t); a4 = a4.lanewise(XOR, t.lanewise(LSHL, 16));
        t = a6.lanewise(LSHR, 16).lanewise(XOR, a7).and(M4);
        a7 = a7.lanewise(XOR, t); a6 = a6.lanewise(XOR, t.lanewise(LSHL, 16));
        t = a8.lanewise(LSHR, 16).lanewise(XOR, a9).and(M4);
        a9 = a9.lanewise(XOR, t); a8 = a8.lanewise(XOR, t.lanewise(LSHL, 16));
        t = a10.lanewise(LSHR, 16).lanewise(XOR, a11).and(M4);
        a11 = a11.lanewise(XOR, t); a10 = a10.lanewise(XOR, t.lanewise(LSHL, 16));
        t = a12.lanewise(LSHR, 16).lanewise(XOR, a13).and(M4);
        a13 = a13.lanewise(XOR, t); a12 = a12.lanewise(XOR, t.lanewise(LSHL, 16));
        t = a14.lanewise(LSHR, 16).lanewise(XOR, a15).and(M4);
        a15 = a15.lanewise(XOR, t); a14 = a14.lanewise(XOR, t.lanewise(LSHL, 16));
        // (slot bit 1, bit-index bit 5)
        t = a0.lanewise(LSHR, 32).lanewise(XOR, a2).and(M5);
        a2 = a2.lanewise(XOR, t); a0 = a0.lanewise(XOR, t.lanewise(LSHL, 32));
        t = a1.lanewise(LSHR, 32).lanewise(XOR, a3).and(M5);
        a3 = a3.lanewise(XOR, t); a1 = a1.lanewise(XOR, t.lanewise(LSHL, 32));
        t = a4.lanewise(LSHR, 32).lanewise(XOR, a6).and(M5);
        a6 = a6.lanewise(XOR, t); a4 = a4.lanewise(XOR, t.lanewise(LSHL, 32));
        t = a5.lanewise(LSHR, 32).lanewise(XOR, a7).and(M5);
        a7 = a7.lanewise(XOR, t); a5 = a5.lanewise(XOR, t.lanewise(LSHL, 32));
        t = a8.lanewise(LSHR, 32).lanewise(XOR, a10).and(M5);
        a10 = a10.lanewise(XOR, t); a8 = a8.lanewise(XOR, t.lanewise(LSHL, 32));
        t = a9.lanewise(LSHR, 32).lanewise(XOR, a11).and(M5);
        a11 = a11.lanewise(XOR, t); a9 = a9.lanewise(XOR, t.lanewise(LSHL, 32));
        t = a12.lanewise(LSHR, 32).lanewise(XOR, a14).and(M5);
        a14 = a14.lanewise(XOR, t); a12 = a12.lanewise(XOR, t.lanewise(LSHL, 32));
        t = a13.lanewise(LSHR, 32).lanewise(XOR, a15).and(M5);
        a15 = a15.lanewise(XOR, t); a13 = a13.lanewise(XOR, t.lanewise(LSHL, 32));
        // words 4g..4g+3 sit in slots g, g+4, g+8, g+12; chunks are 128 bytes apart
        LongVector b0;
        LongVector b1;
        LongVector b2;
        LongVector b3;
        b0 = a0.blend(a4.rearrange(SWAP_ADJACENT), ODD_LANES);
        b1 = a0.rearrange(SWAP_ADJACENT).blend(a4, ODD_LANES);
        b2 = a8.blend(a12.rearrange(SWAP_ADJACENT), ODD_LANES);
        b3 = a8.rearrange(SWAP_ADJACENT).blend(a12, ODD_LANES);
        b0.blend(b2.rearrange(SWAP_HALVES), HIGH_LANES).intoByteArray(dst, out, LE);
        b1.blend(b3.rearrange(SWAP_HALVES), HIGH_LANES).intoByteArray(dst, out + 128, LE);
        b0.rearrange(SWAP_HALVES).blend(b2, HIGH_LANES).intoByteArray(dst, out + 2 * 128, LE);
        b1.rearrange(SWAP_HALVES).blend(b3, HIGH_LANES).intoByteArray(dst, out + 3 * 128, LE);
        b0 = a1.blend(a5.rearrange(SWAP_ADJACENT), ODD_LANES);
        b1 = a1.rearrange(SWAP_ADJACENT).blend(a5, ODD_LANES);
        b2 = a9.blend(a13.rearrange(SWAP_ADJACENT), ODD_LANES);
        b3 = a9.rearrange(SWAP_ADJACENT).blend(a13, ODD_LANES);
        b0.blend(b2.rearrange(SWAP_HALVES), HIGH_LANES).intoByteArray(dst, out + 32, LE);
        b1.blend(b3.rearrange(SWAP_HALVES), HIGH_LANES).intoByteArray(dst, out + 32 + 128, LE);
        b0.rearrange(SWAP_HALVES).blend(b2, HIGH_LANES).intoByteArray(dst, out + 32 + 2 * 128, LE);
        b1.rearrange(SWAP_HALVES).blend(b3, HIGH_LANES).intoByteArray(dst, out + 32 + 3 * 128, LE);
        b0 = a2.blend(a6.rearrange(SWAP_ADJACENT), ODD_LANES);
        b1 = a2.rearrange(SWAP_ADJACENT).blend(a6, ODD_LANES);
        b2 = a10.blend(a14.rearrange(SWAP_ADJACENT), ODD_LANES);
        b3 = a10.rearrange(SWAP_ADJACENT).blend(a14, ODD_LANES);
        b0.blend(b2.rearrange(SWAP_HALVES), HIGH_LANES).intoByteArray(dst, out + 64, LE);
        b1.blend(b3.rearrange(SWAP_HALVES), HIGH_LANES).intoByteArray(dst, out + 64 + 128, LE);
        b0.rearrange(SWAP_HALVES).blend(b2, HIGH_LANES).intoByteArray(dst, out + 64 + 2 * 128, LE);
        b1.rearrange(SWAP_HALVES).blend(b3, HIGH_LANES).intoByteArray(dst, out + 64 + 3 * 128, LE);
        b0 = a3.blend(a7.rearrange(SWAP_ADJACENT), ODD_LANES);
        b1 = a3.rearrange(SWAP_ADJACENT).blend(a7, ODD_LANES);
        b2 = a11.blend(a15.rearrange(SWAP_ADJACENT), ODD_LANES);
        b3 = a11.rearrange(SWAP_ADJACENT).blend(a15, ODD_LANES);
        b0.blend(b2.rearrange(SWAP_HALVES), HIGH_LANES).intoByteArray(dst, out + 96, LE);
        b1.blend(b3.rearrange(SWAP_HALVES), HIGH_LANES).intoByteArray(dst, out + 96 + 128, LE);
        b0.rearrange(SWAP_HALVES).blend(b2, HIGH_LANES).intoByteArray(dst, out + 96 + 2 * 128, LE);
        b1.rearrange(SWAP_HALVES).blend(b3, HIGH_LANES).intoByteArray(dst, out + 96 + 3 * 128, LE);
    }
}
