package org.xanestream.processor.normalize;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.xanestream.ingest.PixelType;

/**
 * Adds little-endian detector pixels of any {@link PixelType} to a float sum, pixel range by pixel
 * range. uint16 (the common detector type) and float32 use the Vector API; the other types use
 * scalar byte-array views.
 *
 * <p>Stateless and thread safe; allocates nothing.
 */
public final class PixelSums {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** As many shorts as F has floats, so one short load feeds one float vector. */
    private static final VectorSpecies<Short> S =
            VectorSpecies.of(short.class, VectorShape.forBitSize(F.length() * Short.SIZE));

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private PixelSums() {
    }

    /**
     * {@code sum[i] += pixel(i)} for {@code i} in {@code [from, to)}.
     *
     * @param src   the frame bytes, little-endian, pixel {@code i} at byte {@code i * type.bytes()}; not modified
     * @param type  pixel type of {@code src}
     * @param sum   running sum; modified
     * @param from  first pixel index
     * @param to    end pixel index (exclusive)
     */
    public static void add(byte[] src, PixelType type, float[] sum, int from, int to) {
        switch (type) {
            case UINT16: addUint16(src, sum, from, to, false); break;
            case FLOAT32: addFloat32(src, sum, from, to, false); break;
            case INT16:
                for (int i = from; i < to; i++) {
                    sum[i] += (short) SHORT.get(src, i << 1);
                }
                break;
            case UINT8:
                for (int i = from; i < to; i++) {
                    sum[i] += src[i] & 0xFF;
                }
                break;
            case INT8:
                for (int i = from; i < to; i++) {
                    sum[i] += src[i];
                }
                break;
            case INT32:
                for (int i = from; i < to; i++) {
                    sum[i] += (int) INT.get(src, i << 2);
                }
                break;
            case UINT32:
                for (int i = from; i < to; i++) {
                    sum[i] += ((int) INT.get(src, i << 2)) & 0xFFFFFFFFL;
                }
                break;
            case INT64:
                for (int i = from; i < to; i++) {
                    sum[i] += (long) LONG.get(src, i << 3);
                }
                break;
            case UINT64:
                for (int i = from; i < to; i++) {
                    long v = (long) LONG.get(src, i << 3);
                    sum[i] += v >= 0 ? (float) v : (float) ((v >>> 1) * 2.0);
                }
                break;
            case FLOAT64:
                for (int i = from; i < to; i++) {
                    sum[i] += (float) (double) DOUBLE.get(src, i << 3);
                }
                break;
            default:
                throw new IllegalArgumentException("unsupported pixel type " + type);
        }
    }

    /**
     * {@code sum[i] = pixel(i)} for {@code i} in {@code [from, to)}: the first frame of a sum, without reading (or
     * first zeroing) the old contents.
     *
     * @param src   the frame bytes, little-endian; not modified
     * @param type  pixel type of {@code src}
     * @param sum   running sum; modified
     */
    public static void set(byte[] src, PixelType type, float[] sum, int from, int to) {
        switch (type) {
            case UINT16: addUint16(src, sum, from, to, true); break;
            case FLOAT32: addFloat32(src, sum, from, to, true); break;
            default:
                java.util.Arrays.fill(sum, from, to, 0f);
                add(src, type, sum, from, to);
        }
    }

    private static void addUint16(byte[] src, float[] sum, int from, int to, boolean overwrite) {
        int n = F.length();
        int i = from;
        int upper = from + F.loopBound(to - from);
        for (; i < upper; i += n) {
            ShortVector s = ShortVector.fromByteArray(S, src, i << 1, ByteOrder.LITTLE_ENDIAN);
            IntVector v = (IntVector) s.convertShape(VectorOperators.S2I, I, 0);
            FloatVector f = (FloatVector) v.lanewise(VectorOperators.AND, 0xFFFF).convertShape(VectorOperators.I2F, F, 0);
            (overwrite ? f : FloatVector.fromArray(F, sum, i).add(f)).intoArray(sum, i);
        }
        for (; i < to; i++) {
            float v = ((short) SHORT.get(src, i << 1)) & 0xFFFF;
            sum[i] = overwrite ? v : sum[i] + v;
        }
    }

    private static void addFloat32(byte[] src, float[] sum, int from, int to, boolean overwrite) {
        int n = F.length();
        int i = from;
        int upper = from + F.loopBound(to - from);
        for (; i < upper; i += n) {
            FloatVector f = FloatVector.fromByteArray(F, src, i << 2, ByteOrder.LITTLE_ENDIAN);
            (overwrite ? f : FloatVector.fromArray(F, sum, i).add(f)).intoArray(sum, i);
        }
        for (; i < to; i++) {
            float v = (float) FLOAT.get(src, i << 2);
            sum[i] = overwrite ? v : sum[i] + v;
        }
    }
}
