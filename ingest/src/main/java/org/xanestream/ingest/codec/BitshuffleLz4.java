package org.xanestream.ingest.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Bitshuffle + LZ4 as used by the bitshuffle library, HDF5 filter 32008, DECTRIS {@code bs<N>-lz4<} and
 * areaDetector {@code bslz4}.
 *
 * <p>Stream layout: optional 12-byte big-endian header (u64 uncompressed bytes, u32 block size in
 * <em>bytes</em>), then per block a u32 big-endian compressed length and an LZ4 block whose
 * decompressed bytes are bit-transposed ("bitshuffled") within the block. Blocks hold
 * {@code blockElements} elements except the last full-multiple-of-8 remainder; the trailing
 * {@code n % 8} elements are stored raw, uncompressed, after the last block.
 *
 * <p>Decoding is strict: every length is checked against the bytes actually present before it is
 * used, every block must decompress to exactly its size, and bytes left over after the raw tail are an
 * error. Corrupt input raises {@link CodecException}; nothing is read outside {@code [position, limit)}
 * of the source and nothing is written outside the destination range. Multi-byte fields are read
 * big-endian whatever the buffers' byte order.
 *
 * <p>Speed: each block is decompressed into a small scratch array (it stays in the L1/L2 cache) and
 * bit-transposed from there straight into the destination array; see {@link BitTranspose}.
 *
 * <p>Thread safe if each thread uses its own scratch; the static methods allocate nothing per call
 * beyond a thread-local scratch buffer that is reused (it grows once to the largest block seen).
 */
public final class BitshuffleLz4 {
    /** Size of the optional header. */
    public static final int HEADER_BYTES = 12;

    /** Block size bitshuffle aims at, in bytes. */
    private static final int TARGET_BLOCK_BYTES = 8192;
    /** Block sizes are multiples of this many elements. */
    private static final int BLOCK_MULTIPLE = 8;
    /** Smallest default block, in elements. */
    private static final int MIN_DEFAULT_BLOCK = 128;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private BitshuffleLz4() {
    }

    /**
     * Waits until the bit transpose has finished warming up its vector kernel (see {@link BitTranspose}):
     * for benchmarks, and for services that want full speed from the first frame. Decoding is correct
     * (only slower) before.
     *
     * @return whether the warm-up is over within {@code timeoutMs}
     */
    public static boolean awaitWarmUp(long timeoutMs) throws InterruptedException {
        return BitTranspose.awaitVectorWarmUp(timeoutMs);
    }

    /** Whether decoding of {@code elemSize}-byte elements currently uses the vector kernel. */
    public static boolean vectorKernelInUse(int elemSize) {
        return BitTranspose.vectorInUse(BitTranspose.log2ElemSize(elemSize));
    }

    /** The block size in elements bitshuffle picks by default: 8192 bytes / elemSize, a multiple of 8. */
    public static int defaultBlockElements(int elemSize) {
        if (elemSize <= 0) {
            throw new IllegalArgumentException("element size must be > 0, got " + elemSize);
        }
        int elements = TARGET_BLOCK_BYTES / elemSize / BLOCK_MULTIPLE * BLOCK_MULTIPLE;
        return Math.max(elements, MIN_DEFAULT_BLOCK);
    }

    /**
     * Decompresses a stream <em>with</em> the 12-byte header.
     *
     * @param src       the compressed bytes {@code [position, limit)}; not modified
     * @param dst       receives {@code expectedBytes} bytes at {@code dstOffset}; other bytes not modified
     * @param elemSize  element size in bytes (1, 2, 4 or 8)
     * @throws CodecException on corrupt data, or if the header's size differs from {@code expectedBytes}
     * @throws IllegalArgumentException if {@code elemSize} is unsupported, {@code expectedBytes} is not a
     *                                  whole number of elements or does not fit {@code dst} before its limit
     */
    public static void decompressWithHeader(ByteBuffer src, ByteBuffer dst, int dstOffset, long expectedBytes,
                                            int elemSize) throws CodecException {
        BitTranspose.log2ElemSize(elemSize);
        checkDestination(dst, dstOffset, expectedBytes, elemSize);
        int pos = src.position();
        int end = src.limit();
        if (end - pos < HEADER_BYTES) {
            throw new CodecException("bitshuffle-LZ4 stream of " + (end - pos) + " bytes is shorter than its "
                    + HEADER_BYTES + "-byte header");
        }
        long totalBytes = readLongBE(src, pos);
        if (totalBytes != expectedBytes) {
            throw new CodecException("bitshuffle-LZ4 header declares " + Long.toUnsignedString(totalBytes)
                    + " uncompressed bytes, expected " + expectedBytes);
        }
        long blockBytes = readIntBE(src, pos + 8) & 0xFFFFFFFFL;
        if (blockBytes == 0 || blockBytes % elemSize != 0 || (blockBytes / elemSize) % BLOCK_MULTIPLE != 0) {
            throw new CodecException("bitshuffle-LZ4 header declares a block of " + blockBytes + " bytes, expected a"
                    + " positive multiple of " + BLOCK_MULTIPLE + " elements of " + elemSize + " bytes");
        }
        int n = (int) (expectedBytes / elemSize);
        decode(src, pos + HEADER_BYTES, end, dst, dstOffset, n, elemSize, effectiveBlock(blockBytes / elemSize, n));
    }

