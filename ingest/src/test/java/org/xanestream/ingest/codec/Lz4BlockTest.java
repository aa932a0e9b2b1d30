package org.xanestream.ingest.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Lz4BlockTest {

    private static byte[] compressible(int n, long seed) {
        Random rnd = new Random(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = rnd.nextInt(16) == 0 ? (byte) rnd.nextInt() : (byte) (i / 97);
        }
        return b;
    }

    private static byte[] compress(byte[] raw) {
        ByteBuffer dst = ByteBuffer.allocate(Lz4Block.maxCompressedLength(raw.length));
        int c = Lz4Block.compress(ByteBuffer.wrap(raw), dst, 0);
        return Arrays.copyOf(dst.array(), c);
    }

    @Test
    void roundTripsHeapAndDirectBuffersWithoutTouchingPositions() throws CodecException {
        byte[] raw = compressible(100_000, 1);
        ByteBuffer src = ByteBuffer.allocateDirect(raw.length + 10);
        src.position(10);
        src.put(raw).position(10);
        ByteBuffer comp = ByteBuffer.allocateDirect(Lz4Block.maxCompressedLength(raw.length) + 7);
        int c = Lz4Block.compress(src, comp, 7);
        assertEquals(10, src.position());
        assertEquals(0, comp.position());
        assertTrue(c < raw.length / 2, "compressible data must shrink, got " + c);

        comp.position(7).limit(7 + c);
        ByteBuffer outHeap = ByteBuffer.allocate(raw.length + 3);
        Lz4Block.decompress(comp, outHeap, 3, raw.length);
        assertEquals(7, comp.position());
        assertArrayEquals(raw, Arrays.copyOfRange(outHeap.array(), 3, 3 + raw.length));

        ByteBuffer outDirect = ByteBuffer.allocateDirect(raw.length);
        Lz4Block.decompress(comp, outDirect, 0, raw.length);
        byte[] back = new byte[raw.length];
        outDirect.get(0, back);
        assertArrayEquals(raw, back);
    }

    @Test
    void rejectsBlockThatDecompressesToFewerBytesThanExpected() {
        byte[] comp = compress(compressible(1000, 2));
        ByteBuffer out = ByteBuffer.allocate(2000);
        CodecException e = assertThrows(CodecException.class,
                () -> Lz4Block.decompress(ByteBuffer.wrap(comp), out, 0, 1001));
        assertTrue(e.getMessage().contains("1001"), e.getMessage());
    }

    @Test
    void rejectsBlockThatWouldDecompressToMoreBytesThanExpected() {
        byte[] comp = compress(compressible(1000, 3));
        ByteBuffer out = ByteBuffer.allocate(2000);
        Arrays.fill(out.array(), (byte) 7);
        assertThrows(CodecException.class, () -> Lz4Block.decompress(ByteBuffer.wrap(comp), out, 0, 999));
        for (int i = 999; i < 2000; i++) {
            assertEquals(7, out.get(i), "wrote past the expected length at " + i);
        }
    }

    @Test
    void rejectsEveryTruncationOfAValidBlock() {
        byte[] raw = compressible(3000, 4);
        byte[] comp = compress(raw);
        ByteBuffer out = ByteBuffer.allocate(raw.length);
        for (int len = 0; len < comp.length; len++) {
            ByteBuffer src = ByteBuffer.wrap(comp, 0, len);
            assertThrows(CodecException.class, () -> Lz4Block.decompress(src, out, 0, raw.length), "length " + len);
        }
    }

    @Test
    void garbageEitherFailsCleanlyOrStaysInsideTheDestination() {
        Random rnd = new Random(5);
        ByteBuffer out = ByteBuffer.allocate(4096 + 64);
        for (int trial = 0; trial < 2000; trial++) {
            byte[] garbage = new byte[1 + rnd.nextInt(300)];
            rnd.nextBytes(garbage);
            Arrays.fill(out.array(), 4096, 4096 + 64, (byte) 0x11);
            try {
                Lz4Block.decompress(ByteBuffer.wrap(garbage), out, 0, 4096);
            } catch (CodecException expected) {
                // the normal outcome
            }
            for (int i = 4096; i < 4096 + 64; i++) {
                assertEquals(0x11, out.get(i), "trial " + trial + " wrote past the destination range");
            }
        }
    }

    @Test
    void rejectsDestinationRangeOutsideTheBuffer() {
        byte[] comp = compress(compressible(100, 6));
        assertThrows(IllegalArgumentException.class,
                () -> Lz4Block.decompress(ByteBuffer.wrap(comp), ByteBuffer.allocate(100), 1, 100));
        assertThrows(IllegalArgumentException.class,
                () -> Lz4Block.compress(ByteBuffer.wrap(new byte[100]), ByteBuffer.allocate(50), 0));
    }
}
