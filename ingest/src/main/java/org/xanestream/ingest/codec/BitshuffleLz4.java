package org.xanestream.ingest.codec;

import java.nio.ByteBuffer;

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
 * <p>Thread safe if each thread uses its own scratch; the static methods allocate nothing per call
 * beyond a thread-local scratch buffer that is reused.
 */
public final class BitshuffleLz4 {
    /** Size of the optional header. */
    public static final int HEADER_BYTES = 12;

    private BitshuffleLz4() {
    }

    /** The block size in elements bitshuffle picks by default: 8192 bytes / elemSize, a multiple of 8. */
    public static int defaultBlockElements(int elemSize) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Decompresses a stream <em>with</em> the 12-byte header.
     *
     * @param src       the compressed bytes {@code [position, limit)}; not modified
     * @param dst       receives {@code expectedBytes} bytes at {@code dstOffset}; other bytes not modified
     * @param elemSize  element size in bytes (1, 2, 4 or 8)
     * @throws CodecException on corrupt data, or if the header's size differs from {@code expectedBytes}
     */
    public static void decompressWithHeader(ByteBuffer src, ByteBuffer dst, int dstOffset, long expectedBytes,
                                            int elemSize) throws CodecException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Decompresses a stream <em>without</em> the header (areaDetector {@code bslz4}); the block size
     * is {@code blockElements} (use {@link #defaultBlockElements} when the sender does not say).
     */
    public static void decompressNoHeader(ByteBuffer src, ByteBuffer dst, int dstOffset, int expectedBytes,
                                          int elemSize, int blockElements) throws CodecException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Upper bound of the compressed size, header included. */
    public static int maxCompressedLength(int bytes, int elemSize, int blockElements) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Compresses {@code src[position, limit)} (a whole number of elements).
     *
     * @param withHeader whether to write the 12-byte header first
     * @return bytes written at {@code dst[dstOffset]}
     */
    public static int compress(ByteBuffer src, ByteBuffer dst, int dstOffset, int elemSize, int blockElements,
                               boolean withHeader) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
