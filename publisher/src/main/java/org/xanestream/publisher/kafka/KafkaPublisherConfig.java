package org.xanestream.publisher.kafka;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.xanestream.processor.session.ProcessorConfig;

/**
 * Configuration of the {@link KafkaResultPublisher}. Validated on construction: every message names the
 * bad value and the accepted range. Start from {@link #defaults()} and change what you need with
 * {@link #toBuilder()}.
 *
 * @param bootstrapServers         Kafka bootstrap servers, {@code host:port[,host:port...]}
 * @param topicPrefix              topics are {@code <prefix>.scans|points|images|maps|rejected}; Kafka topic characters only
 * @param clientId                 producer/admin client id (appears in broker logs and quotas)
 * @param createTopics             create missing topics through the Admin API before publishing
 * @param partitions               partitions of created topics (records of a scan share its key, so one scan
 *                                 stays in one partition whatever the count)
 * @param replicationFactor        replication factor of created topics; -1 = the broker's default
 * @param retentionMs              {@code retention.ms} of the JSON topics (scans, points, rejected); -1 = forever
 * @param binaryRetentionMs        {@code retention.ms} of the binary topics (images, maps); -1 = forever
 * @param binaryRetentionBytes     {@code retention.bytes} per partition of the binary topics; -1 = no size limit
 * @param compression              producer {@code compression.type}: none, lz4, zstd, snappy or gzip
 * @param lingerMs                 producer {@code linger.ms}
 * @param maxRecordValueBytes      row bands are cut so that no record value exceeds this; 64 KiB to 900 KiB
 *                                 (Kafka's default {@code message.max.bytes} is 1 MiB including overhead)
 * @param liveMapMaxSide           live (non-final) maps are mean-binned so that neither side exceeds this; 0 = never bin
 * @param liveMapMinIntervalMs     at most one live publication per map per this interval; 0 = publish every update
 * @param imageMaxSide             images are mean-binned so that neither side exceeds this; 0 = never bin
 * @param imageMinIntervalMs       at most one image per scan per this interval (newer images supersede
 *                                 waiting ones; the last image of a scan is always published); 0 = every image
 * @param progressIntervalMs       a {@code progress} record per open scan every this many milliseconds
 * @param queueCapacity            hand-off queue capacity in events (all kinds)
 * @param rejectedQueueCapacity    at most this many of the queued events may be rejected-message records, so a
 *                                 flood of bad input cannot crowd out results
 * @param queueMaxBytes            pixel bytes (images and maps) the hand-off queue may retain
 * @param maxInFlightBytes         record bytes handed to the producer but not yet acknowledged; the publisher
 *                                 thread waits (never the caller) when this is reached, so the producer buffer
 *                                 ({@code buffer.memory}, sized from this) never blocks {@code send}
 * @param deliveryTimeoutMs        producer {@code delivery.timeout.ms}: how long a record is retried (e.g. across a
 *                                 broker outage) before it counts as failed
 * @param maxBlockMs               producer {@code max.block.ms}: longest wait for topic metadata in {@code send}
 * @param closeTimeoutMs           {@link KafkaResultPublisher#close()} waits this long to deliver what is queued
 */
