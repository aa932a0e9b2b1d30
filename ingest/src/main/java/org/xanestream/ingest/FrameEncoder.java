package org.xanestream.ingest;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Encodes frames into one protocol's messages (used by the simulator, replay and tests). Not thread safe.
 * Returned arrays may be reused by the next call: send them before encoding the next frame.
 */
public interface FrameEncoder {
    /** Messages to send before the first frame of a scan (e.g. a DECTRIS series header); may be empty. */
    List<List<byte[]>> beginScan(String scanId, int width, int height, PixelType pixelType);

    /**
     * One frame.
     *
     * @param header the metadata (its attributes are sent too)
     * @param pixels {@code header.payloadBytes()} little-endian bytes from index 0; not modified
     */
    List<byte[]> encodeFrame(FrameHeader header, ByteBuffer pixels);

    /** The end-of-scan message. */
    List<byte[]> endScan(String scanId);
}
