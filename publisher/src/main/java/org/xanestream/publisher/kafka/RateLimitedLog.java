package org.xanestream.publisher.kafka;

import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;

/**
 * Logs at most one message per key per interval and says how many were suppressed in between, so a broker
 * outage or a flood of drops cannot flood the log while nothing goes unreported (the counters in the metrics
 * are exact). Thread-safe (synchronized; called rarely relative to the work it reports).
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final Map<String, long[]> state = new HashMap<>();

    RateLimitedLog(Logger log, long intervalMillis) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    void warn(String key, String format, Object... args) {
        String msg = admit(key);
        if (msg != null) {
            log.warn(format + msg, args);
        }
    }

    void error(String key, String format, Object... args) {
        String msg = admit(key);
        if (msg != null) {
            log.error(format + msg, args);
        }
    }

    /** Reports the suppressed counts that were not yet reported. */
    synchronized void flush() {
        for (Map.Entry<String, long[]> e : state.entrySet()) {
            if (e.getValue()[1] > 0) {
                log.warn("{} further '{}' messages were suppressed", e.getValue()[1], e.getKey());
                e.getValue()[1] = 0;
            }
        }
    }

    /** null if suppressed, else the suffix to append (the suppressed count since the last message). */
    private synchronized String admit(String key) {
        long now = System.nanoTime();
        long[] s = state.get(key);
        if (s == null) {
            state.put(key, new long[]{now, 0});
            return "";
        }
        if (now - s[0] < intervalNanos) {
            s[1]++;
            return null;
        }
        long suppressed = s[1];
        s[0] = now;
        s[1] = 0;
        return suppressed == 0 ? "" : " (" + suppressed + " similar messages suppressed in the last interval)";
    }
}
