package org.xanestream.publisher.http;

import java.util.Locale;

/** Overall state reported by {@code /health}. */
public enum HealthStatus {
    /** Starting up: not yet receiving. HTTP 503. */
    STARTING(503),
    /** Everything works. HTTP 200. */
    OK(200),
    /**
     * Processing goes on but something needs attention (Kafka unreachable: results are buffered; frames
     * dropped recently). HTTP 200, so an orchestrator does not restart a process that is still useful.
     */
    DEGRADED(200),
    /** Shutting down. HTTP 503. */
    STOPPING(503),
    /** A stage died (receiver or processor thread failed): the process needs a restart. HTTP 503. */
    FAILED(503);

    private final int httpStatus;

    HealthStatus(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The lower-case JSON name. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
