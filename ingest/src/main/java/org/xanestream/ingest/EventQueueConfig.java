package org.xanestream.ingest;

import java.util.Objects;

/**
 * Configuration of a {@link BoundedEventQueue}.
 *
 * @param capacity   the most events queued at once, 1 to 65536; every queued frame holds a pooled
 *                   buffer, so the frame pool budget should exceed {@code (capacity + 2) x frame bytes}
 * @param fullPolicy what the producer does when the queue is full
 */
public record EventQueueConfig(int capacity, QueueFullPolicy fullPolicy) {
    /** Largest accepted capacity. */
    public static final int MAX_CAPACITY = 1 << 16;

    public EventQueueConfig {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("queue capacity must be in [1, " + MAX_CAPACITY + "], got " + capacity);
        }
        Objects.requireNonNull(fullPolicy, "fullPolicy");
    }

    /** 16 events, {@link QueueFullPolicy#BLOCK}. */
    public static EventQueueConfig defaults() {
        return new EventQueueConfig(16, QueueFullPolicy.BLOCK);
    }
}
