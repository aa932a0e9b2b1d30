package org.xanestream.ingest;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-off between a receiver thread (producer) and the processor thread (consumer).
 *
 * <p>A fixed ring of {@link IngestEvent}s; what happens when it is full is the configured
 * {@link QueueFullPolicy}: {@code BLOCK} makes the producer wait (back-pressure), {@code DROP_OLDEST}
 * removes the oldest queued {@link Frame}, releases it to its pool and counts it in {@link #dropped()}.
 * {@link EndOfScan} events are never dropped: if the ring holds no frame to drop, an incoming frame is
 * dropped instead, and an incoming end-of-scan waits like {@code BLOCK}.
 *
 * <p>Ownership: a successful {@link #put} hands the event to the queue; {@link #poll} hands it to the
 * consumer, who must {@link Frame#release()} frames when done.
 *
 * <p>Thread safe (one lock). Does not allocate per event, except the lock's wait nodes when a thread
 * actually has to wait.
 */
public final class BoundedEventQueue {
    private final IngestEvent[] ring;
    private final QueueFullPolicy policy;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private int head;          // guarded by lock: index of the oldest event
    private volatile int count; // written under lock; read without it by size()

    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong blockedPuts = new AtomicLong();
    private final AtomicLong timedOutPuts = new AtomicLong();

    public BoundedEventQueue(EventQueueConfig config) {
        Objects.requireNonNull(config, "config");
        this.ring = new IngestEvent[config.capacity()];
        this.policy = config.fullPolicy();
    }

    public int capacity() {
        return ring.length;
    }

    public QueueFullPolicy policy() {
        return policy;
    }

    /** Events queued now (a racy snapshot, for metrics). */
    public int size() {
        return count;
    }

    /** Events accepted into the ring since creation. */
    public long enqueued() {
        return enqueued.get();
    }

    /** Frames dropped by {@link QueueFullPolicy#DROP_OLDEST} (released to their pool, never delivered). */
    public long dropped() {
        return dropped.get();
    }

    /** Puts that found the queue full and had to wait (back-pressure episodes). */
    public long blockedPuts() {
        return blockedPuts.get();
    }

    /** Puts that gave up after their timeout (the caller kept the event). */
    public long timedOutPuts() {
        return timedOutPuts.get();
    }

    /**
     * Offers an event, applying the full policy.
     *
     * @param event   the event; ownership passes to the queue if this returns {@code true}
     * @param timeout how long to wait for space when waiting is the policy
     * @return {@code true} if the queue took the event (queued, or dropped and released under
     *         {@code DROP_OLDEST}); {@code false} on timeout, the caller still owns the event
     * @throws InterruptedException if interrupted while waiting; the caller still owns the event
     */
    public boolean put(IngestEvent event, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(event, "event");
        Frame victim = null;
        boolean taken = false;
        lock.lockInterruptibly();
        try {
            if (count == ring.length && policy == QueueFullPolicy.DROP_OLDEST) {
                victim = removeOldestFrame();
                if (victim == null && event instanceof Frame) {
                    victim = (Frame) event;
                    taken = true;
                }
            }
            if (!taken) {
                if (count == ring.length) {
                    blockedPuts.incrementAndGet();
                    long left = unit.toNanos(timeout);
                    while (count == ring.length) {
                        if (left <= 0) {
                            timedOutPuts.incrementAndGet();
                            return false;
                        }
                        left = notFull.awaitNanos(left);
                    }
                }
                ring[(head + count) % ring.length] = event;
                count = count + 1;
                enqueued.incrementAndGet();
                notEmpty.signal();
                taken = true;
            }
        } finally {
            lock.unlock();
        }
        if (victim != null) {
            dropped.incrementAndGet();
            victim.release();
        }
        return taken;
    }

    /**
     * Removes the oldest queued frame, releases it to its pool and counts it as dropped, whatever the
     * policy (a producer under {@code DROP_OLDEST} uses it to free a pooled buffer).
     *
     * @return whether a frame was dropped
     */
    public boolean dropOldestFrame() {
        Frame victim;
        lock.lock();
        try {
            victim = removeOldestFrame();
            if (victim != null) {
                notFull.signal();
            }
        } finally {
            lock.unlock();
        }
        if (victim == null) {
            return false;
        }
        dropped.incrementAndGet();
        victim.release();
        return true;
    }

    /** Removes the oldest queued frame, keeping the order of the rest; {@code null} if none. Lock held. */
    private Frame removeOldestFrame() {
        int n = ring.length;
        for (int k = 0; k < count; k++) {
            IngestEvent e = ring[(head + k) % n];
            if (e instanceof Frame) {
                if (k == 0) {
                    ring[head] = null;
                    head = (head + 1) % n;
                } else {
                    for (int j = k; j < count - 1; j++) {
                        ring[(head + j) % n] = ring[(head + j + 1) % n];
                    }
                    ring[(head + count - 1) % n] = null;
                }
                count = count - 1;
                return (Frame) e;
            }
        }
        return null;
    }

    /**
     * Takes the oldest event, waiting up to {@code timeout} for one.
     *
     * @return the event (the caller now owns it), or {@code null} on timeout
     */
    public IngestEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long left = unit.toNanos(timeout);
            while (count == 0) {
                if (left <= 0) {
                    return null;
                }
                left = notEmpty.awaitNanos(left);
            }
            return takeHead();
        } finally {
            lock.unlock();
        }
    }

    /** Takes the oldest event without waiting; {@code null} if empty. */
    public IngestEvent poll() {
        lock.lock();
        try {
            return count == 0 ? null : takeHead();
        } finally {
            lock.unlock();
        }
    }

    private IngestEvent takeHead() {
        IngestEvent e = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        count = count - 1;
        notFull.signal();
        return e;
    }

    /**
     * Removes every queued event, releasing frames to their pools (shutdown).
     *
     * @return how many events were discarded
     */
    public int clear() {
        int n = 0;
        IngestEvent e;
        while ((e = poll()) != null) {
            if (e instanceof Frame) {
                ((Frame) e).release();
            }
            n++;
        }
        return n;
    }
}
