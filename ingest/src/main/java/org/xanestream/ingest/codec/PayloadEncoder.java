package org.xanestream.ingest.codec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The pixel payload of one outgoing frame, raw or compressed, for the protocol encoders (ADZMQ and
 * DECTRIS): the one place that owns the output array and the compression scratch they reuse.
 *
 * <p>Each method reads {@code pixels[0, bytes)} by absolute index (the caller's position and limit
 * are not touched; any byte order) and returns the encoded bytes as an exact-length array.
 *
 * <p>Not thread safe: one instance per encoder. Allocation: the returned array is reused by the next
 * call while the encoded length stays the same (always for raw payloads; compressed sizes vary, so a
 * compressed payload usually needs a new array); the scratch grows to the largest compression bound
 * seen and is then reused. The returned array is overwritten by the next call.
 */
public final class PayloadEncoder {
    private byte[] out = new byte[0];
    private ByteBuffer scratch = ByteBuffer.allocate(0);

    /**
     * The payload length a header declares, checked against the pixels on hand.
     *
     * @throws ArithmeticException      if {@code payloadBytes} exceeds an int
     * @throws IllegalArgumentException if {@code pixels} hold fewer bytes (up to their limit)
     */
    public static int checkedLength(long payloadBytes, ByteBuffer pixels) {
        int bytes = Math.toIntExact(payloadBytes);
        if (pixels.limit() < bytes) {
            throw new IllegalArgumentException("pixels hold " + pixels.limit() + " bytes, header needs " + bytes);
        }
        return bytes;
    }

    /** A copy of {@code pixels[0, bytes)}. */
    public byte[] raw(ByteBuffer pixels, int bytes) {
        byte[] o = reusable(bytes);
        pixels.get(0, o, 0, bytes);
        return o;
    }

    /** {@code pixels[0, bytes)} as one LZ4 block ({@link Lz4Block}). */
    public byte[] lz4(ByteBuffer pixels, int bytes) {
        ensureScratch(Lz4Block.maxCompressedLength(bytes));
        int n = Lz4Block.compress(pixels, 0, bytes, scratch, 0);
        return copyScratch(n);
    }

    /**
     * {@code pixels[0, bytes)} as bitshuffle-LZ4 with the default block size for {@code elemBytes}
     * ({@link BitshuffleLz4#compress}).
     *
     * @param withHeader whether the 12-byte bitshuffle header comes first
     */
    public byte[] bitshuffleLz4(ByteBuffer pixels, int bytes, int elemBytes, boolean withHeader) {
        int block = BitshuffleLz4.defaultBlockElements(elemBytes);
        ensureScratch(BitshuffleLz4.maxCompressedLength(bytes, elemBytes, block));
        ByteBuffer window = pixels.duplicate();
        window.position(0).limit(bytes);
        int n = BitshuffleLz4.compress(window, scratch, 0, elemBytes, block, withHeader);
        return copyScratch(n);
    }

    private void ensureScratch(int capacity) {
        if (scratch.capacity() < capacity) {
            scratch = ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
        }
        scratch.clear();
    }

    private byte[] copyScratch(int n) {
        byte[] o = reusable(n);
        scratch.get(0, o, 0, n);
        return o;
    }

    private byte[] reusable(int n) {
        if (out.length != n) {
            out = new byte[n];
        }
        return out;
    }
}
