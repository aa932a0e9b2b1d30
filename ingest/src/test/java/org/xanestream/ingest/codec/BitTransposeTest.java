package org.xanestream.ingest.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class BitTransposeTest {

    static Arguments[] sizes() {
        int[] elemSizes = {1, 2, 4, 8};
        int[] counts = {8, 16, 56, 64, 72, 120, 128, 200, 256, 320, 512, 1000, 1024, 1088, 4096, 4104, 8192};
        Arguments[] out = new Arguments[elemSizes.length * counts.length];
        int k = 0;
        for (int s : elemSizes) {
            for (int n : counts) {
                out[k++] = Arguments.of(s, n);
            }
        }
        return out;
    }

    /** Straight from the definition: bit k of byte j of element i sits in row 8j+k, bit i of that row. */
    static byte[] referenceShuffle(byte[] elements, int n, int elemSize) {
        byte[] rows = new byte[n * elemSize];
        int rowBytes = n / 8;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < elemSize; j++) {
                int v = elements[i * elemSize + j] & 0xFF;
                for (int k = 0; k < 8; k++) {
                    if (((v >>> k) & 1) != 0) {
                        int r = 8 * j + k;
                        rows[r * rowBytes + i / 8] |= (byte) (1 << (i % 8));
                    }
                }
            }
        }
        return rows;
    }

    @ParameterizedTest(name = "elemSize={0} n={1}")
    @MethodSource("sizes")
    void unshuffleInvertsTheDefinitionAndShuffleMatchesIt(int elemSize, int n) {
        Random rnd = new Random(31L * n + elemSize);
        byte[] elements = new byte[n * elemSize];
        rnd.nextBytes(elements);
        byte[] rows = referenceShuffle(elements, n, elemSize);
        long[] scratch = new long[BitTranspose.SCRATCH_LONGS];

        // Guard bytes around the output catch writes outside the block.
        int off = 5;
        for (String kernel : new String[]{"dispatch", "scalar", "vector"}) {
            byte[] out = new byte[n * elemSize + 2 * off];
            Arrays.fill(out, (byte) 0x5A);
            switch (kernel) {
                case "dispatch":
                    BitTranspose.unshuffle(rows, 0, out, off, n, elemSize, scratch);
                    break;
                case "scalar":
                    BitTranspose.unshuffleScalar(rows, 0, out, off, n, elemSize, scratch);
                    break;
                default:
                    // the vector kernel alone: whole steps of 256 elements, the rest left untouched
                    int steps = n / BitTransposeVector.ELEMENTS_PER_STEP;
                    BitTransposeVector.unshuffle(rows, 0, n / 8, out, off, steps, Integer.numberOfTrailingZeros(elemSize),
                            scratch);
                    int done = steps * BitTransposeVector.ELEMENTS_PER_STEP * elemSize;
                    assertArrayEquals(Arrays.copyOf(elements, done), Arrays.copyOfRange(out, off, off + done), kernel);
                    for (int i = off + done; i < out.length; i++) {
                        assertEquals((byte) 0x5A, out[i], "vector kernel wrote beyond its steps at " + i);
                    }
                    continue;
            }
            assertArrayEquals(elements, Arrays.copyOfRange(out, off, off + n * elemSize), kernel);
            for (int i = 0; i < off; i++) {
                assertEquals((byte) 0x5A, out[i], kernel + ": guard before block modified");
                assertEquals((byte) 0x5A, out[out.length - 1 - i], kernel + ": guard after block modified");
            }
        }

        byte[] shuffled = new byte[n * elemSize + 2 * off];
        Arrays.fill(shuffled, (byte) 0x3C);
        byte[] src = new byte[n * elemSize + 3];
        System.arraycopy(elements, 0, src, 3, elements.length);
        BitTranspose.shuffle(src, 3, shuffled, off, n, elemSize, scratch);
        assertArrayEquals(rows, Arrays.copyOfRange(shuffled, off, off + n * elemSize));
        assertEquals((byte) 0x3C, shuffled[off - 1]);
        assertEquals((byte) 0x3C, shuffled[off + n * elemSize]);
    }

    @Test
    void singleBitLandsInTheRightRowForEveryElementSize() {
        long[] scratch = new long[BitTranspose.SCRATCH_LONGS];
        for (int s : new int[]{1, 2, 4, 8}) {
            int n = 128;
            for (int i : new int[]{0, 1, 7, 8, 63, 64, 65, 127}) {
                for (int bit = 0; bit < 8 * s; bit++) {
                    byte[] el = new byte[n * s];
                    el[i * s + bit / 8] = (byte) (1 << (bit % 8));
                    byte[] rows = new byte[n * s];
                    BitTranspose.shuffle(el, 0, rows, 0, n, s, scratch);
                    int expectedByte = bit * (n / 8) + i / 8;
                    for (int b = 0; b < rows.length; b++) {
                        int expected = b == expectedByte ? 1 << (i % 8) : 0;
                        assertEquals(expected, rows[b] & 0xFF, "s=" + s + " i=" + i + " bit=" + bit + " byte " + b);
                    }
                }
            }
        }
    }

    @Test
    void vectorKernelIsUsedWheneverTheModuleAndTheHardwareAllowIt() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(module && BitTransposeVector.hardwareSupported(), BitTranspose.VECTOR);
    }

    @Test
    void rejectsUnsupportedElementSizes() {
        long[] scratch = new long[BitTranspose.SCRATCH_LONGS];
        assertThrows(IllegalArgumentException.class,
                () -> BitTranspose.unshuffle(new byte[24], 0, new byte[24], 0, 8, 3, scratch));
    }
}
