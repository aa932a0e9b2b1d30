package org.xanestream.ingest.codec;

import java.nio.ByteBuffer;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Raw LZ4 blocks (no frame, no size prefix). The only class that touches the LZ4 library.
 *
 * <p>Decompression uses the library's <em>safe</em> decompressor of the fastest available
 * implementation (native liblz4 through JNI when it loads, else pure Java): it never reads outside
 * {@code [position, limit)} of the source nor writes beyond the requested length, and a block that does
 * not decode to exactly the expected length is reported as corrupt.
 *
 * <p>Thread safe; does not allocate per call (except the exception on corrupt data).
 */
public final class Lz4Block {
    private static final LZ4Factory FACTORY = LZ4Factory.fastestInstance();
    private static final LZ4SafeDecompressor DECOMPRESSOR = FACTORY.safeDecompressor();
    private static final LZ4Compressor COMPRESSOR = FACTORY.fastCompressor();

    private Lz4Block() {
    }

    /**
     * Decompresses {@code src[position, limit)} into exactly {@code length} bytes at {@code dst[dstOffset]}.
     * Buffers' positions and limits are not modified.
     *
     * @throws CodecException if the data is corrupt or does not decompress to exactly {@code length} bytes
     * @throws IllegalArgumentException if {@code [dstOffset, dstOffset + length)} is not inside {@code dst}'s limit
     */
    public static void decompress(ByteBuffer src, ByteBuffer dst, int dstOffset, int length) throws CodecException {
        decompress(src, src.position(), src.remaining(), dst, dstOffset, length);
    }

    /**
     * Decompresses {@code src[srcOffset, srcOffset + srcLength)} (absolute indices) into exactly
     * {@code length} bytes at {@code dst[dstOffset]}. Buffers' positions and limits are not modified.
     *
     * @throws CodecException if the data is corrupt or does not decompress to exactly {@code length} bytes
     * @throws IllegalArgumentException if a range is not inside its buffer's limit
     */
    public static void decompress(ByteBuffer src, int srcOffset, int srcLength, ByteBuffer dst, int dstOffset,
                                  int length) throws CodecException {
        checkRange("source", src, srcOffset, srcLength);
        checkRange("destination", dst, dstOffset, length);
        if (srcLength == 0) {
            throw new CodecException("empty LZ4 block, expected " + length + " decompressed bytes");
        }
        int n;
        try {
            n = DECOMPRESSOR.decompress(src, srcOffset, srcLength, dst, dstOffset, length);
        } catch (LZ4Exception e) {
            throw new CodecException("corrupt LZ4 block of " + srcLength + " bytes (expected " + length
                    + " decompressed bytes): " + e.getMessage());
        }
        if (n != length) {
            throw new CodecException("LZ4 block of " + srcLength + " bytes decompressed to " + n
                    + " bytes, expected " + length);
        }
    }

    /** Upper bound of the compressed size of {@code length} bytes. */
    public static int maxCompressedLength(int length) {
        return COMPRESSOR.maxCompressedLength(length);
    }

    /**
     * Compresses {@code src[position, limit)} into {@code dst} starting at {@code dstOffset}.
     * Buffers' positions and limits are not modified.
     *
     * @return the compressed length
     * @throws IllegalArgumentException if {@code dst} has less than {@link #maxCompressedLength} bytes
     *                                  of room before its limit
     */
    public static int compress(ByteBuffer src, ByteBuffer dst, int dstOffset) {
        return compress(src, src.position(), src.remaining(), dst, dstOffset);
    }

    /** Compresses {@code src[srcOffset, srcOffset + srcLength)}; see {@link #compress(ByteBuffer, ByteBuffer, int)}. */
    public static int compress(ByteBuffer src, int srcOffset, int srcLength, ByteBuffer dst, int dstOffset) {
        checkRange("source", src, srcOffset, srcLength);
        int room = dst.limit() - dstOffset;
        if (dstOffset < 0 || room < maxCompressedLength(srcLength)) {
            throw new IllegalArgumentException("destination has " + room + " bytes of room at offset " + dstOffset
                    + ", LZ4 needs up to " + maxCompressedLength(srcLength) + " for " + srcLength + " bytes");
        }
        return COMPRESSOR.compress(src, srcOffset, srcLength, dst, dstOffset, room);
    }

    private static void checkRange(String what, ByteBuffer b, int offset, int length) {
        if (offset < 0 || length < 0 || offset > b.limit() - length) {
            throw new IllegalArgumentException(what + " range [" + offset + ", " + offset + " + " + length
                    + ") is outside the buffer's limit " + b.limit());
        }
    }
}
