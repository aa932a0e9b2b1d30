package org.xanestream.processor;

import java.nio.ByteBuffer;
import java.util.Map;

import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;

/** Builds unpooled frames holding given pixel values, for tests. */
public final class TestFrames {
    private TestFrames() {
    }

    public static FrameHeader header(String source, String scanId, FrameKind kind, double energyEv,
                                     int width, int height, PixelType type) {
        return new FrameHeader(source, scanId, -1, kind, energyEv, width, height, type, 0L, Map.of());
    }

    /** A frame whose pixel {@code i} holds {@code values[i]} converted to {@code type}. */
    public static Frame frame(FrameHeader header, double[] values) {
        Frame f = Frame.unpooled(header);
        write(f.pixels(), header.pixelType(), values);
        return f;
    }

    public static Frame frame(String scanId, FrameKind kind, double energyEv, int width, int height, float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return frame(header("test://src", scanId, kind, energyEv, width, height,
                kind == FrameKind.TRANSMISSION ? PixelType.FLOAT32 : PixelType.UINT16), d);
    }

    public static void write(ByteBuffer b, PixelType type, double[] v) {
        for (int i = 0; i < v.length; i++) {
            switch (type) {
                case INT8: case UINT8: b.put(i, (byte) (long) v[i]); break;
                case INT16: case UINT16: b.putShort(i * 2, (short) (long) v[i]); break;
                case INT32: case UINT32: b.putInt(i * 4, (int) (long) v[i]); break;
                case INT64: b.putLong(i * 8, (long) v[i]); break;
                case UINT64: b.putLong(i * 8, new java.math.BigDecimal(v[i]).toBigInteger().longValue()); break;
                case FLOAT32: b.putFloat(i * 4, (float) v[i]); break;
                case FLOAT64: b.putDouble(i * 8, v[i]); break;
                default: throw new IllegalArgumentException(type.toString());
            }
        }
    }
}
