package org.xanestream.ingest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One detector frame: a {@link FrameHeader} and its pixels in a pooled little-endian heap buffer.
 *
 * <p>Frames are recycled: whoever consumes a frame last calls {@link #release()}, after which the
 * frame object and its buffer belong to the pool again and must not be touched. The pixel buffer
 * holds exactly {@code header().payloadBytes()} valid bytes from index 0, row-major
 * ({@code i = y * width + x}); use absolute gets only and never change its position or limit.
 *
 * <p>Not thread safe: one thread owns a frame at a time and hands it on through a queue.
 */
public final class Frame implements IngestEvent {
    private final FramePool pool;
    private final ByteBuffer data;
    private FrameHeader header;
    private byte[] pixelMask;

    Frame(FramePool pool, int capacityBytes) {
        this.pool = pool;
        this.data = ByteBuffer.allocate(capacityBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** An unpooled frame for tests and tools; {@link #release()} is a no-op. */
    public static Frame unpooled(FrameHeader header) {
        Frame f = new Frame(null, Math.toIntExact(header.payloadBytes()));
        f.reset(header);
        return f;
    }

    /** Capacity of the backing buffer in bytes. */
    public int capacityBytes() {
        return data.capacity();
    }

    /** Prepares a pooled frame for a new header; the pixels are left as they were. Called by decoders. */
    public void reset(FrameHeader newHeader) {
        Objects.requireNonNull(newHeader, "header");
        if (newHeader.payloadBytes() > data.capacity()) {
            throw new IllegalArgumentException("frame of " + newHeader.payloadBytes()
                    + " bytes does not fit a buffer of " + data.capacity());
        }
        this.header = newHeader;
        this.pixelMask = null;
        data.clear();
        data.limit((int) newHeader.payloadBytes());
    }

    public FrameHeader header() {
        return header;
    }

    /**
     * The pixel bytes, little-endian, {@code limit() == header().payloadBytes()}. Backed by an array
     * ({@code pixels().array()}, offset 0) so kernels may use array views. Do not change position or limit.
     */
    public ByteBuffer pixels() {
        return data;
    }

    /**
     * Pixels the detector itself declares bad (e.g. the DECTRIS pixel mask), row-major, nonzero =
     * invalid; {@code null} if none. Shared by all frames of a series and never modified: downstream
     * stages treat these pixels as invalid (NaN).
     */
    public byte[] pixelMask() {
        return pixelMask;
    }

    /** Attaches the detector's bad-pixel mask (see {@link #pixelMask()}); {@code null} clears it. */
    public void setPixelMask(byte[] mask) {
        if (mask != null && header != null && mask.length != header.pixelCount()) {
            throw new IllegalArgumentException("pixel mask has " + mask.length + " entries, frame has "
                    + header.pixelCount() + " pixels");
        }
        this.pixelMask = mask;
    }

    /** The pixel at flat index {@code i}, converted to float. Convenient, not fast: kernels read {@link #pixels()}. */
    public float pixelAsFloat(int i) {
        switch (header.pixelType()) {
            case INT8: return data.get(i);
            case UINT8: return data.get(i) & 0xFF;
            case INT16: return data.getShort(i * 2);
            case UINT16: return data.getShort(i * 2) & 0xFFFF;
            case INT32: return data.getInt(i * 4);
            case UINT32: return data.getInt(i * 4) & 0xFFFFFFFFL;
            case INT64: return data.getLong(i * 8);
            case UINT64: {
                long v = data.getLong(i * 8);
                return v >= 0 ? v : (float) ((v >>> 1) * 2.0);
            }
            case FLOAT32: return data.getFloat(i * 4);
            case FLOAT64: return (float) data.getDouble(i * 8);
            default: throw new IllegalStateException("unknown pixel type " + header.pixelType());
        }
    }

    /** Returns this frame to its pool. Call exactly once, from the thread that owns the frame. */
    public void release() {
        if (pool != null) {
            pool.release(this);
        }
    }

    @Override
    public String toString() {
        return "Frame[" + header + "]";
    }
}
