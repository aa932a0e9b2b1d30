package org.xanestream.publisher.kafka;

import java.util.Objects;

/**
 * Configuration of a {@link ResultTopicsConsumer}.
 *
 * @param bootstrapServers  Kafka bootstrap servers, {@code host:port[,host:port]}
 * @param topicPrefix       topic prefix, e.g. {@code xanes} for {@code xanes.scans} …
 * @param fromBeginning     true: read each topic from its earliest retained record (a late viewer sees the
 *                          retained scans and the operando series); false: only records published after start
 * @param pollTimeoutMs     longest wait of one poll, 10–5000 ms
 * @param metadataCheckMs   period of the reachability / new-partition check, 200–60000 ms
 * @param clientId          Kafka client id (shows in broker logs)
 */
public record ResultConsumerConfig(String bootstrapServers, String topicPrefix, boolean fromBeginning,
                                   long pollTimeoutMs, long metadataCheckMs, String clientId) {
    public ResultConsumerConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must be host:port, got an empty string");
        }
        if (topicPrefix == null || topicPrefix.isBlank() || topicPrefix.endsWith(".")) {
            throw new IllegalArgumentException("topicPrefix must be non-empty and not end with '.', got '"
                    + topicPrefix + "'");
        }
        if (pollTimeoutMs < 10 || pollTimeoutMs > 5000) {
            throw new IllegalArgumentException("pollTimeoutMs must be in 10..5000, got " + pollTimeoutMs);
        }
        if (metadataCheckMs < 200 || metadataCheckMs > 60_000) {
            throw new IllegalArgumentException("metadataCheckMs must be in 200..60000, got " + metadataCheckMs);
        }
        clientId = clientId == null || clientId.isBlank() ? "xanestream-dashboard" : clientId;
    }

    /** Broker at {@code 127.0.0.1:9092}, prefix {@code xanes}, from the beginning, 200 ms polls, 2 s checks. */
    public static ResultConsumerConfig defaults() {
        return new ResultConsumerConfig("127.0.0.1:9092", "xanes", true, 200, 2000, "xanestream-dashboard");
    }

    public ResultConsumerConfig withBootstrapServers(String servers) {
        return new ResultConsumerConfig(servers, topicPrefix, fromBeginning, pollTimeoutMs, metadataCheckMs, clientId);
    }

    public ResultConsumerConfig withTopicPrefix(String prefix) {
        return new ResultConsumerConfig(bootstrapServers, prefix, fromBeginning, pollTimeoutMs, metadataCheckMs, clientId);
    }

    public ResultConsumerConfig withFromBeginning(boolean beginning) {
        return new ResultConsumerConfig(bootstrapServers, topicPrefix, beginning, pollTimeoutMs, metadataCheckMs, clientId);
    }
}
