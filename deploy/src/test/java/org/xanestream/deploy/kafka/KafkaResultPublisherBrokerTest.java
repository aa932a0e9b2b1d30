package org.xanestream.deploy.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.RejectReason;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.publisher.kafka.KafkaPublisherConfig;
import org.xanestream.publisher.kafka.KafkaResultPublisher;

/**
 * The publisher against a real (embedded) Kafka broker, read back by a plain {@code KafkaConsumer}: the record
 * contract of docs/kafka-topics.md. One broker for the class; each test uses its own topic prefix.
 */
class KafkaResultPublisherBrokerTest {
    private static final Duration IDLE = Duration.ofSeconds(120);
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

    private static KafkaPublisherConfig.Builder config(String prefix) {
        return KafkaPublisherConfig.builder().bootstrapServers(broker.bootstrapServers()).topicPrefix(prefix)
                .liveMapMinIntervalMs(0).imageMinIntervalMs(0);
    }

    @Test
    void a2048SquareMapTravelsInBandsBelow900KiBAndReassemblesBitExact() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FakeScan scan = new FakeScan("big-1", 2048, 2048, 11, "whiteline_ev", "edge_ev");
        MapsSnapshot live = scan.maps(1, false);
        MapsSnapshot fin = scan.maps(2, true);
        try (KafkaResultPublisher pub = KafkaResultPublisher.start(config("big").build(), registry, Clock.systemUTC())) {
            pub.onScanStart(scan.info);
            pub.onMaps(live);
            assertTrue(pub.awaitIdle(IDLE));
            pub.onMaps(fin);
            pub.onScanEnd(scan.end(fin));
            assertTrue(pub.awaitIdle(IDLE), "not delivered");
            // the producer's own metrics are exported too; no band was refused as too large and resent
            assertTrue(registry.get("kafka.producer.record.send.total").functionCounter().count() >= 2 * 19 + 2 * 5);
            assertEquals(0, registry.get("kafka.producer.batch.split.total").functionCounter().count());
        }
        List<ConsumerRecord<byte[], byte[]>> bands = TopicReader.readAll(broker.bootstrapServers(), "big.maps");
        int liveBands = 0;
        int finalBands = 0;
        for (ConsumerRecord<byte[], byte[]> r : bands) {
            assertTrue(r.value().length <= 900 * 1024, "band of " + r.value().length + " bytes exceeds 900 KiB");
            assertEquals("big-1", TopicReader.key(r));
            assertEquals("big-1", TopicReader.header(r, "scan_id"));
            assertEquals("float32", TopicReader.header(r, "dtype"));
            assertEquals("1", TopicReader.header(r, "schema"));
            assertEquals("2048", TopicReader.header(r, "source_width"));
            if ("true".equals(TopicReader.header(r, "final"))) {
                finalBands++;
                assertEquals("1", TopicReader.header(r, "bin"));
                assertEquals("2048", TopicReader.header(r, "width"));
                assertEquals("2", TopicReader.header(r, "version"));
            } else {
                liveBands++;
                assertEquals("2", TopicReader.header(r, "bin"), "live maps are binned to <= 1024 by default");
                assertEquals("1024", TopicReader.header(r, "height"));
            }
        }
        assertEquals(2 * 19, finalBands, "2048 rows at 112 rows (896 KiB) per band, two maps");
        assertEquals(2 * 5, liveBands, "1024 rows at 225 rows per band, two maps");
        MapAssembler maps = MapAssembler.of(bands);
        for (int k = 0; k < scan.mapNames.length; k++) {
            MapAssembler.Assembled a = maps.latest("big-1", scan.mapNames[k]);
            assertNotNull(a, scan.mapNames[k]);
            assertTrue(a.isFinal());
            assertBitExact(fin.maps().get(scan.mapNames[k]), a.pixels());
        }
        double sent = registry.get("xanestream.kafka.records").tag("topic", "big.maps").tag("outcome", "sent")
                .counter().count();
        assertEquals(bands.size(), sent, 1e-9);
    }

    @Test
    void everyTopicCarriesTheDocumentedJsonAndHeaders() throws Exception {
        FakeScan scan = new FakeScan("json-1", 64, 48, 5, "whiteline_ev", "mask");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (KafkaResultPublisher pub = KafkaResultPublisher.start(config("json").progressIntervalMs(100).build(),
                registry, Clock.systemUTC())) {
            pub.onScanStart(scan.info);
            for (int i = 0; i < 3; i++) {
                pub.onEnergyPoint(scan.point(i));
                pub.onMaps(scan.maps(i + 1, false));
            }
            pub.onRejected(FakeScan.rejection("tcp://127.0.0.1:5555", RejectReason.SIZE_MISMATCH, "{\"htype\":1}"));
            assertTrue(pub.awaitIdle(IDLE));
            // Wait for a progress record (start + progress acknowledged) before ending the scan.
            long deadline = System.nanoTime() + IDLE.toNanos();
            while (sent(registry, "json.scans") < 2) {
                assertTrue(System.nanoTime() < deadline, "no progress record within " + IDLE);
                Thread.sleep(10);
            }
            MapsSnapshot fin = scan.maps(3, true);
            pub.onMaps(fin);
            pub.onScanEnd(scan.end(fin));
            assertTrue(pub.awaitIdle(IDLE));
        }
        String b = broker.bootstrapServers();
        List<ConsumerRecord<byte[], byte[]>> scans = TopicReader.readAll(b, "json.scans");
        JsonNode start = TopicReader.json(scans.get(0));
        assertEquals(Set.of("type", "scan_id", "time", "element", "edge_ev", "width", "height", "series_index",
                "energies_planned", "energies_done", "frames_received", "frames_rejected"), fields(start));
        assertEquals("start", start.get("type").asText());
        assertEquals("Ni", start.get("element").asText());
        assertEquals(64, start.get("width").asInt());
        assertTrue(start.get("energies_planned").isNull());
        JsonNode progress = null;
        for (ConsumerRecord<byte[], byte[]> r : scans) {
            if (TopicReader.json(r).get("type").asText().equals("progress")) {
                progress = TopicReader.json(r);
            }
        }
        assertNotNull(progress, "no progress record");
        assertTrue(fields(progress).containsAll(Set.of("summary", "maps_version", "whiteline_only")));
        JsonNode end = TopicReader.json(scans.get(scans.size() - 1));
        assertEquals("end", end.get("type").asText());
        assertTrue(end.get("final_maps_complete").asBoolean());
        assertEquals(3, end.get("energies_done").asInt());
        assertEquals(33, end.get("frames_received").asInt());
        JsonNode summary = end.get("summary").get("mask");
        assertEquals(Set.of("mean", "std", "p05", "p50", "p95", "n_valid"), fields(summary));
        assertEquals(1001, summary.get("n_valid").asInt());
        Instant.parse(end.get("time").asText());
        assertTrue(end.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));

        List<ConsumerRecord<byte[], byte[]>> points = TopicReader.readAll(b, "json.points");
        assertEquals(3, points.size());
        JsonNode p = TopicReader.json(points.get(2));
        assertEquals(Set.of("scan_id", "index", "energy_ev", "frames", "flats", "flat_energy_ev", "drift_x_px",
                "drift_y_px", "drift_confidence", "drift_replaced", "mean_mu", "time"), fields(p));
        assertEquals(2, p.get("index").asInt());
        assertEquals(FakeScan.energyEv(2), p.get("energy_ev").asDouble());
        assertEquals(0.2, p.get("drift_x_px").asDouble(), 1e-12);
        assertEquals("json-1", TopicReader.key(points.get(2)));

        List<ConsumerRecord<byte[], byte[]>> images = TopicReader.readAll(b, "json.images");
        assertEquals(3, images.size());
        ConsumerRecord<byte[], byte[]> img = images.get(1);
        assertEquals("1", TopicReader.header(img, "energy_index"));
        assertEquals(FakeScan.energyEv(1), Double.parseDouble(TopicReader.header(img, "energy_ev")));
        assertEquals("2", TopicReader.header(img, "version"));
        assertEquals("false", TopicReader.header(img, "final"));
        assertEquals(Set.of("schema", "scan_id", "energy_index", "energy_ev", "width", "height", "source_width",
                "source_height", "bin", "row0", "rows", "dtype", "version", "final"), headerNames(img));
        assertBitExact(scan.point(1).alignedMu(), floats(img.value()));

        List<ConsumerRecord<byte[], byte[]>> rejected = TopicReader.readAll(b, "json.rejected");
        assertEquals(1, rejected.size());
        JsonNode rj = TopicReader.json(rejected.get(0));
        assertEquals("tcp://127.0.0.1:5555", TopicReader.key(rejected.get(0)));
        assertEquals(Set.of("time", "source", "reason", "detail", "header"), fields(rj));
        assertEquals("size_mismatch", rj.get("reason").asText());
        assertEquals("{\"htype\":1}", rj.get("header").asText());
        assertEquals(1.0, sent(registry, "json.rejected"), "xanestream_kafka_records_total{topic=json.rejected,outcome=sent}");
        assertEquals(3.0, sent(registry, "json.points"));
    }

    private static double sent(SimpleMeterRegistry registry, String topic) {
        return registry.get("xanestream.kafka.records").tag("topic", topic).tag("outcome", "sent").counter().count();
    }

    @Test
    void recordsOfAScanKeepTheirOrderAndTheEndRecordFollowsTheAcknowledgedFinalMaps() throws Exception {
        FakeScan a = new FakeScan("order-a", 40, 30, 1, "edge_ev");
        FakeScan c = new FakeScan("order-c", 40, 30, 2, "edge_ev");
        try (KafkaResultPublisher pub = KafkaResultPublisher.start(config("order").partitions(3).build(),
                new SimpleMeterRegistry(), Clock.systemUTC())) {
            pub.onScanStart(a.info);
            pub.onScanStart(c.info);
            for (int i = 0; i < 20; i++) {
                pub.onEnergyPoint(a.point(i));
                pub.onEnergyPoint(c.point(i));
                pub.onMaps(a.maps(i + 1, false));
                pub.onMaps(c.maps(i + 1, false));
            }
            MapsSnapshot fa = a.maps(20, true);
            MapsSnapshot fc = c.maps(20, true);
            pub.onMaps(fa);
            pub.onScanEnd(a.end(fa));
            pub.onMaps(fc);
            pub.onScanEnd(c.end(fc));
            assertTrue(pub.awaitIdle(IDLE));
        }
        String b = broker.bootstrapServers();
        for (String scanId : List.of("order-a", "order-c")) {
            List<Integer> indices = new ArrayList<>();
            Set<Integer> partitions = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(b, "order.points")) {
                if (TopicReader.key(r).equals(scanId)) {
                    indices.add(TopicReader.json(r).get("index").asInt());
                    partitions.add(r.partition());
                }
            }
            assertEquals(1, partitions.size(), "one scan, one partition");
            for (int i = 0; i < 20; i++) {
                assertEquals(i, indices.get(i));
            }
            int lastVersion = 0;
            boolean sawFinal = false;
            long lastFinalBandTime = 0;
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(b, "order.maps")) {
                if (!TopicReader.key(r).equals(scanId)) {
                    continue;
                }
                int v = TopicReader.intHeader(r, "version");
                assertTrue(v >= lastVersion, "map versions go backwards: " + v + " after " + lastVersion);
                assertFalse(sawFinal, "nothing follows the final maps of a scan");
                sawFinal = "true".equals(TopicReader.header(r, "final"));
                lastFinalBandTime = Math.max(lastFinalBandTime, r.timestamp());
                lastVersion = v;
            }
            assertTrue(sawFinal);
            List<String> types = new ArrayList<>();
            long endTime = 0;
            for (ConsumerRecord<byte[], byte[]> r : TopicReader.readAll(b, "order.scans")) {
                if (TopicReader.key(r).equals(scanId)) {
                    types.add(TopicReader.json(r).get("type").asText());
                    endTime = r.timestamp();
                }
            }
            assertEquals("start", types.get(0));
            assertEquals("end", types.get(types.size() - 1));
            assertTrue(endTime >= lastFinalBandTime, "end record created before the final maps were sent");
        }
    }

    @Test
    void missingTopicsAreCreatedWithTheConfiguredPartitionsAndRetention() throws Exception {
        try (KafkaResultPublisher pub = KafkaResultPublisher.start(config("created").partitions(2)
                .retentionMs(3_600_000).binaryRetentionMs(600_000).build(), new SimpleMeterRegistry(),
                Clock.systemUTC())) {
            pub.onRejected(FakeScan.rejection("tcp://a", RejectReason.BAD_JSON, "x"));
            assertTrue(pub.awaitIdle(IDLE));
        }
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            List<String> names = List.of("created.scans", "created.points", "created.images", "created.maps",
                    "created.rejected");
            Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get();
            for (String n : names) {
                assertEquals(2, d.get(n).partitions().size(), n);
            }
            Map<ConfigResource, Config> cfg = admin.describeConfigs(List.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, "created.points"),
                    new ConfigResource(ConfigResource.Type.TOPIC, "created.maps"))).all().get();
            assertEquals("3600000", cfg.get(new ConfigResource(ConfigResource.Type.TOPIC, "created.points"))
                    .get("retention.ms").value());
            assertEquals("600000", cfg.get(new ConfigResource(ConfigResource.Type.TOPIC, "created.maps"))
                    .get("retention.ms").value());
            // binary topics take batches the producer packed on a too optimistic compression estimate
            assertEquals(Integer.toString(8 * 1024 * 1024), cfg.get(new ConfigResource(ConfigResource.Type.TOPIC,
                    "created.maps")).get("max.message.bytes").value());
            assertEquals(Integer.toString(1024 * 1024 + 12), cfg.get(new ConfigResource(ConfigResource.Type.TOPIC,
                    "created.points")).get("max.message.bytes").value(), "JSON topics keep the broker default");
        }
    }

    static void assertBitExact(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError("pixel " + i + ": expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    static float[] floats(byte[] value) {
        float[] f = new float[value.length / 4];
        java.nio.ByteBuffer.wrap(value).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    private static Set<String> fields(JsonNode n) {
        Set<String> s = new HashSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            s.add(it.next());
        }
        return s;
    }

    private static Set<String> headerNames(ConsumerRecord<byte[], byte[]> r) {
        Set<String> s = new HashSet<>();
        r.headers().forEach(h -> s.add(h.key()));
        return s;
    }
}
