package org.xanestream.processor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits per-pixel work across rows on a small fixed set of worker threads sized to the cores. The calling
 * thread works on the first band itself, so {@code threads = 1} runs everything inline.
 *
 * <p>Hand-off without allocation: each worker has a slot (its band's rows and a generation number) that the
 * caller fills before unparking it; the caller waits, parked, for a counter of outstanding bands to reach zero.
 * A per-frame or per-energy dispatch therefore creates no task, future or queue node (an executor would, on
 * every call), and wakes exactly the workers it needs.
 *
 * <p>Thread safe: concurrent callers take turns. A band task that itself calls {@link #forEachBand} (on a
 * worker or the dispatching thread) runs that nested call inline. After {@link #close()} calls run inline.
 */
public final class RowParallel implements AutoCloseable {
    /** Work on rows {@code [row0, row1)}. */
    @FunctionalInterface
    public interface BandTask {
        void run(int row0, int row1);
    }

    /** Work on rows {@code [row0, row1)} by participant {@code worker} of a {@link #forEachStripe} call. */
    @FunctionalInterface
    public interface StripeTask {
        void run(int worker, int row0, int row1);
    }

    private final int threads;
    private final Worker[] workers;
    private final Object lock = new Object();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** The task of the current dispatch; written before the workers' generations (volatile) are. */
    private BandTask task;
    private volatile Thread dispatcher;
    private volatile boolean closed;

    /** @param threads total threads including the caller; 1 = inline */
    public RowParallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        if (threads == 1) {
            workers = null;
        } else {
            workers = new Worker[threads - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(this, "xanes-rows-" + (i + 1));
                workers[i].start();
            }
        }
    }

    /** A pool with one thread per available processor. */
    public static RowParallel forCores() {
        return new RowParallel(Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over {@code rows} rows split into at most {@link #threads()} contiguous bands
     * and waits for all of them. The first exception of any band is rethrown (after all bands ended).
     */
    public void forEachBand(int rows, BandTask task) {
        int bands = Math.min(threads, Math.max(1, rows));
        Thread me = Thread.currentThread();
        if (bands == 1 || workers == null || closed || me == dispatcher
                || (me instanceof Worker w && w.owner == this)) {
            task.run(0, rows);
            return;
        }
        synchronized (lock) {
            if (closed) {
                task.run(0, rows);
            } else {
                dispatch(rows, bands, task, me);
            }
        }
    }

    /**
     * Runs {@code task} over {@code rows} rows cut into stripes of {@code stripeRows} rows (the last may be
     * shorter) that the threads take one at a time until none is left, and waits for all of them. Unlike
     * the fixed halves of {@link #forEachBand}, a thread that is slowed down (another process on its core,
     * a GC or JIT thread, a slower part of the image) simply takes fewer stripes, so the call ends when
     * the work does. {@code worker} is the participant in {@code [0, threads())}: one participant never
     * runs two stripes at once, so per-worker scratch needs no locking. Which worker gets which stripe
     * varies from call to call; results that must not depend on it are kept per stripe.
     *
     * <p>Allocates a stripe counter and a lambda per call: meant for per-energy and per-snapshot work, not
     * per frame. The first exception of any stripe is rethrown after all participants stopped (the others
     * finish the remaining stripes first).
     *
     * @throws IllegalArgumentException if {@code stripeRows < 1}
     */
    public void forEachStripe(int rows, int stripeRows, StripeTask task) {
        if (stripeRows < 1) {
            throw new IllegalArgumentException("stripeRows must be >= 1, got " + stripeRows);
        }
        int stripes = (int) ((rows + (long) stripeRows - 1) / stripeRows);
        if (stripes <= 0) {
            return;
        }
        AtomicInteger next = new AtomicInteger();
        forEachBand(Math.min(threads, stripes), (w0, w1) -> {
            for (int w = w0; w < w1; w++) {
                for (int s = next.getAndIncrement(); s < stripes; s = next.getAndIncrement()) {
                    int r0 = (int) ((long) s * stripeRows);
                    task.run(w, r0, (int) Math.min(rows, (long) r0 + stripeRows));
                }
            }
        });
    }

    private void dispatch(int rows, int bands, BandTask t, Thread me) {
        dispatcher = me;
        this.task = t;
        failure.set(null);
        pending.set(bands - 1);
        for (int b = 1; b < bands; b++) {
            Worker w = workers[b - 1];
            w.row0 = (int) ((long) rows * b / bands);
            w.row1 = (int) ((long) rows * (b + 1) / bands);
            w.generation = w.generation + 1; // volatile write publishes the slot and the task
            LockSupport.unpark(w);
        }
        try {
            t.run(0, (int) ((long) rows / bands));
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
        }
        boolean interrupted = false;
        // The workers write into the caller's buffers: wait for them even when interrupted.
        while (pending.get() != 0) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        this.task = null;
        dispatcher = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable f = failure.getAndSet(null);
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error err) {
            throw err;
        }
    }

    private void bandDone() {
        if (pending.decrementAndGet() == 0) {
            Thread d = dispatcher;
            if (d != null) {
                LockSupport.unpark(d);
            }
        }
    }

    /** Stops the workers (after a dispatch in progress). Later calls run inline. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (workers != null) {
                for (Worker w : workers) {
                    LockSupport.unpark(w);
                }
            }
        }
    }

    private static final class Worker extends Thread {
        final RowParallel owner;
        /** Incremented by the dispatcher for each band it assigns; the rows are written before it. */
        volatile int generation;
        int row0;
        int row1;

        Worker(RowParallel owner, String name) {
            super(name);
            this.owner = owner;
            setDaemon(true);
        }

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                int g = generation;
                if (g == seen) {
                    if (owner.closed) {
                        return;
                    }
                    LockSupport.park(this);
                    continue;
                }
                seen = g;
                try {
                    owner.task.run(row0, row1);
                } catch (RuntimeException | Error e) {
                    owner.failure.compareAndSet(null, e);
                } finally {
                    owner.bandDone();
                }
            }
        }
    }
}
