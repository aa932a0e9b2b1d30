package org.xanestream.deploy.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(p)) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                List<String> left = topics.stream().filter(t -> t.startsWith(KafkaWarmUp.TOPIC_PREFIX + ".")
                        || t.startsWith("deployed.")).toList();
                assertEquals(List.of(), left, "temporary topics deleted, the deployed prefix untouched");
            }
        }
    }
}
