package org.xanestream.publisher.http;

/**
 * Produces the current {@link HealthReport}. Called on the HTTP event loop for every {@code /health}
 * request: must not block (read volatile counters, nothing more).
 */
@FunctionalInterface
public interface HealthProbe {
    HealthReport report();
}
