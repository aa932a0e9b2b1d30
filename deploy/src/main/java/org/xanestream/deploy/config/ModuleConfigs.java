package org.xanestream.deploy.config;

import org.xanestream.deploy.kafka.EmbeddedBrokerConfig;
import org.xanestream.ingest.AttributeMapping;
import org.xanestream.ingest.EventQueueConfig;
import org.xanestream.ingest.QueueFullPolicy;
import org.xanestream.ingest.adzmq.AdZmqConfig;
import org.xanestream.ingest.dectris.DectrisConfig;
import org.xanestream.ingest.zmq.ZmqReceiverConfig;
import org.xanestream.ingest.zmq.ZmqReceiverMode;
import org.xanestream.processor.drift.DriftConfig;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.fit.FitSettings;
import org.xanestream.processor.fit.NormalizationWindows;
import org.xanestream.processor.session.ProcessorConfig;
import org.xanestream.processor.session.SessionConfig;
import org.xanestream.processor.spectra.ReferenceSpectrum;
import org.xanestream.publisher.http.OpsHttpConfig;
import org.xanestream.publisher.kafka.KafkaPublisherConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.xanestream.deploy.config.XanestreamConfig.*;

/**
 * Maps a resolved {@link XanestreamConfig} onto the config records of the other modules. Sections a
 * command does not use map to the records' {@code defaults()}. The records validate themselves; a
 * rejection is reported as a {@link ConfigException} naming the keys involved.
 *
 * <p>Stateless; thread safe.
 */
public final class ModuleConfigs {
    private ModuleConfigs() {
    }

    /** Builds every record the configuration's sections feed, so a bad combination fails at start-up. */
    public static void validate(XanestreamConfig c) throws ConfigException {
        if (c.sections().contains(Section.INPUT)) {
            receiver(c);
            adZmq(c);
            dectris(c);
        }
        if (c.sections().contains(Section.FRAMES)) {
            queue(c);
        }
        if (c.sections().contains(Section.PROCESSING)) {
            fitSettings(c);
            processor(c);
        }
        if (c.sections().contains(Section.KAFKA)) {
            kafka(c, "127.0.0.1:9092");
            if (embeddedKafka(c)) {
                embeddedBroker(c);
            }
        }
        if (c.sections().contains(Section.HTTP)) {
            http(c);
        }
    }

    public static AttributeMapping attributes(XanestreamConfig c) throws ConfigException {
        if (!c.sections().contains(Section.ATTRIBUTES)) {
            return AttributeMapping.defaults();
        }
        return build("attributes.*", () -> new AttributeMapping(c.get(ATTR_ENERGY), c.get(ATTR_KIND), c.get(ATTR_SCAN_ID),
                c.get(ATTR_SAMPLE_CODE), c.get(ATTR_FLAT_CODE), c.get(ATTR_DARK_CODE), c.get(DEFAULT_SCAN_ID)));
    }

    /** The ADZMQ decoder's configuration (attribute names, shape order, size limits). */
    public static AdZmqConfig adZmq(XanestreamConfig c) throws ConfigException {
        AttributeMapping attributes = attributes(c);
        AdZmqConfig d = AdZmqConfig.defaults();
        boolean input = c.sections().contains(Section.INPUT);
        return build("ingest.*", () -> new AdZmqConfig(attributes,
                input ? c.get(ADZMQ_SHAPE_XY) : d.legacyShapeOrder(),
                c.get(MAX_FRAME_BYTES),
                input ? Math.toIntExact(c.get(MAX_HEADER_BYTES)) : d.maxHeaderBytes(),
                c.get(BUFFER_WAIT).toMillis()));
    }

    /** The DECTRIS stream v1 decoder's configuration (attribute names, size limits). */
    public static DectrisConfig dectris(XanestreamConfig c) throws ConfigException {
        AttributeMapping attributes = attributes(c);
        DectrisConfig d = DectrisConfig.defaults();
        boolean input = c.sections().contains(Section.INPUT);
        return build("ingest.*", () -> new DectrisConfig(attributes, c.get(MAX_FRAME_BYTES),
                input ? Math.toIntExact(c.get(MAX_HEADER_BYTES)) : d.maxJsonBytes(), c.get(BUFFER_WAIT).toMillis()));
    }

