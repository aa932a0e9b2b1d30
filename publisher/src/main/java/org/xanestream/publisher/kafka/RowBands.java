package org.xanestream.publisher.kafka;

import org.xanestream.processor.ImageBinning;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The binary payload layout of the {@code images} and {@code maps} topics: cutting a row-major float32 image
 * (binned by {@link ImageBinning}) into little-endian row bands.
 *
 * <p>Stateless static kernels; thread-safe. {@link #encodeRows} allocates the record value it returns (Kafka
 * keeps it until it is sent).
 */
final class RowBands {
    private RowBands() {
    }

    /** Rows per band so that a band's value ({@code rows * width * 4} bytes) stays within the limit; at least 1. */
    static int rowsPerBand(int width, int maxValueBytes) {
        return Math.max(1, maxValueBytes / (4 * width));
    }

    /** Number of bands for {@code height} rows. */
    static int bandCount(int height, int rowsPerBand) {
        return ceilDiv(height, rowsPerBand);
    }

    /** Records needed for one {@code width × height} image binned by {@code bin}. */
    static int recordCount(int width, int height, int bin, int maxValueBytes) {
        int w = ImageBinning.binnedSize(width, bin);
        return bandCount(ImageBinning.binnedSize(height, bin), rowsPerBand(w, maxValueBytes));
    }

    /**
     * Rows {@code [row0, row0 + rows)} of a row-major image as little-endian float32 bytes.
     *
     * @param src pixels, row-major with {@code width} columns. Not modified.
     * @return a new array of {@code rows * width * 4} bytes
     */
    static byte[] encodeRows(float[] src, int width, int row0, int rows) {
        byte[] out = new byte[rows * width * 4];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(src, row0 * width, rows * width);
        return out;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