public record KafkaPublisherConfig(String bootstrapServers, String topicPrefix, String clientId, boolean createTopics,
                                   int partitions, int replicationFactor, long retentionMs, long binaryRetentionMs,
                                   long binaryRetentionBytes, String compression, int lingerMs,
                                   int maxRecordValueBytes, int liveMapMaxSide, long liveMapMinIntervalMs,
                                   int imageMaxSide, long imageMinIntervalMs, long progressIntervalMs,
                                   int queueCapacity, int rejectedQueueCapacity, long queueMaxBytes,
                                   long maxInFlightBytes, long deliveryTimeoutMs, long maxBlockMs,
                                   long closeTimeoutMs) {

    /** Largest record value a default broker accepts with margin for key, headers and batch overhead. */
    public static final int MAX_RECORD_VALUE_LIMIT = 900 * 1024;
    /** Accepted {@code compression} values. */
    public static final Set<String> COMPRESSIONS = Set.of("none", "lz4", "zstd", "snappy", "gzip");
    private static final Pattern TOPIC_CHARS = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final long MIB = 1024L * 1024;

    public KafkaPublisherConfig {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers '" + bootstrapServers + "' must be host:port[,host:port...]");
        }
        if (topicPrefix == null || topicPrefix.isEmpty() || topicPrefix.length() > 200
                || !TOPIC_CHARS.matcher(topicPrefix).matches()) {
            throw new IllegalArgumentException("topicPrefix '" + topicPrefix
                    + "' must be 1..200 characters of [a-zA-Z0-9._-]");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("clientId '" + clientId + "' must not be blank");
        }
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("partitions " + partitions + " out of range 1..10000");
        }
        if (replicationFactor != -1 && (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE)) {
            throw new IllegalArgumentException("replicationFactor " + replicationFactor
                    + " must be -1 (broker default) or 1..32767");
        }
        requireRetention("retentionMs", retentionMs);
        requireRetention("binaryRetentionMs", binaryRetentionMs);
        if (binaryRetentionBytes != -1 && binaryRetentionBytes < MIB) {
            throw new IllegalArgumentException("binaryRetentionBytes " + binaryRetentionBytes
                    + " must be -1 (no limit) or >= 1048576");
        }
        compression = compression == null ? null : compression.toLowerCase(Locale.ROOT);
        if (compression == null || !COMPRESSIONS.contains(compression)) {
            throw new IllegalArgumentException("compression '" + compression + "' must be one of " + COMPRESSIONS);
        }
        if (lingerMs < 0 || lingerMs > 60_000) {
            throw new IllegalArgumentException("lingerMs " + lingerMs + " out of range 0..60000");
        }
        if (maxRecordValueBytes < 64 * 1024 || maxRecordValueBytes > MAX_RECORD_VALUE_LIMIT) {
            throw new IllegalArgumentException("maxRecordValueBytes " + maxRecordValueBytes + " out of range 65536.."
                    + MAX_RECORD_VALUE_LIMIT);
        }
        requireSide("liveMapMaxSide", liveMapMaxSide);
        requireSide("imageMaxSide", imageMaxSide);
        requireInterval("liveMapMinIntervalMs", liveMapMinIntervalMs);
        requireInterval("imageMinIntervalMs", imageMinIntervalMs);
        if (progressIntervalMs < 100 || progressIntervalMs > 3_600_000) {
            throw new IllegalArgumentException("progressIntervalMs " + progressIntervalMs + " out of range 100..3600000");
        }
        if (queueCapacity < 16 || queueCapacity > 1_000_000) {
            throw new IllegalArgumentException("queueCapacity " + queueCapacity + " out of range 16..1000000");
        }
        if (rejectedQueueCapacity < 1 || rejectedQueueCapacity > queueCapacity) {
            throw new IllegalArgumentException("rejectedQueueCapacity " + rejectedQueueCapacity + " out of range 1.."
                    + queueCapacity + " (queueCapacity)");
        }
        if (queueMaxBytes < MIB) {
            throw new IllegalArgumentException("queueMaxBytes " + queueMaxBytes + " must be >= 1048576");
        }
        if (maxInFlightBytes < 2 * MIB || maxInFlightBytes > 1024 * MIB) {
            throw new IllegalArgumentException("maxInFlightBytes " + maxInFlightBytes + " out of range 2 MiB..1 GiB");
        }
        if (deliveryTimeoutMs < 60_000 || deliveryTimeoutMs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("deliveryTimeoutMs " + deliveryTimeoutMs + " out of range 60000.."
                    + Integer.MAX_VALUE);
        }
        if (maxBlockMs < 1000 || maxBlockMs > 3_600_000) {
            throw new IllegalArgumentException("maxBlockMs " + maxBlockMs + " out of range 1000..3600000");
        }
        if (closeTimeoutMs < 0 || closeTimeoutMs > 3_600_000) {
            throw new IllegalArgumentException("closeTimeoutMs " + closeTimeoutMs + " out of range 0..3600000");
        }
    }

    /**
     * Defaults: {@code 127.0.0.1:9092}, prefix {@code xanes}, topics created with 1 partition, JSON topics kept
     * 7 days and binary topics 24 hours, lz4 compression (maps shrink 1.4x to 200x at 100 to 2000 MB/s per core;
     * noisy mu images do not shrink but lz4 passes them at ~700 MB/s: measurements in docs/kafka-topics.md),
     * live maps and images binned to at most 1024 per side and at most one per second,
     * progress every 2 s, a 4096-event / 512 MiB hand-off queue, 64 MiB in flight, records retried for one hour.
     */
    public static KafkaPublisherConfig defaults() {
        return new KafkaPublisherConfig("127.0.0.1:9092", "xanes", "xanestream-publisher", true, 1, -1,
                7L * 24 * 3600 * 1000, 24L * 3600 * 1000, -1, "lz4", 5, MAX_RECORD_VALUE_LIMIT,
                ProcessorConfig.DEFAULT_LIVE_MAPS_MAX_SIDE, 1000, 1024, 1000, 2000, 4096, 1024, 512 * MIB, 64 * MIB,
                3_600_000, 60_000, 10_000);
    }

    /** The topic names under {@link #topicPrefix()}. */
    public KafkaTopics topics() {
        return new KafkaTopics(topicPrefix);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Starts from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    private static void requireRetention(String name, long ms) {
        if (ms != -1 && ms < 60_000) {
            throw new IllegalArgumentException(name + " " + ms + " must be -1 (forever) or >= 60000");
        }
    }

    private static void requireSide(String name, int side) {
        if (side != 0 && (side < 16 || side > 65536)) {
            throw new IllegalArgumentException(name + " " + side + " must be 0 (never bin) or 16..65536");
        }
    }

    private static void requireInterval(String name, long ms) {
        if (ms < 0 || ms > 3_600_000) {
            throw new IllegalArgumentException(name + " " + ms + " out of range 0..3600000");
        }
    }

    /** Mutable builder; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private String bootstrapServers;
        private String topicPrefix;
        private String clientId;
        private boolean createTopics;
        private int partitions;
        private int replicationFactor;
        private long retentionMs;
        private long binaryRetentionMs;
        private long binaryRetentionBytes;
        private String compression;
        private int lingerMs;
        private int maxRecordValueBytes;
        private int liveMapMaxSide;
        private long liveMapMinIntervalMs;
        private int imageMaxSide;
        private long imageMinIntervalMs;
        private long progressIntervalMs;
        private int queueCapacity;
        private int rejectedQueueCapacity;
        private long queueMaxBytes;
        private long maxInFlightBytes;
        private long deliveryTimeoutMs;
        private long maxBlockMs;
        private long closeTimeoutMs;

        private Builder(KafkaPublisherConfig c) {
            Objects.requireNonNull(c, "config");
            bootstrapServers = c.bootstrapServers;
            topicPrefix = c.topicPrefix;
            clientId = c.clientId;
            createTopics = c.createTopics;
            partitions = c.partitions;
            replicationFactor = c.replicationFactor;
            retentionMs = c.retentionMs;
            binaryRetentionMs = c.binaryRetentionMs;
            binaryRetentionBytes = c.binaryRetentionBytes;
            compression = c.compression;
            lingerMs = c.lingerMs;
            maxRecordValueBytes = c.maxRecordValueBytes;
            liveMapMaxSide = c.liveMapMaxSide;
            liveMapMinIntervalMs = c.liveMapMinIntervalMs;
            imageMaxSide = c.imageMaxSide;
            imageMinIntervalMs = c.imageMinIntervalMs;
            progressIntervalMs = c.progressIntervalMs;
            queueCapacity = c.queueCapacity;
            rejectedQueueCapacity = c.rejectedQueueCapacity;
            queueMaxBytes = c.queueMaxBytes;
            maxInFlightBytes = c.maxInFlightBytes;
            deliveryTimeoutMs = c.deliveryTimeoutMs;
            maxBlockMs = c.maxBlockMs;
            closeTimeoutMs = c.closeTimeoutMs;
        }

        public Builder bootstrapServers(String v) {
            bootstrapServers = v;
            return this;
        }

        public Builder topicPrefix(String v) {
            topicPrefix = v;
            return this;
        }

        public Builder clientId(String v) {
            clientId = v;
            return this;
        }

        public Builder createTopics(boolean v) {
            createTopics = v;
            return this;
        }

        public Builder partitions(int v) {
            partitions = v;
            return this;
        }

        public Builder replicationFactor(int v) {
            replicationFactor = v;
            return this;
        }

        public Builder retentionMs(long v) {
            retentionMs = v;
            return this;
        }

        public Builder binaryRetentionMs(long v) {
            binaryRetentionMs = v;
            return this;
        }

        public Builder binaryRetentionBytes(long v) {
            binaryRetentionBytes = v;
            return this;
        }

        public Builder compression(String v) {
            compression = v;
            return this;
        }

        public Builder lingerMs(int v) {
            lingerMs = v;
            return this;
        }

        public Builder maxRecordValueBytes(int v) {
            maxRecordValueBytes = v;
            return this;
        }

        public Builder liveMapMaxSide(int v) {
            liveMapMaxSide = v;
            return this;
        }

        public Builder liveMapMinIntervalMs(long v) {
            liveMapMinIntervalMs = v;
            return this;
        }

        public Builder imageMaxSide(int v) {
            imageMaxSide = v;
            return this;
        }

        public Builder imageMinIntervalMs(long v) {
            imageMinIntervalMs = v;
            return this;
        }

        public Builder progressIntervalMs(long v) {
            progressIntervalMs = v;
            return this;
        }

        public Builder queueCapacity(int v) {
            queueCapacity = v;
            return this;
        }

        public Builder rejectedQueueCapacity(int v) {
            rejectedQueueCapacity = v;
            return this;
        }

        public Builder queueMaxBytes(long v) {
            queueMaxBytes = v;
            return this;
        }

        public Builder maxInFlightBytes(long v) {
            maxInFlightBytes = v;
            return this;
        }

        public Builder deliveryTimeoutMs(long v) {
            deliveryTimeoutMs = v;
            return this;
        }

        public Builder maxBlockMs(long v) {
            maxBlockMs = v;
            return this;
        }

        public Builder closeTimeoutMs(long v) {
            closeTimeoutMs = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the bad value */
        public KafkaPublisherConfig build() {
            return new KafkaPublisherConfig(bootstrapServers, topicPrefix, clientId, createTopics, partitions,
                    replicationFactor, retentionMs, binaryRetentionMs, binaryRetentionBytes, compression, lingerMs,
                    maxRecordValueBytes, liveMapMaxSide, liveMapMinIntervalMs, imageMaxSide, imageMinIntervalMs,
                    progressIntervalMs, queueCapacity, rejectedQueueCapacity, queueMaxBytes, maxInFlightBytes,
                    deliveryTimeoutMs, maxBlockMs, closeTimeoutMs);
        }
    }
}
