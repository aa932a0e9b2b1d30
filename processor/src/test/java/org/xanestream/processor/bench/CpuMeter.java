package org.xanestream.processor.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time and allocated bytes summed over every live thread of the JVM (the caller, the row workers and any
 * library pool), so that a measurement on a shared, loaded machine counts the work done rather than the wall time
 * spent waiting for a core. Threads that end between two readings lose their share: the pools measured here are
 * long-lived.
 *
 * <p>Not thread safe; allocates a small id array per reading.
 */
final class CpuMeter {
    private final com.sun.management.ThreadMXBean mx =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long cpu0;
    private long alloc0;
    private long wall0;

    CpuMeter() {
        mx.setThreadCpuTimeEnabled(true);
        mx.setThreadAllocatedMemoryEnabled(true);
    }

    void start() {
        long[] ids = mx.getAllThreadIds();
        cpu0 = sum(mx.getThreadCpuTime(ids));
        alloc0 = sum(mx.getThreadAllocatedBytes(ids));
        wall0 = System.nanoTime();
    }

    /** {cpu ns, allocated bytes, wall ns} since {@link #start()}. */
    long[] stop() {
        long wall = System.nanoTime() - wall0;
        long[] ids = mx.getAllThreadIds();
        long cpu = sum(mx.getThreadCpuTime(ids)) - cpu0;
        long alloc = sum(mx.getThreadAllocatedBytes(ids)) - alloc0;
        return new long[] {cpu, alloc, wall};
    }

    private static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            if (v > 0) {
                s += v;
            }
        }
        return s;
    }
}
