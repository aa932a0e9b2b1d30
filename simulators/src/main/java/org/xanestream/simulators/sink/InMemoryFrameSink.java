package org.xanestream.simulators.sink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.PixelType;

/**
 * Keeps every frame in memory as an unpooled {@link Frame} (a copy of the pixels), and the sequence of
 * scan begin/end events: a reusable fake for tests that feed simulated frames to other stages.
 *
 * <p>Not thread safe. Allocates one frame copy per frame (tests only).
 */
public final class InMemoryFrameSink implements FrameSink {
    /** A scan boundary: {@code begin} true for beginScan, false for endScan; {@code framesBefore} frames came before it. */
    public record ScanEvent(boolean begin, String scanId, int framesBefore) {
    }

    private final boolean keepPixels;
    private final List<Frame> frames = new ArrayList<>();
    private final List<FrameHeader> headers = new ArrayList<>();
    private final List<ScanEvent> events = new ArrayList<>();
    private boolean closed;

    /** Keeps pixels. */
    public InMemoryFrameSink() {
        this(true);
    }

    /** @param keepPixels false keeps only the headers ({@link #frames()} stays empty), to save memory */
    public InMemoryFrameSink(boolean keepPixels) {
        this.keepPixels = keepPixels;
    }

    @Override
    public void beginScan(String scanId, int width, int height, PixelType pixelType) {
        events.add(new ScanEvent(true, scanId, headers.size()));
    }

    @Override
    public void sendFrame(FrameHeader header, ByteBuffer pixels) {
        headers.add(header);
        if (keepPixels) {
            Frame f = Frame.unpooled(header);
            int n = (int) header.payloadBytes();
            if (pixels.hasArray()) {
                System.arraycopy(pixels.array(), pixels.arrayOffset(), f.pixels().array(), 0, n);
            } else {
                for (int i = 0; i < n; i++) {
                    f.pixels().put(i, pixels.get(i));
                }
            }
            frames.add(f);
        }
    }

    @Override
    public void endScan(String scanId) {
        events.add(new ScanEvent(false, scanId, headers.size()));
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The headers of all frames received, in order. */
    public List<FrameHeader> headers() {
        return Collections.unmodifiableList(headers);
    }

    /** The frames received, in order (empty if pixels are not kept). */
    public List<Frame> frames() {
        return Collections.unmodifiableList(frames);
    }

    /** The scan begin/end events, in order. */
    public List<ScanEvent> events() {
        return Collections.unmodifiableList(events);
    }

    public boolean closed() {
        return closed;
    }
}
