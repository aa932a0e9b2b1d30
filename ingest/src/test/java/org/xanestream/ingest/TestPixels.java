package org.xanestream.ingest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** Seeded pixel buffers for tests and benchmarks. */
public final class TestPixels {
    private TestPixels() {
    }

    /**
     * A little-endian heap buffer of {@code width x height} pixels of {@code type}, filled with seeded
     * values: integers span their whole range with a smooth ramp (so LZ4 finds something to compress),
     * floats are finite values of varying magnitude.
     */
    public static ByteBuffer random(PixelType type, int width, int height, long seed) {
        int n = width * height;
        ByteBuffer b = ByteBuffer.allocate(n * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            long ramp = (i % width) * 37L + (i / width) * 11L;
            long v = ramp + r.nextInt(64) - 32 + (r.nextInt(16) == 0 ? r.nextLong() : 0);
            switch (type) {
                case INT8: case UINT8: b.put(i, (byte) v); break;
                case INT16: case UINT16: b.putShort(i * 2, (short) v); break;
                case INT32: case UINT32: b.putInt(i * 4, (int) v); break;
                case INT64: case UINT64: b.putLong(i * 8, v); break;
                case FLOAT32: b.putFloat(i * 4, (float) (ramp * 0.25 + r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4))); break;
                case FLOAT64: b.putDouble(i * 8, ramp * 0.25 + r.nextGaussian() * Math.pow(10, r.nextInt(16) - 8)); break;
                default: throw new IllegalArgumentException(type.toString());
            }
        }
        return b;
    }

    /** Whether the first {@code bytes} bytes of two buffers are equal (absolute indices). */
    public static boolean sameBytes(ByteBuffer a, ByteBuffer b, int bytes) {
        return a.slice(0, bytes).equals(b.slice(0, bytes));
    }
}
