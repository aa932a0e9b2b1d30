package org.xanestream.ingest;

/** What a {@link BoundedEventQueue} does when its producer finds it full. */
public enum QueueFullPolicy {
    /**
     * The producer waits for space. For a ZMQ receiver this is back-pressure: it stops reading the
     * socket, the socket's receive high-water mark fills, and TCP flow control slows the sender.
     */
    BLOCK,
    /**
     * The producer never waits: the oldest queued frame is removed, released to its pool and counted
     * as dropped, so the consumer always sees the most recent frames. End-of-scan events are kept.
     */
    DROP_OLDEST
}
