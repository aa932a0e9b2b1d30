package org.xanestream.publisher.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.xanestream.publisher.kafka.PublishEvent.MapsUpdated;
import org.xanestream.publisher.kafka.PublishEvent.MessageRejected;
import org.xanestream.publisher.kafka.PublishEvent.PointCompleted;

/**
 * The bounded hand-off between the caller threads (processor, receivers) and the publisher thread.
 * {@link #offer} never waits: when a bound is reached it sheds load by a fixed policy and reports what it
 * shed to an {@link Outcomes} listener (after releasing its lock). Bounds: a number of events, a number of
 * queued rejected-message events, and the pixel bytes retained by queued images and maps.
 *
 * <p>Policy, in order (docs/kafka-topics.md, "Back-pressure"):
 * <ol>
 *   <li>A live maps snapshot replaces any queued live snapshot of the same scan (the older one is
 *       <em>superseded</em>: consumers only want the newest version); a final snapshot supersedes every queued
 *       live snapshot of its scan.</li>
 *   <li>When the event count is at capacity, the new event is dropped (rejected-message events also have their
 *       own, smaller, cap so that a flood of bad input cannot crowd out results).</li>
 *   <li>When the pixel bytes would exceed the budget: a new live snapshot is dropped; a new energy point keeps
 *       its JSON record but loses its image; a new final snapshot first evicts queued live snapshots and strips
 *       queued images, oldest first, and is dropped only if it still does not fit.</li>
 * </ol>
 * Scan start and end records and energy-point JSON records are never shed for bytes (they hold no pixels).
 *
 * <p>Thread-safe: one lock; every operation is O(1) except the policies that scan the queue (maps offers and
 * evictions), which are O(queued events) and happen at most a few times per second.
 */
final class HandOffQueue {

    /** Receives what the queue shed. Called on the offering thread, outside the queue's lock. */
    interface Outcomes {
        /** A queued live snapshot replaced by a newer one (normal operation, not a loss). */
        void superseded(MapsUpdated old);

        /** An event (or, for {@link PointCompleted}, its image only, see {@code imageOnly}) that will never be published. */
        void dropped(PublishEvent event, boolean imageOnly, String why);
    }

    private record Shed(PublishEvent event, boolean superseded, boolean imageOnly, String why) {
    }

    private final int capacity;
    private final int rejectedCapacity;
    private final long maxBytes;
    private final Outcomes outcomes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<PublishEvent> items;
    // All guarded by lock.
    private int rejectedCount;
    private long bytes;
    private boolean busy;
    private boolean closed;
    private boolean wakeRequested;
    private long offered;