    /** The ZMQ receiver's socket configuration. */
    public static ZmqReceiverConfig receiver(XanestreamConfig c) throws ConfigException {
        ZmqReceiverConfig d = ZmqReceiverConfig.defaults();
        ZmqReceiverMode mode;
        switch (c.get(ZMQ_MODE)) {
            case "bind": mode = ZmqReceiverMode.PULL_BIND; break;
            case "sub": mode = ZmqReceiverMode.SUB_CONNECT; break;
            case "sub-bind": mode = ZmqReceiverMode.SUB_BIND; break;
            default: mode = ZmqReceiverMode.PULL_CONNECT; break;
        }
        return build("zmq.*", () -> new ZmqReceiverConfig(c.get(ZMQ_ENDPOINT), mode, c.get(ZMQ_RCVHWM),
                d.pollIntervalMs(), d.maxParts(), c.get(ZMQ_MESSAGE_POOL_BYTES), c.get(ZMQ_IO_THREADS),
                d.handshakeIvlMs()));
    }

    /** The receiver → processor queue. */
    public static EventQueueConfig queue(XanestreamConfig c) throws ConfigException {
        QueueFullPolicy policy = c.get(QUEUE_FULL).equals("drop-oldest") ? QueueFullPolicy.DROP_OLDEST : QueueFullPolicy.BLOCK;
        return build("ingest.queue-*", () -> new EventQueueConfig(c.get(QUEUE_CAPACITY), policy));
    }

    /** The element preset with the fit.* overrides applied. */
    public static ElementPreset preset(XanestreamConfig c) throws ConfigException {
        return build("element, fit.*", () -> {
            ElementPreset p = ElementPreset.of(c.get(ELEMENT));
            return new ElementPreset(p.element(),
                    or(c.get(FIT_EDGE_EV), p.edgeEv()),
                    or(c.get(FIT_WHITELINE_LO_EV), p.whitelineLoEv()),
                    or(c.get(FIT_WHITELINE_HI_EV), p.whitelineHiEv()),
                    or(c.get(FIT_EDGE_LO_EV), p.edgeLoEv()),
                    or(c.get(FIT_EDGE_HI_EV), p.edgeHiEv()));
        });
    }

    /** The per-pixel fit settings: preset with overrides, references, whiteline order, mask, windows. */
    public static FitSettings fitSettings(XanestreamConfig c) throws ConfigException {
        ElementPreset preset = preset(c);
        List<ReferenceSpectrum> refs = new ArrayList<>();
        for (ValueType.Reference r : c.get(REFERENCE)) {
            refs.add(r.spectrum());
        }
        return build("fit.*, reference", () -> new FitSettings(preset, refs, c.get(FIT_WHITELINE_ORDER),
                c.get(FIT_MASK_K), new NormalizationWindows(c.get(FIT_PRE_EDGE_GAP_EV), c.get(FIT_PRE_EDGE_WIDE_GAP_EV),
                c.get(FIT_POST_EDGE_GAP_EV), c.get(FIT_POST_EDGE_WIDE_GAP_EV), NormalizationWindows.defaults().minEnergies())));
    }

    /** The processor thread: session grouping, drift, live maps interval, threads. */
    public static ProcessorConfig processor(XanestreamConfig c) throws ConfigException {
        SessionConfig sd = SessionConfig.defaults();
        SessionConfig session = build("session.*", () -> new SessionConfig(c.get(ENERGY_TOLERANCE_EV),
                c.get(SAMPLES_PER_POINT), c.get(FLATS_PER_POINT), sd.flatBankSize(), sd.maxPendingPoints()));
        DriftConfig dd = DriftConfig.defaults();
        int[] roi = roi(c.get(DRIFT_ROI));
        DriftConfig drift = build("drift.*", () -> new DriftConfig(c.get(DRIFT_ENABLED),
                c.get(DRIFT_REFERENCE).equals("first") ? DriftConfig.ReferenceMode.FIRST : DriftConfig.ReferenceMode.RUNNING_MEAN,
                dd.window(), dd.tukeyAlpha(), c.get(DRIFT_GRADIENT), c.get(DRIFT_BIN), c.get(DRIFT_MAX_ANALYSIS_PX),
                roi[0], roi[1], roi[2], roi[3], c.get(DRIFT_RESOLUTION_PX), c.get(DRIFT_MAX_JUMP_PX),
                c.get(DRIFT_MIN_CONFIDENCE), c.get(DRIFT_CROSS_SCAN)));
        ProcessorConfig pd = ProcessorConfig.defaults();
        return build("element, maps.interval, processor.threads, processor.warm-up-scans", () -> new ProcessorConfig(
                c.get(ELEMENT), session, drift, c.get(MAPS_INTERVAL).toMillis(), c.get(THREADS), pd.pollTimeoutMs(),
                c.get(WARM_UP_SCANS), c.sections().contains(Section.KAFKA) ? c.get(KAFKA_LIVE_MAP_MAX_SIDE)
                        : ProcessorConfig.DEFAULT_LIVE_MAPS_MAX_SIDE));
    }

