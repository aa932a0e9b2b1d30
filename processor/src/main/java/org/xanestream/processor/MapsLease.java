package org.xanestream.processor;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who still reads the map arrays of a {@link MapsSnapshot} whose fitter reuses them: a count of holders,
 * one (the caller of {@code snapshot}) at the start. A holder that keeps the snapshot past the call that
 * handed it over first {@link #retain retains} it, and every holder {@link #release releases} it when it
 * no longer reads the arrays; after the last release the arrays go back to the fitter, which overwrites
 * them in a later snapshot. A holder that never releases only costs the reuse (the arrays stay with the
 * snapshot and the garbage collector takes them as before); a release too early is a bug that later
 * snapshots' values would show in this one's arrays, hence {@link MapsSnapshot#released()} for checks.
 *
 * <p>Thread safe.
 */
public final class MapsLease {
    private final AtomicInteger holders = new AtomicInteger(1);
    private final Runnable onFree;

    private MapsLease(Runnable onFree) {
        this.onFree = Objects.requireNonNull(onFree, "onFree");
    }

    /** A lease held once, running {@code onFree} (once) when the last holder releases it. */
    public static MapsLease of(Runnable onFree) {
        return new MapsLease(onFree);
    }

    /**
     * One more holder.
     *
     * @throws IllegalStateException if every holder already released it (the arrays may be in use elsewhere)
     */
    public void retain() {
        int n;
        do {
            n = holders.get();
            if (n <= 0) {
                throw new IllegalStateException("maps already released: their arrays may hold other maps by now");
            }
        } while (!holders.compareAndSet(n, n + 1));
    }

    /**
     * One holder less; the last one hands the arrays back.
     *
     * @throws IllegalStateException if released more often than held
     */
    public void release() {
        int n;
        do {
            n = holders.get();
            if (n <= 0) {
                throw new IllegalStateException("maps released more often than held");
            }
        } while (!holders.compareAndSet(n, n - 1));
        if (n == 1) {
            onFree.run();
        }
    }

    /** Whether every holder released it. */
    public boolean released() {
        return holders.get() <= 0;
    }

    /** Current holders (for tests and diagnostics). */
    public int holders() {
        return Math.max(0, holders.get());
    }

    @Override
    public String toString() {
        return "MapsLease[holders=" + holders() + "]";
    }
}
