package org.xanestream.ingest.zmq;

import org.slf4j.Logger;

/**
 * Logs at most one warning per key per interval and says how many were suppressed in between, so a
 * stream of bad messages cannot flood the log. Used by one thread (the receive thread); allocates
 * only when it actually logs.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final long[] lastNanos;
    private final boolean[] logged;
    private final long[] suppressed;

    RateLimitedLog(Logger log, long intervalNanos, int keys) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.lastNanos = new long[keys];
        this.logged = new boolean[keys];
        this.suppressed = new long[keys];
    }

    /** Logs {@code "{source}: {what}: {detail}"} at WARN unless key {@code key} logged within the interval. */
    void warn(int key, long nowNanos, String source, String what, String detail) {
        if (logged[key] && nowNanos - lastNanos[key] < intervalNanos) {
            suppressed[key]++;
            return;
        }
        long skipped = suppressed[key];
        logged[key] = true;
        lastNanos[key] = nowNanos;
        suppressed[key] = 0;
        if (skipped > 0) {
            log.warn("{}: {}: {} ({} more like it since the last report)", source, what, detail, skipped);
        } else {
            log.warn("{}: {}: {}", source, what, detail);
        }
    }
}
