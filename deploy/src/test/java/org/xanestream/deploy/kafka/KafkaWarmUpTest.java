package org.xanestream.deploy.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.xanestream.processor.RowParallel;
import org.xanestream.processor.fit.ElementPreset;
import org.xanestream.processor.fit.FitSettings;
import org.xanestream.processor.fit.IncrementalXanesFit;
import org.xanestream.processor.session.ProcessorConfig;
import org.xanestream.processor.session.ProcessorWarmUp;
import org.xanestream.publisher.kafka.KafkaPublisherConfig;

/** The Kafka warm-up against a real (embedded) broker: it publishes, then leaves no topic behind. */
class KafkaWarmUpTest {
    @Test
    void publishesTheLastWarmUpScanToTemporaryTopicsAndDeletesThem() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(EmbeddedBrokerConfig.defaults());
             RowParallel rows = new RowParallel(2)) {
            KafkaPublisherConfig deployed = KafkaPublisherConfig.builder().bootstrapServers(broker.bootstrapServers())
                    .topicPrefix("deployed").build();
            // a topic of the deployed prefix already holding a record
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(p)) {
                admin.createTopics(List.of(new NewTopic("deployed.scans", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Properties pp = new Properties();
            pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("deployed.scans", "kept".getBytes(StandardCharsets.UTF_8))).get(30,
                        TimeUnit.SECONDS);
            }
            FitSettings fit = FitSettings.defaults(ElementPreset.of("Ni"));
            KafkaWarmUp warmUp = KafkaWarmUp.start(deployed);
            ProcessorWarmUp.Result r;
            try {
                r = ProcessorWarmUp.run(ProcessorConfig.defaults().withThreads(2),
                        info -> new IncrementalXanesFit(fit, info.width(), info.height(), rows), 1, warmUp.listener());
            } finally {
                warmUp.close();
            }
            assertEquals(0, r.problems());
            // scan start and end, a record per point, and image and maps bands
            assertTrue(warmUp.recordsAcknowledged() > 2 + r.energyPoints(), warmUp.recordsAcknowledged() + " records");
            try (Admin admin = Admin.create(p)) {
                // deletion reaches the broker's metadata shortly after the controller acknowledged it
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                List<String> left;
                do {
                    Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                    left = topics.stream().filter(t -> t.startsWith(KafkaWarmUp.TOPIC_PREFIX + ".")).sorted().toList();
                    assertTrue(topics.contains("deployed.scans"), topics.toString());
                } while (!left.isEmpty() && System.nanoTime() < deadline);
                assertEquals(List.of(), left, "temporary topics deleted");
            }
            List<ConsumerRecord<byte[], byte[]>> kept = TopicReader.readAll(broker.bootstrapServers(), "deployed.scans");
            assertEquals(List.of("kept"), kept.stream().map(k -> new String(k.value(), StandardCharsets.UTF_8)).toList(),
                    "the deployed prefix untouched");
        }
    }

    @Test
    void refusesTheWarmUpsOwnPrefixAsTheDeployedOne() {
        KafkaPublisherConfig deployed = KafkaPublisherConfig.builder().bootstrapServers("127.0.0.1:9")
                .topicPrefix(KafkaWarmUp.TOPIC_PREFIX).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KafkaWarmUp.start(deployed));
        assertTrue(e.getMessage().contains("would be deleted"), e.getMessage());
    }
}
