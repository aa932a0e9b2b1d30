package org.xanestream.ingest;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded pool of {@link Frame} buffers under a memory budget.
 *
 * <p>Buffers are sized in 64 KiB steps; a request reuses a free buffer of the same size class, or
 * allocates one while the budget allows, or evicts free buffers of other sizes (a detector changed its
 * ROI), or waits. In steady state (constant frame size) nothing is allocated.
 *
 * <p>Thread safe: the receive thread acquires, the processing thread releases.
 */
public final class FramePool {
    private static final int SIZE_STEP = 64 * 1024;

    private final long budgetBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final ArrayDeque<Frame> free = new ArrayDeque<>();
    private long allocatedBytes; // guarded by lock
    private final AtomicLong allocations = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();

    /**
     * @param budgetBytes the most bytes of frame buffers alive at once; must hold at least one frame
     */
    public FramePool(long budgetBytes) {
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("budgetBytes must be > 0, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    /** Buffers allocated since start (grows only while the pool fills or the frame size changes). */
    public long allocations() {
        return allocations.get();
    }

    /** How many acquisitions had to wait for a release. */
    public long waits() {
        return waits.get();
    }

    /** Bytes currently allocated (free and in use). */
    public long allocatedBytes() {
        lock.lock();
        try {
            return allocatedBytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a frame buffer of at least {@code bytes}, waiting up to {@code timeout} for one to be released.
     *
     * @return the frame (header unset: call {@link Frame#reset}), or {@code null} on timeout
     * @throws IllegalArgumentException if {@code bytes} exceeds the whole budget
     * @throws InterruptedException if interrupted while waiting
     */
    public Frame acquire(long bytes, long timeout, TimeUnit unit) throws InterruptedException {
        if (bytes > budgetBytes || bytes > Integer.MAX_VALUE - SIZE_STEP) {
            throw new IllegalArgumentException("a frame of " + bytes + " bytes exceeds the frame pool budget of "
                    + budgetBytes + " bytes");
        }
        int capacity = (int) ((Math.max(bytes, 1) + SIZE_STEP - 1) / SIZE_STEP * SIZE_STEP);
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            boolean waited = false;
            while (true) {
                for (var it = free.iterator(); it.hasNext(); ) {
                    Frame f = it.next();
                    if (f.capacityBytes() == capacity) {
                        it.remove();
                        return f;
                    }
                }
                // Evict free buffers of other sizes until the new one fits.
                while (allocatedBytes + capacity > budgetBytes && !free.isEmpty()) {
                    allocatedBytes -= free.removeFirst().capacityBytes();
                }
                if (allocatedBytes + capacity <= budgetBytes) {
                    allocatedBytes += capacity;
                    allocations.incrementAndGet();
                    return new Frame(this, capacity);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                if (!waited) {
                    waits.incrementAndGet();
                    waited = true;
                }
                released.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    void release(Frame frame) {
        lock.lock();
        try {
            free.addLast(frame);
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
