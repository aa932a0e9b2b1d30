package org.xanestream.publisher.http;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One answer of {@code /health}.
 *
 * @param status         overall state
 * @param uptimeMillis   since the service started
 * @param kafkaConnected whether the Kafka producer currently reaches the broker
 * @param currentScan    the scan being processed, or {@code null}
 * @param queueDepths    events waiting per pipeline stage (e.g. {@code ingest}, {@code publisher})
 * @param counters       cumulative counters worth a glance (frames received, rejected, energy points...)
 * @param problems       human-readable reasons for a status other than OK; empty when OK
 */
public record HealthReport(HealthStatus status, long uptimeMillis, boolean kafkaConnected, String currentScan,
                           Map<String, Integer> queueDepths, Map<String, Long> counters, List<String> problems) {
    public HealthReport {
        Objects.requireNonNull(status, "status");
        queueDepths = Map.copyOf(queueDepths);
        counters = Map.copyOf(counters);
        problems = List.copyOf(problems);
    }
}
