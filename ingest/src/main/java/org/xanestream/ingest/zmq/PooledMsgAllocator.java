package org.xanestream.ingest.zmq;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import zmq.Msg;
import zmq.msg.MsgAllocator;

/**
 * A JeroMQ {@link MsgAllocator} that recycles message buffers, so receiving large frames creates no
 * pixel-sized garbage (JeroMQ's default allocates a fresh buffer per message).
 *
 * <p>JeroMQ's I/O thread calls {@link #allocate} for each incoming part and reads the bytes into the
 * returned message; the receive thread hands the message back with {@link #release} once decoded.
 * Messages up to 64 KiB get heap buffers (4 KiB steps), larger ones direct buffers with 1/8 headroom
 * (so compressed frames of varying size reuse one buffer) rounded to 64 KiB. A request takes the
 * smallest free buffer that is large enough but not more than twice the size. Free buffers beyond the
 * retention budget are left to the garbage collector, oldest first. Messages JeroMQ drops internally
 * are never released and are simply collected.
 *
 * <p>Thread safe (one monitor). Per call it allocates only the small {@link Msg} wrapper.
 */
final class PooledMsgAllocator implements MsgAllocator {
    static final int SMALL_LIMIT = 64 * 1024;
    private static final int SMALL_STEP = 4 * 1024;
    private static final int LARGE_STEP = 64 * 1024;

    /** A message whose buffer belongs to this pool. */
    static final class PooledMsg extends Msg {
        final ByteBuffer pooled;

        PooledMsg(ByteBuffer pooled, int size) {
            super(window(pooled, size));
            this.pooled = pooled;
        }

        private static ByteBuffer window(ByteBuffer b, int size) {
            b.clear();
            b.limit(size);
            return b;
        }
    }

    private final long retainBytes;
    private ByteBuffer[] free = new ByteBuffer[16]; // guarded by this, oldest first
    private int freeCount;                           // guarded by this
    private long freeBytes;                          // guarded by this
    private final AtomicLong allocations = new AtomicLong();
    private final AtomicLong allocatedBytes = new AtomicLong();

    /** @param retainBytes most bytes of free buffers kept for reuse */
    PooledMsgAllocator(long retainBytes) {
        this.retainBytes = retainBytes;
    }

    @Override
    public Msg allocate(int size) {
        ByteBuffer b = takeFree(size);
        if (b == null) {
            int capacity = capacityFor(size);
            b = capacity <= SMALL_LIMIT ? ByteBuffer.allocate(capacity) : ByteBuffer.allocateDirect(capacity);
            allocations.incrementAndGet();
            allocatedBytes.addAndGet(capacity);
        }
        return new PooledMsg(b, size);
    }

    static int capacityFor(int size) {
        if (size <= SMALL_LIMIT) {
            return Math.max(SMALL_STEP, (size + SMALL_STEP - 1) / SMALL_STEP * SMALL_STEP);
        }
        long withHeadroom = (long) size + size / 8;
        long rounded = (withHeadroom + LARGE_STEP - 1) / LARGE_STEP * LARGE_STEP;
        return (int) Math.min(rounded, Integer.MAX_VALUE - 8);
    }

    private synchronized ByteBuffer takeFree(int size) {
        int best = -1;
        long upper = 2L * size + SMALL_STEP;
        for (int i = 0; i < freeCount; i++) {
            int cap = free[i].capacity();
            if (cap >= size && cap <= upper && (best < 0 || cap < free[best].capacity())) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        ByteBuffer b = free[best];
        removeAt(best);
        return b;
    }

    private void removeAt(int i) {
        freeBytes -= free[i].capacity();
        System.arraycopy(free, i + 1, free, i, freeCount - i - 1);
        free[--freeCount] = null;
    }

    /** Returns a message's buffer to the pool; messages from elsewhere are ignored. Call once per message. */
    void release(Msg msg) {
        if (!(msg instanceof PooledMsg)) {
            return;
        }
        ByteBuffer b = ((PooledMsg) msg).pooled;
        synchronized (this) {
            if (freeCount == free.length) {
                ByteBuffer[] bigger = new ByteBuffer[free.length * 2];
                System.arraycopy(free, 0, bigger, 0, freeCount);
                free = bigger;
            }
            free[freeCount++] = b;
            freeBytes += b.capacity();
            while (freeBytes > retainBytes && freeCount > 0) {
                removeAt(0);
            }
        }
    }

    /** Buffers created since start; constant in steady state. */
    long allocations() {
        return allocations.get();
    }

    /** Bytes of buffers created since start. */
    long allocatedBytes() {
        return allocatedBytes.get();
    }

    /** Bytes of free buffers held for reuse now. */
    synchronized long freeBytes() {
        return freeBytes;
    }
}
