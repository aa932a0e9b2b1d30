package org.xanestream.ingest;

import java.nio.ByteBuffer;

/**
 * One received multipart message, independent of the transport library. Part buffers are valid only
 * until the decoder returns; decoders copy what they keep.
 */
public interface MessageParts {
    /** Number of parts. */
    int count();

    /** Part {@code i}: its bytes from {@code position()} to {@code limit()}. Do not modify. */
    ByteBuffer part(int i);
}
