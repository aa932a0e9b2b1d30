package org.xanestream.simulators.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.PixelType;

/**
 * Where generated frames go: a ZMQ socket in a protocol ({@code ZmqFrameSink}), memory for tests
 * ({@link InMemoryFrameSink}), or nowhere but a counter ({@link CountingFrameSink}, for benchmarks).
 *
 * <p>Called from the simulator's generating thread only. Implementations may block (back-pressure);
 * a failure to deliver is an {@link IOException}, which ends the run.
 */
public interface FrameSink extends AutoCloseable {
    /** Before the first frame of a scan. */
    void beginScan(String scanId, int width, int height, PixelType pixelType) throws IOException;

    /**
     * One frame.
     *
     * @param header its metadata
     * @param pixels {@code header.payloadBytes()} little-endian bytes from index 0, valid only during
     *               the call (the buffer is reused for the next frame); not modified
     */
    void sendFrame(FrameHeader header, ByteBuffer pixels) throws IOException;

    /** After the last frame of a scan. */
    void endScan(String scanId) throws IOException;

    /** Releases resources; idempotent. */
    @Override
    void close();
}
