package org.xanestream.deploy.pipeline;

import org.xanestream.deploy.config.ConfigException;
import org.xanestream.deploy.config.ModuleConfigs;
import org.xanestream.deploy.config.Section;
import org.xanestream.deploy.config.XanestreamConfig;
import org.xanestream.deploy.kafka.EmbeddedBrokerConfig;
import org.xanestream.ingest.EventQueueConfig;
import org.xanestream.ingest.adzmq.AdZmqConfig;
import org.xanestream.ingest.dectris.DectrisConfig;
import org.xanestream.ingest.zmq.ZmqReceiverConfig;
import org.xanestream.ingest.zmq.ZmqReceiverMode;
import org.xanestream.processor.fit.FitSettings;
import org.xanestream.processor.session.ProcessorConfig;
import org.xanestream.publisher.http.OpsHttpConfig;
import org.xanestream.publisher.kafka.KafkaPublisherConfig;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything {@link Pipeline#start} needs, as the modules' own config records.
 *
 * @param receiver       ZMQ socket
 * @param protocol       {@code adzmq} or {@code dectris1}
 * @param adZmq          ADZMQ decoder settings (used when protocol is adzmq)
 * @param dectris        DECTRIS decoder settings (used when protocol is dectris1)
 * @param queue          receiver → processor queue
 * @param framePoolBytes frame buffer budget
 * @param processor      processor thread
 * @param fit            per-pixel fits
 * @param kafka          publisher (its bootstrap servers are replaced by the embedded broker's if that runs)
 * @param embeddedBroker the embedded broker to start, or {@code null} to use {@code kafka.bootstrapServers()}
 * @param http           /health and /metrics
 * @param outputDir      HDF5 result files, or {@code null} for none
 */
public record PipelineSettings(ZmqReceiverConfig receiver, String protocol, AdZmqConfig adZmq, DectrisConfig dectris,
                               EventQueueConfig queue, long framePoolBytes, ProcessorConfig processor, FitSettings fit,
                               KafkaPublisherConfig kafka, EmbeddedBrokerConfig embeddedBroker, OpsHttpConfig http,
                               Path outputDir) {
    public PipelineSettings {
        Objects.requireNonNull(receiver, "receiver");
        if (!"adzmq".equals(protocol) && !"dectris1".equals(protocol)) {
            throw new IllegalArgumentException("protocol must be adzmq or dectris1, got '" + protocol + "'");
        }
        Objects.requireNonNull(adZmq, "adZmq");
        Objects.requireNonNull(dectris, "dectris");
        Objects.requireNonNull(queue, "queue");
        if (framePoolBytes <= 0) {
            throw new IllegalArgumentException("framePoolBytes must be > 0, got " + framePoolBytes);
        }
        Objects.requireNonNull(processor, "processor");
        Objects.requireNonNull(fit, "fit");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(http, "http");
    }

    /**
     * Maps a resolved configuration. Without an input section (the demo) the receiver binds a free
     * loopback port and speaks ADZMQ.
     */
    public static PipelineSettings of(XanestreamConfig c) throws ConfigException {
        boolean input = c.sections().contains(Section.INPUT);
        ZmqReceiverConfig receiver = input ? ModuleConfigs.receiver(c)
                : ZmqReceiverConfig.defaults().withEndpoint("tcp://127.0.0.1:*", ZmqReceiverMode.PULL_BIND);
        String protocol = input ? c.get(XanestreamConfig.PROTOCOL) : "adzmq";
        boolean embedded = ModuleConfigs.embeddedKafka(c);
        KafkaPublisherConfig kafka = ModuleConfigs.kafka(c, embedded ? "127.0.0.1:9092" : c.get(XanestreamConfig.KAFKA_BOOTSTRAP));
        return new PipelineSettings(receiver, protocol, ModuleConfigs.adZmq(c), ModuleConfigs.dectris(c),
                ModuleConfigs.queue(c), c.get(XanestreamConfig.FRAME_POOL_BYTES), ModuleConfigs.processor(c),
                ModuleConfigs.fitSettings(c), kafka, embedded ? ModuleConfigs.embeddedBroker(c) : null,
                ModuleConfigs.http(c), c.get(XanestreamConfig.OUTPUT_DIR));
    }

    public PipelineSettings withReceiver(ZmqReceiverConfig r) {
        return new PipelineSettings(r, protocol, adZmq, dectris, queue, framePoolBytes, processor, fit, kafka,
                embeddedBroker, http, outputDir);
    }

    public PipelineSettings withProtocol(String p) {
        return new PipelineSettings(receiver, p, adZmq, dectris, queue, framePoolBytes, processor, fit, kafka,
                embeddedBroker, http, outputDir);
    }

    /** Publishes to an external cluster instead of starting an embedded broker. */
    public PipelineSettings withKafka(KafkaPublisherConfig k) {
        return new PipelineSettings(receiver, protocol, adZmq, dectris, queue, framePoolBytes, processor, fit, k,
                null, http, outputDir);
    }
}
