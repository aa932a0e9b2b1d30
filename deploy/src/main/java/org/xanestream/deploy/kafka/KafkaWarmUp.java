package org.xanestream.deploy.kafka;

import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xanestream.processor.ProcessorListener;
import org.xanestream.publisher.kafka.KafkaPublisherConfig;
import org.xanestream.publisher.kafka.KafkaResultPublisher;

/**
 * Publishes the processor's synthetic warm-up scans to temporary topics ({@value #TOPIC_PREFIX}{@code .scans},
 * {@code .points}, {@code .images}, {@code .maps}, {@code .rejected}) of the pipeline's own embedded broker, then
 * deletes them, so that the publishing code — ours, the Kafka producer's (record batches, lz4) and the broker's
 * (produce requests, log appends, batch validation) — is compiled before the first real scan, as the processing
 * kernels are. Without it the first energy point of a run waited ~0.5 s for cold Kafka code (the first record of
 * each partition alone took 70–440 ms), which made it the slowest point of a short run.
 *
 * <p>Only for the embedded broker: on a beamline's own cluster, creating and deleting topics at every start would
 * be an intrusion. Its records never reach the real topics; its metrics go to a registry of its own.
 */
public final class KafkaWarmUp implements AutoCloseable {
    /** Prefix of the temporary topics (independent of {@code kafka.topic-prefix}). */
    public static final String TOPIC_PREFIX = "xanestream-warm-up";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaWarmUp.class);
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private final KafkaPublisherConfig config;
    private final SimpleMeterRegistry registry;
    private final KafkaResultPublisher publisher;
    private boolean closed;

    private KafkaWarmUp(KafkaPublisherConfig config, SimpleMeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.publisher = KafkaResultPublisher.start(config, registry, Clock.systemUTC());
    }

    /**
     * Starts a publisher with the deployed settings on the temporary topics (created by it).
     *
     * @param deployed the pipeline's publisher settings, bootstrap servers pointing at the embedded broker
     * @throws IllegalArgumentException if the deployed topic prefix is {@value #TOPIC_PREFIX} (the warm-up would
     *                                  publish to, then delete, the real topics)
     */
    public static KafkaWarmUp start(KafkaPublisherConfig deployed) {
        if (deployed.topicPrefix().equals(TOPIC_PREFIX)) {
            throw new IllegalArgumentException("the deployed topic prefix is the warm-up's own (" + TOPIC_PREFIX
                    + "): its topics would be deleted");
        }
        KafkaPublisherConfig c = deployed.toBuilder().topicPrefix(TOPIC_PREFIX).createTopics(true)
                .clientId(deployed.clientId() + "-warm-up").build();
        return new KafkaWarmUp(c, new SimpleMeterRegistry());
    }

    /** Where the warm-up scans' results go. */
    public ProcessorListener listener() {
        return publisher;
    }

    /** Records of the warm-up the broker acknowledged so far. */
    public long recordsAcknowledged() {
        return KafkaResultPublisher.records(registry, "sent");
    }

    /**
     * Waits (at most 30 s) until everything handed over is acknowledged, closes the publisher and deletes the
     * temporary topics (at most ~10 s more). Problems are logged, never thrown: the warm-up only saves time.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!publisher.awaitIdle(DRAIN)) {
                LOG.warn("Kafka warm-up: not everything was acknowledged within {} s", DRAIN.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            publisher.close();
        }
        Properties p = KafkaResultPublisher.adminProperties(config);
        // shorter than the publisher's: the deletion is waited for 10 s at most
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        Admin admin = null;
        try {
            admin = Admin.create(p);
            admin.deleteTopics(config.topics().all()).all().get(10, TimeUnit.SECONDS);
            LOG.info("Kafka warm-up: {} records acknowledged; temporary topics {}.* deleted", recordsAcknowledged(),
                    TOPIC_PREFIX);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("Kafka warm-up: temporary topics {}.* not deleted: {}", TOPIC_PREFIX, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
            }
        }
    }
}
