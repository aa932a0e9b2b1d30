package org.xanestream.deploy.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.RejectReason;
import org.xanestream.processor.EnergyPoint;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.publisher.kafka.KafkaPublisherConfig;
import org.xanestream.publisher.kafka.KafkaResultPublisher;

/**
 * The broker goes down in the middle of a scan and comes back on the same port with the same data: the
 * processor-side calls never wait, and afterwards every energy-point record and every final map band is on
 * Kafka exactly once. The processor is played by the test (the full pipeline is the deploy end-to-end test).
 */
class BrokerOutageTest {
    private static final int POINTS_BEFORE = 10;
    private static final int POINTS = 40;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(EmbeddedBrokerConfig.defaults());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyPointAndTheFinalMapsArriveExactlyOnceAcrossABrokerRestartAndPublishingNeverWaits() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KafkaPublisherConfig config = KafkaPublisherConfig.builder().bootstrapServers(broker.bootstrapServers())
                .topicPrefix("outage").liveMapMinIntervalMs(0).imageMinIntervalMs(0).progressIntervalMs(200).build();
        FakeScan scan = new FakeScan("outage-1", 512, 384, 3, "whiteline_ev", "edge_ev", "mask");
        MapsSnapshot fin = scan.maps(POINTS, true);
        long[] maxCallNanos = {0};
        try (KafkaResultPublisher pub = KafkaResultPublisher.start(config, registry, Clock.systemUTC())) {
            pub.onScanStart(scan.info);
            for (int i = 0; i < POINTS_BEFORE; i++) {
                pub.onEnergyPoint(scan.point(i));
                pub.onMaps(scan.maps(i + 1, false));
            }
            assertTrue(pub.awaitIdle(Duration.ofSeconds(120)), "not delivered before the outage");
            double pointsSentBefore = count(registry, "outage.points", "sent");
            assertEquals(POINTS_BEFORE, pointsSentBefore, 1e-9);

            broker.stop();
            // The processor goes on while Kafka is away; a call that waited for Kafka would trip the guard.
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int i = POINTS_BEFORE; i < POINTS; i++) {
                    EnergyPoint point = scan.point(i);
                    MapsSnapshot live = scan.maps(i + 1, false);
                    long t0 = System.nanoTime();
                    pub.onEnergyPoint(point);
                    pub.onMaps(live);
                    if (i == 25) {
                        pub.onRejected(FakeScan.rejection("tcp://127.0.0.1:1", RejectReason.BAD_DTYPE, "{}"));
                    }
                    maxCallNanos[0] = Math.max(maxCallNanos[0], System.nanoTime() - t0);
                }
                long t0 = System.nanoTime();
                pub.onMaps(fin);
                pub.onScanEnd(scan.end(fin));
                maxCallNanos[0] = Math.max(maxCallNanos[0], System.nanoTime() - t0);
            }, "a processor-side call waited for the stopped broker");
            assertFalse(pub.awaitIdle(Duration.ofMillis(300)), "results must be waiting for the broker");
            assertEquals(pointsSentBefore, count(registry, "outage.points", "sent"), 1e-9,
                    "nothing can be acknowledged while the broker is down");
            System.out.printf("broker down: %d points, %d maps snapshots handed over, longest hand-off %.3f ms, "
                            + "%d events queued, %d bytes in flight%n", POINTS - POINTS_BEFORE, POINTS - POINTS_BEFORE + 1,
                    maxCallNanos[0] / 1e6, pub.queuedEvents(), pub.inFlightBytes());
            // Generous bound: it only separates "handed over" from "waited for Kafka" (timeouts are >= 30 s).
            assertTrue(maxCallNanos[0] < 1_000_000_000L, "a hand-off took " + maxCallNanos[0] / 1e6 + " ms");

            broker.start();
            assertTrue(pub.awaitIdle(Duration.ofSeconds(180)), "not delivered after the broker came back");
        }
        for (String topic : List.of("scans", "points", "images", "maps", "rejected")) {
            assertEquals(0.0, count(registry, "outage." + topic, "failed"), topic + " failed");
            assertEquals(0.0, count(registry, "outage." + topic, "dropped"), topic + " dropped");
        }

        String b = broker.bootstrapServers();
        Map<Integer, Integer> pointCount = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(b, "outage.points")) {
            assertEquals("outage-1", TopicReader.key(r));
            pointCount.merge(TopicReader.json(r).get("index").asInt(), 1, Integer::sum);
        }
        assertEquals(POINTS, pointCount.size(), "points delivered: " + pointCount.keySet());
        for (int i = 0; i < POINTS; i++) {
            assertEquals(1, pointCount.get(i), "energy point " + i + " delivered " + pointCount.get(i) + " times");
        }

        Map<Integer, Integer> imageCount = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(b, "outage.images")) {
            imageCount.merge(TopicReader.intHeader(r, "energy_index") * 10_000 + TopicReader.intHeader(r, "row0"), 1,
                    Integer::sum);
        }
        for (Map.Entry<Integer, Integer> e : imageCount.entrySet()) {
            assertEquals(1, e.getValue(), "image band " + e.getKey() + " duplicated");
        }

        List<ConsumerRecord<byte[], byte[]>> maps = TopicReader.readAll(b, "outage.maps");
        Map<String, Integer> bandCount = new HashMap<>();
        int finalBands = 0;
        for (ConsumerRecord<byte[], byte[]> r : maps) {
            String id = TopicReader.header(r, "map") + "/" + TopicReader.header(r, "version") + "/"
                    + TopicReader.header(r, "final") + "/" + TopicReader.header(r, "row0");
            bandCount.merge(id, 1, Integer::sum);
            if ("true".equals(TopicReader.header(r, "final"))) {
                finalBands++;
            }
        }
        for (Map.Entry<String, Integer> e : bandCount.entrySet()) {
            assertEquals(1, e.getValue(), "map band " + e.getKey() + " delivered " + e.getValue() + " times");
        }
        assertEquals(3, finalBands, "one band per final map (384 rows of 512 px fit one 768 KiB band)");
        MapAssembler assembled = MapAssembler.of(maps);
        for (int k = 0; k < scan.mapNames.length; k++) {
            MapAssembler.Assembled a = assembled.latest("outage-1", scan.mapNames[k]);
            assertNotNull(a);
            assertTrue(a.isFinal());
            assertEquals(POINTS, a.version());
            KafkaResultPublisherBrokerTest.assertBitExact(fin.maps().get(scan.mapNames[k]), a.pixels());
        }

        int starts = 0;
        int ends = 0;
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(b, "outage.scans")) {
            JsonNode n = TopicReader.json(r);
            switch (n.get("type").asText()) {
                case "start" -> starts++;
                case "end" -> {
                    ends++;
                    assertTrue(n.get("final_maps_complete").asBoolean());
                    assertEquals(POINTS, n.get("energies_done").asInt());
                }
                default -> assertEquals("progress", n.get("type").asText());
            }
        }
        assertEquals(1, starts);
        assertEquals(1, ends);
        assertEquals(1, TopicReader.readAll(b, "outage.rejected").size());
    }

    private static double count(SimpleMeterRegistry registry, String topic, String outcome) {
        return registry.get("xanestream.kafka.records").tag("topic", topic).tag("outcome", outcome).counter().count();
    }
}
