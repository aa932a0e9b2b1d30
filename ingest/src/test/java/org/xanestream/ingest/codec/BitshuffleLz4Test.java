package org.xanestream.ingest.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BitshuffleLz4Test {

    /** Noisy detector-like values: a slow ramp plus a few random low bits. */
    static byte[] pixels(int n, int elemSize, long seed) {
        Random rnd = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(n * elemSize).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            long v = (i / 50) * 3L + rnd.nextInt(32);
            for (int j = 0; j < elemSize; j++) {
                b.put((byte) (v >>> (8 * j)));
            }
        }
        return b.array();
    }

    static byte[] compress(byte[] raw, int elemSize, int blockElements, boolean header) {
        ByteBuffer dst = ByteBuffer.allocate(BitshuffleLz4.maxCompressedLength(raw.length, elemSize, blockElements));
        int c = BitshuffleLz4.compress(ByteBuffer.wrap(raw), dst, 0, elemSize, blockElements, header);
        return Arrays.copyOf(dst.array(), c);
    }

    static byte[] decompressWithHeader(byte[] comp, int bytes, int elemSize) throws CodecException {
        ByteBuffer out = ByteBuffer.allocate(bytes);
        BitshuffleLz4.decompressWithHeader(ByteBuffer.wrap(comp), out, 0, bytes, elemSize);
        return out.array();
    }

    static List<Arguments> roundTripCases() {
        List<Arguments> cases = new ArrayList<>();
        for (int s : new int[]{1, 2, 4, 8}) {
            int block = BitshuffleLz4.defaultBlockElements(s);
            // tiny, exactly 8, raw tails, one block, block + remainder (with and without raw tail),
            // several blocks, a last block that is not a multiple of 64 elements
            for (int n : new int[]{0, 1, 7, 8, 9, 63, 64, 65, block - 8, block, block + 1, block + 8, block + 13,
                    3 * block, 3 * block + 1000, 3 * block + 1003, 2 * block + 56 + 7}) {
                cases.add(Arguments.of(s, n, block));
            }
            cases.add(Arguments.of(s, 1003, 64));   // many small blocks, raw tail
            cases.add(Arguments.of(s, 1000, 256));  // last block of 232 elements
            cases.add(Arguments.of(s, 777, 8));     // smallest legal block
        }
        return cases;
    }

    @ParameterizedTest(name = "elemSize={0} n={1} block={2}")
    @MethodSource("roundTripCases")
    void roundTripsWithAndWithoutHeader(int elemSize, int n, int block) throws CodecException {
        byte[] raw = pixels(n, elemSize, n * 7L + elemSize);
        byte[] withHeader = compress(raw, elemSize, block, true);
        assertEquals(raw.length, ByteBuffer.wrap(withHeader).getLong(0), "header: uncompressed bytes");
        assertEquals(block * elemSize, ByteBuffer.wrap(withHeader).getInt(8), "header: block bytes");
        assertArrayEquals(raw, decompressWithHeader(withHeader, raw.length, elemSize));

        byte[] bare = compress(raw, elemSize, block, false);
        assertArrayEquals(Arrays.copyOfRange(withHeader, BitshuffleLz4.HEADER_BYTES, withHeader.length), bare);
        ByteBuffer out = ByteBuffer.allocate(raw.length);
        BitshuffleLz4.decompressNoHeader(ByteBuffer.wrap(bare), out, 0, raw.length, elemSize, block);
        assertArrayEquals(raw, out.array());
    }

    @Test
    void layoutIsBlocksThenRawTail() {
        int s = 2;
        int n = 4096 + 1005; // one full block, a last block of 1000 elements, a raw tail of 5
        byte[] raw = pixels(n, s, 9);
        byte[] comp = compress(raw, s, 4096, true);
        ByteBuffer b = ByteBuffer.wrap(comp);
        int pos = BitshuffleLz4.HEADER_BYTES;
        pos += 4 + b.getInt(pos);
        pos += 4 + b.getInt(pos);
        assertEquals(comp.length - 10, pos, "two blocks then the raw tail");
        assertArrayEquals(Arrays.copyOfRange(raw, raw.length - 10, raw.length),
                Arrays.copyOfRange(comp, pos, comp.length));
    }

    @Test
    void defaultBlockSizeMatchesTheBitshuffleLibrary() {
        assertEquals(8192, BitshuffleLz4.defaultBlockElements(1));
        assertEquals(4096, BitshuffleLz4.defaultBlockElements(2));
        assertEquals(2048, BitshuffleLz4.defaultBlockElements(4));
        assertEquals(1024, BitshuffleLz4.defaultBlockElements(8));
        assertEquals(2728, BitshuffleLz4.defaultBlockElements(3));
        assertEquals(128, BitshuffleLz4.defaultBlockElements(100));
    }

    @Test
    void decodesFromDirectLittleEndianSourceIntoDirectDestinationAtAnOffset() throws CodecException {
        int s = 4;
        int n = 2048 * 2 + 77;
        byte[] raw = pixels(n, s, 11);
        byte[] comp = compress(raw, s, 2048, true);
        ByteBuffer src = ByteBuffer.allocateDirect(comp.length + 20).order(ByteOrder.LITTLE_ENDIAN);
        src.position(20);
        src.put(comp).position(20);
        ByteBuffer dst = ByteBuffer.allocateDirect(raw.length + 16);
        for (int i = 0; i < dst.capacity(); i++) {
            dst.put(i, (byte) 0x77);
        }
        BitshuffleLz4.decompressWithHeader(src, dst, 8, raw.length, s);
        assertEquals(20, src.position());
        byte[] back = new byte[raw.length];
        dst.get(8, back);
        assertArrayEquals(raw, back);
        for (int i = 0; i < 8; i++) {
            assertEquals(0x77, dst.get(i) & 0xFF);
            assertEquals(0x77, dst.get(dst.capacity() - 1 - i) & 0xFF);
        }
    }

    @Test
    void compressesFromADirectSourceIdenticallyToAHeapSource() {
        int s = 2;
        byte[] raw = pixels(4096 + 333, s, 12);
        ByteBuffer direct = ByteBuffer.allocateDirect(raw.length);
        direct.put(raw).flip();
        ByteBuffer dst = ByteBuffer.allocate(BitshuffleLz4.maxCompressedLength(raw.length, s, 4096));
        int c = BitshuffleLz4.compress(direct, dst, 0, s, 4096, true);
        assertArrayEquals(compress(raw, s, 4096, true), Arrays.copyOf(dst.array(), c));
    }

    @Test
    void aBlockLargerThanTheDataIsOneBlock() throws CodecException {
        int s = 2;
        byte[] raw = pixels(1001, s, 13);
        byte[] comp = compress(raw, s, 1 << 20, true);
        assertEquals((1 << 20) * 2, ByteBuffer.wrap(comp).getInt(8));
        assertArrayEquals(raw, decompressWithHeader(comp, raw.length, s));
    }

    // ---- corrupt input -------------------------------------------------------------------------

    @Test
    void rejectsEveryTruncation() {
        int s = 2;
        byte[] raw = pixels(4096 + 1005, s, 14);
        byte[] comp = compress(raw, s, 4096, true);
        for (int len = 0; len < comp.length; len++) {
            byte[] cut = Arrays.copyOf(comp, len);
            assertThrows(CodecException.class, () -> decompressWithHeader(cut, raw.length, s), "length " + len);
        }
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] raw = pixels(100, 2, 15);
        byte[] comp = compress(raw, 2, 4096, true);
        byte[] longer = Arrays.copyOf(comp, comp.length + 1);
        CodecException e = assertThrows(CodecException.class, () -> decompressWithHeader(longer, raw.length, 2));
        assertTrue(e.getMessage().contains("raw tail"), e.getMessage());
    }

    @Test
    void rejectsHeaderWhoseSizeDiffersFromTheExpectedSize() {
        byte[] raw = pixels(100, 2, 16);
        byte[] comp = compress(raw, 2, 4096, true);
        CodecException e = assertThrows(CodecException.class, () -> decompressWithHeader(comp, raw.length + 2, 2));
        assertTrue(e.getMessage().contains("200"), e.getMessage());
    }

    @Test
    void rejectsBadBlockSizesInTheHeader() {
        byte[] raw = pixels(1000, 2, 17);
        for (int bad : new int[]{0, 3, 2 * 4, 2 * 12, -8}) { // zero, not elements, < 8 elements, not a multiple of 8
            byte[] comp = compress(raw, 2, 256, true);
            ByteBuffer.wrap(comp).putInt(8, bad);
            assertThrows(CodecException.class, () -> decompressWithHeader(comp, raw.length, 2), "block bytes " + bad);
        }
    }

    @Test
    void rejectsHeaderBlockSizeThatDisagreesWithTheBlocks() {
        byte[] raw = pixels(1000, 2, 18);
        byte[] comp = compress(raw, 2, 256, true);
        ByteBuffer.wrap(comp).putInt(8, 128 * 2);
        assertThrows(CodecException.class, () -> decompressWithHeader(comp, raw.length, 2));
    }

    @Test
    void rejectsBadCompressedBlockLengths() {
        byte[] raw = pixels(5000, 2, 19);
        for (int bad : new int[]{0, -1, Integer.MIN_VALUE, 1, 1 << 30}) {
            byte[] comp = compress(raw, 2, 4096, true);
            ByteBuffer.wrap(comp).putInt(BitshuffleLz4.HEADER_BYTES, bad);
            assertThrows(CodecException.class, () -> decompressWithHeader(comp, raw.length, 2), "length " + bad);
        }
    }

    @Test
    void corruptedStreamsFailCleanlyAndNeverWriteOutsideTheDestination() {
        int s = 2;
        byte[] raw = pixels(4096 + 1005, s, 20);
        byte[] good = compress(raw, s, 4096, true);
        Random rnd = new Random(21);
        ByteBuffer dst = ByteBuffer.allocate(raw.length + 64);
        int failures = 0;
        for (int trial = 0; trial < 1000; trial++) {
            byte[] bad = good.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            Arrays.fill(dst.array(), raw.length, raw.length + 64, (byte) 0x42);
            try {
                BitshuffleLz4.decompressWithHeader(ByteBuffer.wrap(bad), dst, 0, raw.length, s);
            } catch (CodecException e) {
                failures++;
            }
            for (int i = raw.length; i < raw.length + 64; i++) {
                assertEquals(0x42, dst.get(i), "trial " + trial + " wrote past the destination");
            }
        }
        // LZ4 carries no checksum: a flip inside literals or the raw tail legitimately decodes to other
        // pixels. Flips in lengths, tokens and offsets are detected; any unchecked exception fails the test.
        assertTrue(failures > 0, "no corrupted stream was detected");
    }

    @Test
    void randomGarbageFailsCleanly() {
        Random rnd = new Random(22);
        ByteBuffer dst = ByteBuffer.allocate(8192);
        for (int trial = 0; trial < 1000; trial++) {
            byte[] garbage = new byte[rnd.nextInt(400)];
            rnd.nextBytes(garbage);
            if (garbage.length >= 12 && rnd.nextBoolean()) {
                ByteBuffer.wrap(garbage).putLong(0, 8192).putInt(8, 8192); // plausible header, garbage blocks
            }
            assertThrows(CodecException.class,
                    () -> BitshuffleLz4.decompressWithHeader(ByteBuffer.wrap(garbage), dst, 0, 8192, 2));
        }
    }

    @Test
    void rejectsInvalidArguments() {
        ByteBuffer src = ByteBuffer.wrap(compress(pixels(10, 2, 23), 2, 4096, true));
        assertThrows(IllegalArgumentException.class,
                () -> BitshuffleLz4.decompressWithHeader(src, ByteBuffer.allocate(19), 0, 20, 2));
        assertThrows(IllegalArgumentException.class,
                () -> BitshuffleLz4.decompressWithHeader(src, ByteBuffer.allocate(20), 0, 20, 3));
        assertThrows(IllegalArgumentException.class,
                () -> BitshuffleLz4.decompressWithHeader(src, ByteBuffer.allocate(21), 0, 21, 2));
        assertThrows(IllegalArgumentException.class,
                () -> BitshuffleLz4.decompressNoHeader(src, ByteBuffer.allocate(20), 0, 20, 2, 12));
        assertThrows(IllegalArgumentException.class,
                () -> BitshuffleLz4.compress(ByteBuffer.allocate(20), ByteBuffer.allocate(20), 0, 2, 4096, true));
    }
}