    HandOffQueue(int capacity, int rejectedCapacity, long maxBytes, Outcomes outcomes) {
        this.capacity = capacity;
        this.rejectedCapacity = rejectedCapacity;
        this.maxBytes = maxBytes;
        this.outcomes = outcomes;
        this.items = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /**
     * Hands an event over without waiting.
     *
     * @return true if the event (possibly without its image) was queued
     */
    boolean offer(PublishEvent event) {
        List<Shed> shed = null;
        boolean queued;
        lock.lock();
        try {
            offered++;
            if (closed) {
                shed = add(null, new Shed(event, false, false, "publisher closed"));
                queued = false;
            } else if (event instanceof MapsUpdated m) {
                shed = removeLiveOf(m.maps().scanId(), new ArrayList<>(2));
                queued = offerMaps(m, shed);
                if (!queued) {
                    shed.add(new Shed(event, false, false, items.size() >= capacity
                            ? "hand-off queue full (" + capacity + " events)"
                            : "hand-off queue pixel budget full (" + maxBytes + " bytes)"));
                }
            } else if (items.size() >= capacity) {
                shed = add(null, new Shed(event, false, false, "hand-off queue full (" + capacity + " events)"));
                queued = false;
            } else if (event instanceof MessageRejected) {
                if (rejectedCount >= rejectedCapacity) {
                    shed = add(null, new Shed(event, false, false,
                            "rejected-record queue full (" + rejectedCapacity + " events)"));
                    queued = false;
                } else {
                    rejectedCount++;
                    append(event);
                    queued = true;
                }
            } else {
                if (event instanceof PointCompleted p && bytes + p.payloadBytes() > maxBytes) {
                    p.stripImage();
                    shed = add(null, new Shed(p, false, true,
                            "hand-off queue pixel budget full (" + maxBytes + " bytes)"));
                }
                append(event);
                queued = true;
            }
        } finally {
            lock.unlock();
        }
        report(shed);
        return queued;
    }

    private boolean offerMaps(MapsUpdated m, List<Shed> shed) {
        if (items.size() >= capacity) {
            return false;
        }
        long need = m.payloadBytes();
        if (bytes + need > maxBytes) {
            if (!m.isFinal()) {
                return false;
            }
            evictFor(need, shed);
            if (bytes + need > maxBytes) {
                return false;
            }
        }
        append(m);
        return true;
    }

    /** Removes queued live snapshots of {@code scanId} as superseded, adding them to {@code shed}; returns it. */
    private List<Shed> removeLiveOf(String scanId, List<Shed> shed) {
        for (Iterator<PublishEvent> it = items.iterator(); it.hasNext(); ) {
            PublishEvent e = it.next();
            if (e instanceof MapsUpdated q && !q.isFinal() && q.maps().scanId().equals(scanId)) {
                it.remove();
                bytes -= q.payloadBytes();
                shed.add(new Shed(q, true, false, "superseded"));
            }
        }
        return shed;
    }

    /** Oldest first: drops queued live snapshots and strips queued images until {@code need} more bytes fit. */
    private void evictFor(long need, List<Shed> shed) {
        for (Iterator<PublishEvent> it = items.iterator(); it.hasNext() && bytes + need > maxBytes; ) {
            PublishEvent e = it.next();
            if (e instanceof MapsUpdated q && !q.isFinal()) {
                it.remove();
                bytes -= q.payloadBytes();
                shed.add(new Shed(q, false, false, "evicted for final maps (pixel budget " + maxBytes + " bytes)"));
            } else if (e instanceof PointCompleted p && !p.imageStripped()) {
                bytes -= p.payloadBytes();
                p.stripImage();
                shed.add(new Shed(p, false, true, "evicted for final maps (pixel budget " + maxBytes + " bytes)"));
            }
        }
    }

    private void append(PublishEvent event) {
        items.addLast(event);
        bytes += event.payloadBytes();
        changed.signal();
    }

    private static List<Shed> add(List<Shed> list, Shed s) {
        List<Shed> l = list == null ? new ArrayList<>(2) : list;
        l.add(s);
        return l;
    }

    private void report(List<Shed> shed) {
        if (shed == null) {
            return;
        }
        for (int i = 0; i < shed.size(); i++) {
            Shed s = shed.get(i);
            if (s.superseded()) {
                outcomes.superseded((MapsUpdated) s.event());
            } else {
                outcomes.dropped(s.event(), s.imageOnly(), s.why());
            }
        }
    }

    /**
     * Takes the oldest event, waiting up to {@code timeoutNanos}; null on timeout or after {@link #wakeUp()}.
     * Marks the consumer busy until {@link #markIdle()}.
     */
    PublishEvent poll(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeoutNanos;
            while (items.isEmpty() && !wakeRequested && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            wakeRequested = false;
            PublishEvent e = items.pollFirst();
            if (e != null) {
                bytes -= e.payloadBytes();
                if (e instanceof MessageRejected) {
                    rejectedCount--;
                }
                busy = true;
            }
            return e;
        } finally {
            lock.unlock();
        }
    }

    /** The consumer finished the event it took (and recorded any follow-up work it owes). */
    void markIdle() {
        lock.lock();
        try {
            busy = false;
        } finally {
            lock.unlock();
        }
    }

    /** Makes a waiting {@link #poll} return early (e.g. an acknowledgement the consumer waits for arrived). */
    void wakeUp() {
        lock.lock();
        try {
            wakeRequested = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Empty and the consumer is not handling an event. */
    boolean isIdle() {
        lock.lock();
        try {
            return items.isEmpty() && !busy;
        } finally {
            lock.unlock();
        }
    }

    /** From now on every offer is dropped (and reported). */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns everything still queued (used when giving up at close). */
    List<PublishEvent> drain() {
        lock.lock();
        try {
            List<PublishEvent> l = new ArrayList<>(items);
            items.clear();
            bytes = 0;
            rejectedCount = 0;
            return l;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    long offered() {
        lock.lock();
        try {
            return offered;
        } finally {
            lock.unlock();
        }
    }
}