    private static int[] roi(String text) {
        if (text.equals("full")) {
            return new int[4];
        }
        String[] parts = text.split(",");
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
    }

    /** Whether kafka.bootstrap asks for the embedded broker. */
    public static boolean embeddedKafka(XanestreamConfig c) {
        return c.get(KAFKA_BOOTSTRAP).equals("embedded");
    }

    /**
     * The Kafka publisher's configuration.
     *
     * @param bootstrapServers the servers to use (kafka.bootstrap, or the embedded broker's address)
     */
    public static KafkaPublisherConfig kafka(XanestreamConfig c, String bootstrapServers) throws ConfigException {
        return build("kafka.*", () -> KafkaPublisherConfig.builder()
                .bootstrapServers(bootstrapServers)
                .topicPrefix(c.get(KAFKA_TOPIC_PREFIX))
                .clientId(c.get(KAFKA_CLIENT_ID))
                .createTopics(c.get(KAFKA_CREATE_TOPICS))
                .partitions(c.get(KAFKA_PARTITIONS))
                .replicationFactor(c.get(KAFKA_REPLICATION))
                .retentionMs(retentionMs(c.get(KAFKA_RETENTION)))
                .binaryRetentionMs(retentionMs(c.get(KAFKA_BINARY_RETENTION)))
                .compression(c.get(KAFKA_COMPRESSION))
                .maxRecordValueBytes(Math.toIntExact(c.get(KAFKA_MAX_RECORD_BYTES)))
                .liveMapMaxSide(c.get(KAFKA_LIVE_MAP_MAX_SIDE))
                .liveMapMinIntervalMs(c.get(KAFKA_LIVE_MAP_INTERVAL).toMillis())
                .imageMaxSide(c.get(KAFKA_IMAGE_MAX_SIDE))
                .imageMinIntervalMs(c.get(KAFKA_IMAGE_INTERVAL).toMillis())
                .progressIntervalMs(c.get(KAFKA_PROGRESS_INTERVAL).toMillis())
                .queueCapacity(c.get(KAFKA_QUEUE_CAPACITY))
                .rejectedQueueCapacity(Math.max(1, c.get(KAFKA_QUEUE_CAPACITY) / 4))
                .queueMaxBytes(c.get(KAFKA_QUEUE_BYTES))
                .maxInFlightBytes(c.get(KAFKA_INFLIGHT_BYTES))
                .deliveryTimeoutMs(c.get(KAFKA_DELIVERY_TIMEOUT).toMillis())
                .build());
    }

    /** The embedded broker's configuration (kafka.embedded-*). */
    public static EmbeddedBrokerConfig embeddedBroker(XanestreamConfig c) throws ConfigException {
        return build("kafka.embedded-*", () -> EmbeddedBrokerConfig.defaults()
                .withDataDir(c.get(KAFKA_EMBEDDED_DIR))
                .withPort(c.get(KAFKA_EMBEDDED_PORT))
                .withRetentionBytes(c.get(KAFKA_EMBEDDED_RETENTION_BYTES)));
    }

    /** The /health and /metrics server. */
    public static OpsHttpConfig http(XanestreamConfig c) throws ConfigException {
        return build("http.*", () -> new OpsHttpConfig(c.get(HTTP_HOST), c.get(HTTP_PORT)));
    }

    private static long retentionMs(Duration d) {
        return ValueType.FOREVER.equals(d) ? -1 : d.toMillis();
    }

    private static double or(Double v, double fallback) {
        return v == null ? fallback : v;
    }

    private static <T> T build(String keys, Supplier<T> factory) throws ConfigException {
        try {
            return factory.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(keys, "invalid combination of " + keys + ": " + e.getMessage());
        }
    }
}
