package org.xanestream.ingest.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decodes streams written by the upstream bitshuffle C library (Debian's bitshuffle 0.3.5), and checks
 * that our encoder produces the same bit transpose. The fixtures and how to regenerate them:
 * {@code src/test/resources/org/xanestream/ingest/codec/make_bitshuffle_fixtures.py}.
 */
class BitshuffleReferenceFixturesTest {

    /** The fixture data formula of make_bitshuffle_fixtures.py. */
    static byte[] data(int n, int elemSize) {
        ByteBuffer b = ByteBuffer.allocate(n * elemSize).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < n; i++) {
            long noise = (i * 0x9E3779B97F4A7C15L) >>> 59;
            long v = (i / 37) * 5 + noise;
            for (int j = 0; j < elemSize; j++) {
                b.put((byte) (v >>> (8 * j)));
            }
        }
        return b.array();
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = BitshuffleReferenceFixturesTest.class.getResourceAsStream(name)) {
            assertNotNull(in, "missing fixture " + name);
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "uint8_n10003_b0.bslz4, 10003, 1",
            "uint16_n5101_b0.bslz4, 5101, 2",
            "uint32_n2155_b0.bslz4, 2155, 4",
            "uint64_n1089_b0.bslz4, 1089, 8",
            "uint16_n1003_b64.bslz4, 1003, 2",
            "uint16_n1000_b256.bslz4, 1000, 2",
            "uint16_n5_b0.bslz4, 5, 2",
            "uint32_n77_b0.bslz4, 77, 4"})
    void decodesStreamsOfTheReferenceLibrary(String name, int n, int elemSize) throws Exception {
        byte[] expected = data(n, elemSize);
        ByteBuffer out = ByteBuffer.allocate(expected.length);
        BitshuffleLz4.decompressWithHeader(ByteBuffer.wrap(resource(name)), out, 0, expected.length, elemSize);
        assertArrayEquals(expected, out.array());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "uint8_n200.bitshuffle, 200, 1",
            "uint16_n200.bitshuffle, 200, 2",
            "uint32_n136.bitshuffle, 136, 4",
            "uint64_n72.bitshuffle, 72, 8"})
    void transposesBitsExactlyLikeTheReferenceLibrary(String name, int n, int elemSize) throws Exception {
        byte[] elements = data(n, elemSize);
        byte[] reference = resource(name);
        long[] scratch = new long[BitTranspose.SCRATCH_LONGS];
        byte[] shuffled = new byte[elements.length];
        BitTranspose.shuffle(elements, 0, shuffled, 0, n, elemSize, scratch);
        assertArrayEquals(reference, shuffled);
        byte[] back = new byte[elements.length];
        BitTranspose.unshuffle(reference, 0, back, 0, n, elemSize, scratch);
        assertArrayEquals(elements, back);
    }
}
