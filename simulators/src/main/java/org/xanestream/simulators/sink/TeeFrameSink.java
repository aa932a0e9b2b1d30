package org.xanestream.simulators.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.PixelType;

/**
 * Hands every call to several sinks in order (e.g. a ZMQ socket and an FXI file). A failing sink fails
 * the call; the sinks after it do not see that call.
 *
 * <p>Not thread safe (the generating thread). Each sink gets its own view of the pixel buffer, so one
 * that moves the position cannot disturb the next; that view is the only allocation per frame.
 */
public final class TeeFrameSink implements FrameSink {
    private final FrameSink[] sinks;

    /** @param sinks at least one; closed by {@link #close()} in order */
    public TeeFrameSink(List<? extends FrameSink> sinks) {
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("a tee needs at least one sink");
        }
        this.sinks = sinks.toArray(new FrameSink[0]);
    }

    @Override
    public void beginScan(String scanId, int width, int height, PixelType pixelType) throws IOException {
        for (FrameSink s : sinks) {
            s.beginScan(scanId, width, height, pixelType);
        }
    }

    @Override
    public void sendFrame(FrameHeader header, ByteBuffer pixels) throws IOException {
        for (FrameSink s : sinks) {
            s.sendFrame(header, pixels.duplicate().order(pixels.order()));
        }
    }

    @Override
    public void endScan(String scanId) throws IOException {
        for (FrameSink s : sinks) {
            s.endScan(scanId);
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (FrameSink s : sinks) {
            try {
                s.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
