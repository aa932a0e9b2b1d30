package org.xanestream.simulators.sink;

import java.nio.ByteBuffer;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.PixelType;

/**
 * Discards frames, counting them and their bytes, and folding a few sampled pixels into a checksum
 * (so a benchmark cannot be optimized away and two runs can be compared cheaply).
 *
 * <p>Not thread safe (one generating thread). Does not allocate.
 */
public final class CountingFrameSink implements FrameSink {
    private long frames;
    private long bytes;
    private long scansBegun;
    private long scansEnded;
    private long checksum = 17;

    @Override
    public void beginScan(String scanId, int width, int height, PixelType pixelType) {
        scansBegun++;
    }

    @Override
    public void sendFrame(FrameHeader header, ByteBuffer pixels) {
        frames++;
        int n = (int) header.payloadBytes();
        bytes += n;
        int step = Math.max(1, n / 64) & ~1;
        for (int i = 0; i + 1 < n; i += step) {
            checksum = checksum * 31 + pixels.getShort(i);
        }
    }

    @Override
    public void endScan(String scanId) {
        scansEnded++;
    }

    @Override
    public void close() {
    }

    public long frames() {
        return frames;
    }

    public long bytes() {
        return bytes;
    }

    public long scansBegun() {
        return scansBegun;
    }

    public long scansEnded() {
        return scansEnded;
    }

    /** A checksum over sampled pixels of every frame, in order. */
    public long checksum() {
        return checksum;
    }
}
