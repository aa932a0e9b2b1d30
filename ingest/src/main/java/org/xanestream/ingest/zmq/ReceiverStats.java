package org.xanestream.ingest.zmq;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.xanestream.ingest.BoundedEventQueue;
import org.xanestream.ingest.FrameSequenceMonitor;
import org.xanestream.ingest.RejectReason;

/**
 * Counters of one {@link ZmqFrameReceiver}, for metrics (the deploy module binds them to Micrometer)
 * and tests. Written by the receive thread, read from any thread; every getter is a cheap volatile
 * read and allocates nothing. Counts are cumulative since the receiver was created.
 */
public final class ReceiverStats {
    private final String endpoint;
    private final BoundedEventQueue queue;
    private final FrameSequenceMonitor monitor;
    private final PooledMsgAllocator allocator;

    final AtomicLong messages = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLong frames = new AtomicLong();
    final AtomicLong endOfScans = new AtomicLong();
    final AtomicLong decoderErrors = new AtomicLong();
    final AtomicLong undelivered = new AtomicLong();
    final AtomicLongArray rejected = new AtomicLongArray(RejectReason.values().length);

    ReceiverStats(String endpoint, BoundedEventQueue queue, FrameSequenceMonitor monitor,
                  PooledMsgAllocator allocator) {
        this.endpoint = endpoint;
        this.queue = queue;
        this.monitor = monitor;
        this.allocator = allocator;
    }

    /** The configured endpoint (a tag for metrics). */
    public String endpoint() {
        return endpoint;
    }

    /** Complete multipart messages received, valid or not. */
    public long messagesReceived() {
        return messages.get();
    }

    /** Bytes of all parts received. */
    public long bytesReceived() {
        return bytes.get();
    }

    /** Frames decoded and accepted (handed to the queue, even if dropped there later). */
    public long framesReceived() {
        return frames.get();
    }

    /** End-of-scan messages received. */
    public long endOfScans() {
        return endOfScans.get();
    }

    /** Messages rejected for {@code reason}. */
    public long rejected(RejectReason reason) {
        return rejected.get(reason.ordinal());
    }

    /** Messages rejected for any reason. */
    public long rejectedTotal() {
        long n = 0;
        for (int i = 0; i < rejected.length(); i++) {
            n += rejected.get(i);
        }
        return n;
    }

    /** Unexpected decoder failures (a bug, logged with a stack trace; the message is skipped). */
    public long decoderErrors() {
        return decoderErrors.get();
    }

    /** Decoded events discarded because the receiver stopped while waiting for queue space. */
    public long undeliveredOnStop() {
        return undelivered.get();
    }

    /** Frame-number gaps (forward jumps) seen by the decoder. */
    public long gapEvents() {
        return monitor == null ? 0 : monitor.gapEvents();
    }

    /** Frames skipped by all gaps (lost upstream). */
    public long missingFrames() {
        return monitor == null ? 0 : monitor.missingFrames();
    }

    /** Frames whose number repeated the previous one. */
    public long repeats() {
        return monitor == null ? 0 : monitor.repeats();
    }

    /** Frames whose number went backwards. */
    public long outOfOrder() {
        return monitor == null ? 0 : monitor.outOfOrder();
    }

    /** Frames dropped by the queue's {@code DROP_OLDEST} policy. */
    public long dropped() {
        return queue.dropped();
    }

    /** Times the receiver found the queue full and waited ({@code BLOCK} back-pressure). */
    public long blockedPuts() {
        return queue.blockedPuts();
    }

    /** Events waiting in the queue now. */
    public int queueDepth() {
        return queue.size();
    }

    public int queueCapacity() {
        return queue.capacity();
    }

    /** Message buffers the pooling allocator created; constant once the stream is steady. */
    public long messageBuffersAllocated() {
        return allocator.allocations();
    }

    /** Bytes of message buffers created since start. */
    public long messageBufferBytesAllocated() {
        return allocator.allocatedBytes();
    }
}
