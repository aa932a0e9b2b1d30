package org.xanestream.processor.session;

import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.xanestream.ingest.BoundedEventQueue;
import org.xanestream.ingest.IngestEvent;

/** Where the processor thread takes its events from: the ingest stage's bounded queue. */
@FunctionalInterface
public interface IngestEventSource {
    /**
     * Takes the next event, waiting up to the timeout.
     *
     * @return the event, or {@code null} on timeout
     */
    IngestEvent poll(long timeout, TimeUnit unit) throws InterruptedException;

    /** Adapts the ingest stage's {@link BoundedEventQueue} (the production source). */
    static IngestEventSource of(BoundedEventQueue queue) {
        Objects.requireNonNull(queue, "queue");
        return queue::poll;
    }

    /** Adapts a {@link BlockingQueue} (tests, tools). */
    static IngestEventSource of(BlockingQueue<? extends IngestEvent> queue) {
        Objects.requireNonNull(queue, "queue");
        return queue::poll;
    }
}
