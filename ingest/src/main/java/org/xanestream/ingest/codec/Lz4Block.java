package org.xanestream.ingest.codec;

import java.nio.ByteBuffer;

/**
 * Raw LZ4 blocks (no frame, no size prefix). The only class that touches the LZ4 library.
 * Thread safe; does not allocate per call.
 */
public final class Lz4Block {
    private Lz4Block() {
    }

    /**
     * Decompresses {@code src[position, limit)} into exactly {@code length} bytes at {@code dst[dstOffset]}.
     * Buffers' positions and limits are not modified.
     *
     * @throws CodecException if the data is corrupt or does not decompress to exactly {@code length} bytes
     */
    public static void decompress(ByteBuffer src, ByteBuffer dst, int dstOffset, int length) throws CodecException {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** Upper bound of the compressed size of {@code length} bytes. */
    public static int maxCompressedLength(int length) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /**
     * Compresses {@code src[position, limit)} into {@code dst} starting at {@code dstOffset}.
     *
     * @return the compressed length
     */
    public static int compress(ByteBuffer src, ByteBuffer dst, int dstOffset) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
