package org.xanestream.publisher.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xanestream.publisher.results.RecordDecodeException;
import org.xanestream.publisher.results.ResultListener;
import org.xanestream.publisher.results.ResultRecordDecoder;
import org.xanestream.publisher.results.TopicKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the five result topics ({@code <prefix>.scans/points/images/maps/rejected}) and delivers
 * decoded events to a {@link ResultListener} on its own thread ({@code xanes-result-consumer}).
 *
 * <p>It assigns every partition of the topics directly (no consumer group, nothing committed: a viewer
 * never disturbs other consumers), starting from the earliest or the latest offset. Topics created
 * after start are picked up by the periodic metadata check, which also drives
 * {@link ResultListener#onSourceState}: a check that fails to reach the cluster within its period
 * reports "disconnected"; the next success reports "connected". Undecodable records are counted,
 * reported through {@link ResultListener#onDecodeError} and skipped.
 *
 * <p>Thread safety: {@link #start()} and {@link #close()} may be called from any thread; counters are
 * readable from any thread. The listener is only ever called from the consumer thread.
 */
public final class ResultTopicsConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResultTopicsConsumer.class);

    private final ResultConsumerConfig config;
    private final ResultListener listener;
    private final ResultRecordDecoder decoder = new ResultRecordDecoder();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final AtomicLong recordsRead = new AtomicLong();
    private final AtomicLong decodeErrors = new AtomicLong();
    private volatile boolean connected;
    private boolean stateReported; // consumer thread only
    private volatile boolean closing;

    public ResultTopicsConsumer(ResultConsumerConfig config, ResultListener listener) {
        this.config = config;
        this.listener = listener;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.clientId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.fromBeginning() ? "earliest" : "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // Bands are < 1 MiB each; a few per partition fetch keeps latency low without buffering much.
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 << 20));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(16 << 20));
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        this.consumer = new KafkaConsumer<>(p);
        this.thread = new Thread(this::run, "xanes-result-consumer");
        this.thread.setDaemon(true);
    }

    /** Starts the consumer thread. */
    public void start() {
        thread.start();
    }

    /** Records delivered or rejected so far. */
    public long recordsRead() {
        return recordsRead.get();
    }

    /** Records that could not be decoded. */
    public long decodeErrors() {
        return decodeErrors.get();
    }

    /** Result of the latest reachability check. */
    public boolean connected() {
        return connected;
    }

    private void run() {
        Set<TopicPartition> assigned = new HashSet<>();
        long nextCheck = 0;
        try {
            while (!closing) {
                long now = System.currentTimeMillis();
                if (now >= nextCheck) {
                    checkMetadata(assigned);
                    nextCheck = System.currentTimeMillis() + config.metadataCheckMs();
                }
                if (assigned.isEmpty()) {
                    Thread.sleep(config.pollTimeoutMs());
                    continue;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(config.pollTimeoutMs()));
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    deliver(r);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            if (!closing) {
                LOG.warn("result consumer interrupted unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("result consumer stopped on an unexpected error", e);
            setConnected(false, "consumer stopped: " + e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void deliver(ConsumerRecord<byte[], byte[]> r) {
        recordsRead.incrementAndGet();
        TopicKind kind = TopicKind.ofTopic(config.topicPrefix(), r.topic());
        if (kind == null) {
            return;
        }
        Headers headers = r.headers();
        try {
            decoder.decode(kind, name -> {
                Header h = headers.lastHeader(name);
                return h == null ? null : ResultRecordDecoder.utf8(h.value());
            }, r.value(), r.timestamp(), listener);
        } catch (RecordDecodeException e) {
            long n = decodeErrors.incrementAndGet();
            if (Long.bitCount(n) == 1) {
                LOG.warn("skipping undecodable record {}-{}@{} ({} so far): {}", r.topic(), r.partition(),
                        r.offset(), n, e.getMessage());
            }
            listener.onDecodeError(kind, e.getMessage());
        } catch (RuntimeException e) {
            // A listener bug must not kill the stream: count it like a bad record.
            decodeErrors.incrementAndGet();
            LOG.error("listener failed on record {}-{}@{}", r.topic(), r.partition(), r.offset(), e);
        }
    }

    private void checkMetadata(Set<TopicPartition> assigned) {
        Map<String, List<PartitionInfo>> topics;
        try {
            topics = consumer.listTopics(Duration.ofMillis(Math.max(500, config.metadataCheckMs() / 2)));
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            setConnected(false, "Kafka at " + config.bootstrapServers() + " unreachable: " + e.getMessage());
            return;
        }
        setConnected(true, "Kafka at " + config.bootstrapServers());
        List<TopicPartition> wanted = new ArrayList<>();
        for (TopicKind k : TopicKind.values()) {
            List<PartitionInfo> parts = topics.get(k.topic(config.topicPrefix()));
            if (parts != null) {
                for (PartitionInfo pi : parts) {
                    wanted.add(new TopicPartition(pi.topic(), pi.partition()));
                }
            }
        }
        if (!assigned.containsAll(wanted)) {
            assigned.addAll(wanted);
            // Re-assigning keeps the positions of partitions already assigned.
            consumer.assign(assigned);
            LOG.info("reading {} result partitions under prefix '{}'", assigned.size(), config.topicPrefix());
        }
    }

    private void setConnected(boolean c, String detail) {
        if (c != connected || !stateReported) {
            stateReported = true;
            connected = c;
            listener.onSourceState(c, detail);
        }
    }

    /** Stops the thread and closes the consumer; waits up to 5 s. */
    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
