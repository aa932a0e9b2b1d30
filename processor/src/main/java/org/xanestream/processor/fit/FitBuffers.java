package org.xanestream.processor.fit;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Pixel arrays handed back by fits for later fits: the accumulator planes of a closed
 * {@link IncrementalXanesFit} and the map arrays of released snapshots ({@link org.xanestream.processor.MapsLease}).
 * A new array from the JVM is zeroed by the allocating thread before use, and for large images these are big: a
 * 2048×2048 fit has about 0.5 GB of planes and each snapshot 224 MB of maps, whose zeroing and collection cost
 * a fifth of a snapshot's or a refit's time. Arrays taken from here hold old values: the fit overwrites every
 * map pixel, and zeroes reused planes block by block just before a batch first accumulates into them (while
 * they are in cache), or whole when a single image is the first.
 *
 * <p>Bounded: holds at most {@code maxBytes}; to keep a new array it drops the oldest ones held (say, of a former
 * image size), which the garbage collector then takes. One
 * instance can serve every fit of a processor (an operando series reuses the previous scan's arrays), or a
 * single fit (its snapshots reuse released maps).
 *
 * <p>Thread safe.
 */
public final class FitBuffers {
    /** What a processor keeps by default: the planes and one set of maps of a 2048×2048 fit, and some. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    private final long maxBytes;
    /** Held arrays (double[] planes, float[] maps), oldest first. */
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private long bytes;
    private long reused;

    /**
     * @param maxBytes most bytes held at once (0: keep nothing)
     * @throws IllegalArgumentException if negative
     */
    public FitBuffers(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** A plane of {@code length} values, held values unspecified; null if none is held. */
    synchronized double[] takePlane(int length) {
        return (double[]) take(double[].class, length);
    }

    /** A map array of {@code length} values, held values unspecified; null if none is held. */
    synchronized float[] takeMap(int length) {
        return (float[]) take(float[].class, length);
    }

    /** The newest held array of class {@code type} and {@code length} elements, removed; null if none. */
    private Object take(Class<?> type, int length) {
        for (Iterator<Object> it = held.descendingIterator(); it.hasNext(); ) {
            Object a = it.next();
            if (a.getClass() == type && java.lang.reflect.Array.getLength(a) == length) {
                it.remove();
                bytes -= size(a);
                reused++;
                return a;
            }
        }
        return null;
    }

    private static long size(Object array) {
        return array instanceof double[] p ? 8L * p.length : 4L * ((float[]) array).length;
    }

    /** Keeps {@code plane} for a later fit (dropping the oldest arrays held if need be); the caller no longer uses it. */
    synchronized void givePlane(double[] plane) {
        keep(plane);
    }

    /** Keeps {@code map} for a later snapshot (dropping the oldest arrays held if need be); nobody reads it any more. */
    synchronized void giveMap(float[] map) {
        keep(map);
    }

    private void keep(Object array) {
        long size = size(array);
        if (size > maxBytes) {
            return;
        }
        while (bytes + size > maxBytes) {
            bytes -= size(held.pollFirst());
        }
        held.addLast(array);
        bytes += size;
    }

    /** Bytes held now. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Arrays handed out again so far. */
    public synchronized long reused() {
        return reused;
    }

    /** Drops every array held (the garbage collector takes them). */
    public synchronized void clear() {
        held.clear();
        bytes = 0;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