    /**
     * Decompresses a stream <em>without</em> the header (areaDetector {@code bslz4}); the block size
     * is {@code blockElements} (use {@link #defaultBlockElements} when the sender does not say).
     *
     * @throws CodecException on corrupt data or a stream that does not decode to exactly {@code expectedBytes}
     * @throws IllegalArgumentException if {@code elemSize} is unsupported, {@code blockElements} is not a
     *                                  positive multiple of 8, or the destination range is invalid
     */
    public static void decompressNoHeader(ByteBuffer src, ByteBuffer dst, int dstOffset, int expectedBytes,
                                          int elemSize, int blockElements) throws CodecException {
        BitTranspose.log2ElemSize(elemSize);
        checkBlockElements(blockElements);
        checkDestination(dst, dstOffset, expectedBytes, elemSize);
        int n = expectedBytes / elemSize;
        decode(src, src.position(), src.limit(), dst, dstOffset, n, elemSize, effectiveBlock(blockElements, n));
    }

    /**
     * Upper bound of the compressed size, header included.
     *
     * @throws IllegalArgumentException if the bound does not fit an {@code int}, or on invalid arguments
     */
    public static int maxCompressedLength(int bytes, int elemSize, int blockElements) {
        BitTranspose.log2ElemSize(elemSize);
        checkBlockElements(blockElements);
        if (bytes < 0 || bytes % elemSize != 0) {
            throw new IllegalArgumentException("byte count must be a non-negative multiple of the element size "
                    + elemSize + ", got " + bytes);
        }
        int n = bytes / elemSize;
        int block = effectiveBlock(blockElements, n);
        int fullBlocks = n / block;
        int last = (n % block) & ~(BLOCK_MULTIPLE - 1);
        long total = HEADER_BYTES;
        total += fullBlocks * (4L + Lz4Block.maxCompressedLength(block * elemSize));
        if (last > 0) {
            total += 4L + Lz4Block.maxCompressedLength(last * elemSize);
        }
        total += (long) (n % BLOCK_MULTIPLE) * elemSize;
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("compressed bound of " + bytes + " bytes exceeds 2 GiB");
        }
        return (int) total;
    }

    /**
     * Compresses {@code src[position, limit)} (a whole number of elements). Positions and limits are
     * not modified.
     *
     * @param withHeader whether to write the 12-byte header first
     * @return bytes written at {@code dst[dstOffset]}
     * @throws IllegalArgumentException on invalid arguments, or if {@code dst} has less room before its
     *                                  limit than {@link #maxCompressedLength} (minus the header if none)
     */
    public static int compress(ByteBuffer src, ByteBuffer dst, int dstOffset, int elemSize, int blockElements,
                               boolean withHeader) {
        int bytes = src.remaining();
        int bound = maxCompressedLength(bytes, elemSize, blockElements) - (withHeader ? 0 : HEADER_BYTES);
        if (dstOffset < 0 || dst.limit() - dstOffset < bound) {
            throw new IllegalArgumentException("destination has " + (dst.limit() - dstOffset) + " bytes of room at"
                    + " offset " + dstOffset + ", bitshuffle-LZ4 needs up to " + bound + " for " + bytes + " bytes");
        }
        if (withHeader && (long) blockElements * elemSize > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("block of " + blockElements + " elements does not fit the header");
        }
        int n = bytes / elemSize;
        int block = effectiveBlock(blockElements, n);
        Scratch s = SCRATCH.get();
        s.ensure(block * elemSize);
        boolean srcArray = src.hasArray();
        byte[] in = srcArray ? src.array() : s.elements;
        int inBase = srcArray ? src.arrayOffset() + src.position() : 0;
        int pos = dstOffset;
        if (withHeader) {
            writeBE(dst, pos, bytes, 8);
            writeBE(dst, pos + 8, (long) blockElements * elemSize, 4);
            pos += HEADER_BYTES;
        }
        int fullBlocks = n / block;
        int last = (n % block) & ~(BLOCK_MULTIPLE - 1);
        int done = 0;
        for (int b = 0, blocks = fullBlocks + (last > 0 ? 1 : 0); b < blocks; b++) {
            int m = b < fullBlocks ? block : last;
            int len = m * elemSize;
            int inOff = inBase + done * elemSize;
            if (!srcArray) {
                src.get(src.position() + done * elemSize, s.elements, 0, len);
                inOff = 0;
            }
            BitTranspose.shuffle(in, inOff, s.block, 0, m, elemSize, s.words);
            int c = Lz4Block.compress(s.blockView, 0, len, dst, pos + 4);
            writeBE(dst, pos, c, 4);
            pos += 4 + c;
            done += m;
        }
        int tail = (n - done) * elemSize;
        dst.put(pos, src, src.position() + done * elemSize, tail);
        pos += tail;
        return pos - dstOffset;
    }

    /** Blocks, then the raw tail; requires that the stream ends exactly there. */
    private static void decode(ByteBuffer src, int pos, int end, ByteBuffer dst, int dstOffset, int n, int elemSize,
                               int block) throws CodecException {
        Scratch s = SCRATCH.get();
        s.ensure(block * elemSize);
        boolean dstArray = dst.hasArray() && !dst.isReadOnly();
        byte[] out = dstArray ? dst.array() : s.elements;
        int outBase = dstArray ? dst.arrayOffset() + dstOffset : 0;
        int fullBlocks = n / block;
        int last = (n % block) & ~(BLOCK_MULTIPLE - 1);
        int done = 0;
        for (int b = 0, blocks = fullBlocks + (last > 0 ? 1 : 0); b < blocks; b++) {
            int m = b < fullBlocks ? block : last;
            int len = m * elemSize;
            if (end - pos < 4) {
                throw new CodecException("bitshuffle-LZ4 stream truncated before block " + b + " of " + blocks
                        + " (" + (end - pos) + " bytes left)");
            }
            int c = readIntBE(src, pos);
            pos += 4;
            if (c <= 0 || c > end - pos) {
                throw new CodecException("bitshuffle-LZ4 block " + b + " declares " + Integer.toUnsignedString(c)
                        + " compressed bytes, " + (end - pos) + " remain");
            }
            Lz4Block.decompress(src, pos, c, s.blockView, 0, len);
            pos += c;
            if (dstArray) {
                BitTranspose.unshuffle(s.block, 0, out, outBase + done * elemSize, m, elemSize, s.words);
            } else {
                BitTranspose.unshuffle(s.block, 0, out, 0, m, elemSize, s.words);
                dst.put(dstOffset + done * elemSize, out, 0, len);
            }
            done += m;
        }
        int tail = (n - done) * elemSize;
        if (end - pos != tail) {
            throw new CodecException("bitshuffle-LZ4 stream has " + (end - pos) + " bytes after its " + done
                    + " blocked elements, expected a raw tail of " + tail + " bytes");
        }
        dst.put(dstOffset + done * elemSize, src, pos, tail);
    }

    /** The block actually used: a block longer than the data is one (last) block of all 8-multiples. */
    private static int effectiveBlock(long blockElements, int n) {
        return (int) Math.min(blockElements, Math.max(BLOCK_MULTIPLE, n & ~(BLOCK_MULTIPLE - 1)));
    }

    private static void checkBlockElements(int blockElements) {
        if (blockElements <= 0 || blockElements % BLOCK_MULTIPLE != 0) {
            throw new IllegalArgumentException("block size must be a positive multiple of " + BLOCK_MULTIPLE
                    + " elements, got " + blockElements);
        }
    }

    private static void checkDestination(ByteBuffer dst, int dstOffset, long bytes, int elemSize) {
        if (bytes < 0 || bytes % elemSize != 0) {
            throw new IllegalArgumentException("expected size must be a non-negative multiple of the element size "
                    + elemSize + ", got " + bytes);
        }
        if (dstOffset < 0 || dstOffset > dst.limit() || bytes > dst.limit() - dstOffset) {
            throw new IllegalArgumentException("destination range [" + dstOffset + ", " + dstOffset + " + " + bytes
                    + ") is outside the buffer's limit " + dst.limit());
        }
    }

    private static int readIntBE(ByteBuffer b, int index) {
        int v = b.getInt(index);
        return b.order() == ByteOrder.BIG_ENDIAN ? v : Integer.reverseBytes(v);
    }

    private static long readLongBE(ByteBuffer b, int index) {
        long v = b.getLong(index);
        return b.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }

    private static void writeBE(ByteBuffer b, int index, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b.put(index + i, (byte) (value >>> (8 * (bytes - 1 - i))));
        }
    }

    /** Per-thread work arrays; grown, never shrunk. */
    private static final class Scratch {
        byte[] block = new byte[TARGET_BLOCK_BYTES];
        ByteBuffer blockView = ByteBuffer.wrap(block);
        byte[] elements = new byte[TARGET_BLOCK_BYTES];
        final long[] words = new long[BitTranspose.SCRATCH_LONGS];

        void ensure(int bytes) {
            if (block.length < bytes) {
                block = new byte[bytes];
                blockView = ByteBuffer.wrap(block);
                elements = new byte[bytes];
            }
        }
    }
}
