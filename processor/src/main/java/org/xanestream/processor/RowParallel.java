package org.xanestream.processor;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits per-pixel work across rows on a small fixed pool sized to the cores. The calling thread
 * works on the first band itself, so {@code threads = 1} runs everything inline.
 *
 * <p>Thread safe. {@link #forEachBand} allocates one small task object per extra band (a few per
 * energy point, never per pixel).
 */
public final class RowParallel implements AutoCloseable {
    /** Work on rows {@code [row0, row1)}. */
    @FunctionalInterface
    public interface BandTask {
        void run(int row0, int row1);
    }

    private final int threads;
    private final ExecutorService pool;

    /** @param threads total threads including the caller; 1 = inline */
    public RowParallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        if (threads == 1) {
            pool = null;
        } else {
            AtomicInteger n = new AtomicInteger();
            ThreadFactory tf = r -> {
                Thread t = new Thread(r, "xanes-rows-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            pool = Executors.newFixedThreadPool(threads - 1, tf);
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
     * and waits for all of them. Exceptions of any band are rethrown.
     */
    public void forEachBand(int rows, BandTask task) {
        int bands = Math.min(threads, Math.max(1, rows));
        if (bands == 1 || pool == null) {
            task.run(0, rows);
            return;
        }
        @SuppressWarnings("unchecked")
        Future<?>[] futures = new Future<?>[bands - 1];
        for (int b = 1; b < bands; b++) {
            int r0 = (int) ((long) rows * b / bands);
            int r1 = (int) ((long) rows * (b + 1) / bands);
            futures[b - 1] = pool.submit(() -> task.run(r0, r1));
        }
        RuntimeException failure = null;
        try {
            task.run(0, (int) ((long) rows / bands));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for row bands", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) {
                    Throwable c = e.getCause();
                    failure = c instanceof RuntimeException re ? re : new IllegalStateException(c);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
