package org.xanestream.publisher.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xanestream.processor.ImageBinning;
import org.xanestream.processor.MapsLease;
import org.xanestream.processor.MapsSnapshot;
import org.xanestream.processor.ScanInfo;

/**
 * The publisher's logic against Kafka's in-memory {@link MockProducer} (acknowledgements under test control,
 * an injected clock). Delivery through a real broker is tested in the deploy module.
 */
class KafkaResultPublisherTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final FakeClock clock = new FakeClock(FakeResults.T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private MockProducer<byte[], byte[]> producer;
    private KafkaResultPublisher publisher;

    private KafkaResultPublisher start(boolean autoAck, KafkaPublisherConfig.Builder config) {
        producer = new MockProducer<>(autoAck, null, new ByteArraySerializer(), new ByteArraySerializer());
        publisher = new KafkaResultPublisher(config.createTopics(false).closeTimeoutMs(2000).build(), registry, clock,
                producer, null);
        return publisher;
    }

    @AfterEach
    void close() {
        if (publisher != null) {
            publisher.close();
        }
    }

    @Test
    void oneProducerBatchBufferHoldsTheLargestRecord() {
        java.util.Properties p = KafkaResultPublisher.producerProperties(KafkaPublisherConfig.defaults());
        int batch = Integer.parseInt((String) p.get("batch.size"));
        // larger records would each get a freshly allocated buffer instead of a pooled one
        assertTrue(batch >= KafkaPublisherConfig.MAX_RECORD_VALUE_LIMIT + 64 * 1024, "batch.size " + batch);
        assertEquals("all", p.get("acks"));
        assertEquals("true", p.get("enable.idempotence"));
    }

    @Test
    void scanEndIsPublishedOnlyAfterEveryFinalMapRecordIsAcknowledged() throws Exception {
        start(false, KafkaPublisherConfig.builder().maxRecordValueBytes(64 * 1024));
        ScanInfo s = FakeResults.scan("scan-1", 300, 200); // 54 rows per band: 4 bands per map
        MapsSnapshot fin = FakeResults.maps(s, 3, true, "edge_ev", "mask");
        publisher.onScanStart(s);
        publisher.onMaps(fin);
        publisher.onScanEnd(FakeResults.end(s, fin));
        awaitRecords(r -> r.topic().equals("xanes.maps"), 8);
        ackAllButLast();
        Thread.sleep(200); // give a wrongly eager publisher the chance to send the end record
        assertEquals(0, records("xanes.scans", "end").size(), "end must wait for the last final band");
        ackAll();
        List<ProducerRecord<byte[], byte[]>> ends = awaitRecords(r -> r.topic().equals("xanes.scans")
                && json(r).get("type").asText().equals("end"), 1);
        JsonNode end = json(ends.get(0));
        assertTrue(end.get("final_maps_complete").asBoolean());
        assertEquals(3, end.get("maps_version").asInt());
        assertEquals(55, end.get("frames_received").asInt());
        assertEquals("scan-1", new String(ends.get(0).key(), StandardCharsets.UTF_8));
        drain();
    }

    @Test
    void aFailedFinalBandMakesTheEndRecordSayTheFinalMapsAreIncomplete() throws Exception {
        start(false, KafkaPublisherConfig.builder());
        ScanInfo s = FakeResults.scan("scan-2", 32, 32);
        MapsSnapshot fin = FakeResults.maps(s, 2, true, "edge_ev");
        publisher.onScanStart(s);
        publisher.onMaps(fin);
        publisher.onScanEnd(FakeResults.end(s, fin));
        awaitRecords(r -> r.topic().equals("xanes.maps"), 1);
        producer.completeNext(); // start
        producer.errorNext(new NetworkException("test: broker gone"));
        ackAll();
        JsonNode end = json(awaitRecords(r -> r.topic().equals("xanes.scans")
                && json(r).get("type").asText().equals("end"), 1).get(0));
        assertFalse(end.get("final_maps_complete").asBoolean());
        drain();
        assertEquals(1.0, count("xanes.maps", "failed"));
    }

    @Test
    void callersNeverWaitWhileKafkaDoesNotAcknowledgeAndNothingIsLostSilently() throws Exception {
        start(false, KafkaPublisherConfig.builder().maxInFlightBytes(2L << 20).queueCapacity(64)
                .rejectedQueueCapacity(16).queueMaxBytes(1L << 20).imageMinIntervalMs(0));
        ScanInfo s = FakeResults.scan("scan-3", 128, 128); // 64 KiB images
        int n = 1000;
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            publisher.onScanStart(s);
            for (int i = 0; i < n; i++) {
                publisher.onEnergyPoint(FakeResults.point(s, i, 9));
            }
        }, "a caller waited for Kafka");
        assertTrue(count("xanes.points", "dropped") > 0, "a full queue must shed and count");
        assertTrue(count("xanes.images", "dropped") > 0);
        assertEquals(0.0, count("xanes.points", "sent"));
        // Kafka comes back: everything that was not shed is delivered.
        drain();
        assertEquals(n, count("xanes.points", "sent") + count("xanes.points", "dropped"), 1e-9);
        assertEquals(n, count("xanes.images", "sent") + count("xanes.images", "dropped"), 1e-9);
        assertEquals(0, publisher.queuedEvents());
        assertEquals(0, publisher.inFlightBytes());
    }

    @Test
    void liveMapsAreRateLimitedPerMapAndUnchangedMapsAreNotRepublished() throws Exception {
        start(true, KafkaPublisherConfig.builder().liveMapMinIntervalMs(1000));
        ScanInfo s = FakeResults.scan("scan-4", 32, 32);
        MapsSnapshot v1 = FakeResults.maps(s, 1, false, "a", "b");
        MapsSnapshot v2 = FakeResults.maps(s, 2, false, "a", "b");
        MapsSnapshot v3 = withMap(FakeResults.maps(s, 3, false, "a", "b"), "b", v1.maps().get("b").clone());
        publisher.onMaps(v1);
        awaitRecords(r -> r.topic().equals("xanes.maps"), 2);
        publisher.onMaps(v2);
        publisher.onMaps(v3);
        Thread.sleep(200); // the clock has not moved: nothing more may be published
        assertEquals(List.of("a:1", "b:1"), mapVersions());
        clock.advance(1000);
        awaitRecords(r -> r.topic().equals("xanes.maps"), 3);
        assertTrue(awaitIdle());
        assertEquals(List.of("a:1", "b:1", "a:3"), mapVersions(), "b of v3 equals the published b");
        assertEquals(2.0, count("xanes.maps", "superseded"), "v2's two maps were superseded");
    }

    @Test
    void liveMapsAreHeldUntilSentSupersededOrTheirScanEndsAndNeverReadAfterwards() throws Exception {
        start(true, KafkaPublisherConfig.builder().liveMapMinIntervalMs(1000));
        ScanInfo s = FakeResults.scan("scan-l", 32, 32);
        // arrays overwritten with NaN as soon as the last holder lets go (as reuse would): a read after that
        // would publish or compare garbage
        MapsSnapshot v1 = leased(FakeResults.maps(s, 1, false, "a", "b"));
        MapsSnapshot v2 = leased(FakeResults.maps(s, 2, false, "a", "b"));
        MapsSnapshot v3 = leased(withMap(FakeResults.maps(s, 3, false, "a", "b"), "b", v1.maps().get("b").clone()));
        List<float[]> want = List.of(v1.maps().get("a").clone(), v1.maps().get("b").clone(),
                v3.maps().get("a").clone());
        publisher.onScanStart(s);
        publisher.onMaps(v1);
        v1.release(); // the processor's hold ends after onMaps
        awaitRecords(r -> r.topic().equals("xanes.maps"), 2);
        publisher.onMaps(v2);
        v2.release();
        publisher.onMaps(v3);
        v3.release();
        clock.advance(1000);
        assertTrue(awaitIdle());
        assertEquals(List.of("a:1", "b:1", "a:3"), mapVersions(), "b of v3 equals the published b");
        List<ProducerRecord<byte[], byte[]>> sent = records("xanes.maps", null);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(want.get(i), floats(sent.get(i).value()), "record " + i);
        }
        assertTrue(v1.released() && v2.released() && v3.released(), "published, superseded, published");
        // the unchanged-map check compares with its own copy of the last publication: v4's b equals v1's b
        // (whose arrays are NaN by now) and is not published again; its a differs
        MapsSnapshot v4 = leased(withMap(FakeResults.maps(s, 4, false, "a", "b"), "b", want.get(1).clone()));
        publisher.onMaps(v4);
        v4.release();
        clock.advance(1000);
        assertTrue(awaitIdle());
        assertEquals(List.of("a:1", "b:1", "a:3", "a:4"), mapVersions());
        assertTrue(v4.released());
        // a live snapshot still queued or pending when the scan ends is let go too
        MapsSnapshot v5 = leased(FakeResults.maps(s, 5, false, "a", "b"));
        publisher.onMaps(v5);
        v5.release();
        MapsSnapshot fin = FakeResults.maps(s, 6, true, "a", "b");
        publisher.onMaps(fin);
        publisher.onScanEnd(FakeResults.end(s, fin));
        assertTrue(awaitIdle());
        assertTrue(v5.released());
        assertEquals(1, records("xanes.scans", "end").size());
    }

    /** {@code m} with a lease that overwrites its arrays with NaN once released. */
    private static MapsSnapshot leased(MapsSnapshot m) {
        return new MapsSnapshot(m.scanId(), m.version(), m.finalSnapshot(), m.width(), m.height(), m.maps(),
                m.summary(), m.whitelineOnly(), m.epochMillis(), m.bin(), m.sourceWidth(), m.sourceHeight(),
                MapsLease.of(() -> m.maps().values().forEach(a -> java.util.Arrays.fill(a, Float.NaN))));
    }

    @Test
    void liveMapsAreMeanBinnedAndFinalMapsAreFullResolutionBitExact() throws Exception {
        start(true, KafkaPublisherConfig.builder().liveMapMaxSide(16).liveMapMinIntervalMs(0)
                .maxRecordValueBytes(64 * 1024));
        ScanInfo s = FakeResults.scan("scan-5", 300, 200);
        MapsSnapshot live = FakeResults.maps(s, 1, false, "edge_ev");
        MapsSnapshot fin = FakeResults.maps(s, 2, true, "edge_ev");
        publisher.onMaps(live);
        awaitRecords(r -> r.topic().equals("xanes.maps"), 1);
        publisher.onMaps(fin);
        publisher.onScanEnd(FakeResults.end(s, fin));
        assertTrue(awaitIdle());
        List<ProducerRecord<byte[], byte[]>> liveBands = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> finalBands = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : producer.history()) {
            if (r.topic().equals("xanes.maps")) {
                (header(r, "final").equals("true") ? finalBands : liveBands).add(r);
            }
        }
        int bin = 19; // ceil(300 / 16)
        int w = 16;
        int h = 11;
        assertEquals(1, liveBands.size());
        ProducerRecord<byte[], byte[]> lb = liveBands.get(0);
        assertEquals(Integer.toString(bin), header(lb, "bin"));
        assertEquals(w + "x" + h, header(lb, "width") + "x" + header(lb, "height"));
        assertEquals("300x200", header(lb, "source_width") + "x" + header(lb, "source_height"));
        float[] expected = new float[w * h];
        ImageBinning.binNanMean(live.maps().get("edge_ev"), 300, 200, bin, expected, new double[w], new int[w]);
        assertArrayEquals(expected, floats(lb.value()));

        assertEquals(4, finalBands.size(), "200 rows at 54 rows per band");
        float[] full = new float[300 * 200];
        for (ProducerRecord<byte[], byte[]> r : finalBands) {
            assertEquals("1", header(r, "bin"));
            assertEquals("2", header(r, "version"));
            assertEquals("float32", header(r, "dtype"));
            assertEquals("edge_ev", header(r, "map"));
            assertEquals("scan-5", header(r, "scan_id"));
            assertEquals("1", header(r, "schema"));
            int row0 = Integer.parseInt(header(r, "row0"));
            int rows = Integer.parseInt(header(r, "rows"));
            assertEquals(rows * 300 * 4, r.value().length);
            assertTrue(r.value().length <= 64 * 1024);
            System.arraycopy(floats(r.value()), 0, full, row0 * 300, rows * 300);
        }
        float[] src = fin.maps().get("edge_ev");
        for (int i = 0; i < src.length; i++) {
            assertEquals(Float.floatToRawIntBits(src[i]), Float.floatToRawIntBits(full[i]), "pixel " + i);
        }
    }

    @Test
    void liveMapsFittedOnTheBinnedStackArePublishedAsTheyAreWithTheirBinAndSourceSize() throws Exception {
        start(true, KafkaPublisherConfig.builder().liveMapMaxSide(100).liveMapMinIntervalMs(0)
                .maxRecordValueBytes(64 * 1024));
        ScanInfo s = FakeResults.scan("scan-b", 300, 200);
        // what the processor's LiveBinnedFitter hands over for a 300x200 scan with live side 100: bin 3
        MapsSnapshot small = FakeResults.maps(FakeResults.scan("scan-b", 100, 67), 1, false, "edge_ev");
        MapsSnapshot live = small.binnedFrom(3, 300, 200);
        publisher.onScanStart(s);
        publisher.onMaps(live);
        assertTrue(awaitIdle());
        List<ProducerRecord<byte[], byte[]>> bands = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : producer.history()) {
            if (r.topic().equals("xanes.maps")) {
                bands.add(r);
            }
        }
        assertEquals(1, bands.size(), "100x67 floats fit one 64 KiB band");
        ProducerRecord<byte[], byte[]> b = bands.get(0);
        assertEquals("3", header(b, "bin"));
        assertEquals("100x67", header(b, "width") + "x" + header(b, "height"));
        assertEquals("300x200", header(b, "source_width") + "x" + header(b, "source_height"));
        assertEquals("false", header(b, "final"));
        assertArrayEquals(live.maps().get("edge_ev"), floats(b.value()), "not binned again");
    }

    @Test
    void imagesAreRateLimitedAndTheLastImageOfAScanIsAlwaysPublished() throws Exception {
        start(true, KafkaPublisherConfig.builder().imageMinIntervalMs(1000));
        ScanInfo s = FakeResults.scan("scan-6", 16, 16);
        MapsSnapshot fin = FakeResults.maps(s, 3, true, "a");
        publisher.onScanStart(s);
        for (int i = 0; i < 3; i++) {
            publisher.onEnergyPoint(FakeResults.point(s, i, i));
        }
        publisher.onMaps(fin);
        publisher.onScanEnd(FakeResults.end(s, fin));
        assertTrue(awaitIdle());
        List<String> images = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : producer.history()) {
            if (r.topic().equals("xanes.images")) {
                images.add(header(r, "energy_index") + "@" + header(r, "energy_ev") + " v" + header(r, "version"));
            }
        }
        assertEquals(List.of("0@8300.0 v1", "2@8320.0 v3"), images);
        assertEquals(1.0, count("xanes.images", "superseded"));
        assertEquals(3, records("xanes.points", null).size());
    }

    @Test
    void progressRecordsFollowTheInjectedClockAndCarryTheLatestSummary() throws Exception {
        start(true, KafkaPublisherConfig.builder().progressIntervalMs(2000));
        ScanInfo s = FakeResults.scan("scan-7", 16, 16);
        publisher.onScanStart(s);
        publisher.onEnergyPoint(FakeResults.point(s, 0, 1));
        publisher.onMaps(FakeResults.maps(s, 1, false, "edge_ev"));
        awaitRecords(r -> r.topic().equals("xanes.maps"), 1);
        Thread.sleep(150);
        assertEquals(0, records("xanes.scans", "progress").size());
        clock.advance(2000);
        JsonNode p = json(awaitRecords(r -> r.topic().equals("xanes.scans")
                && json(r).get("type").asText().equals("progress"), 1).get(0));
        assertEquals(1, p.get("energies_done").asInt());
        assertEquals(10, p.get("frames_received").asInt(), "5 sample + 5 own flat frames");
        assertEquals(1, p.get("maps_version").asInt());
        assertEquals(1.5, p.get("summary").get("edge_ev").get("mean").asDouble());
        assertEquals(FakeResults.T0 + 2000, java.time.Instant.parse(p.get("time").asText()).toEpochMilli());
    }

    @Test
    void pointLatencyRunsFromHandOffToTheAcknowledgementOfTheMapsThatIncludeIt() throws Exception {
        start(false, KafkaPublisherConfig.builder().liveMapMinIntervalMs(0).imageMinIntervalMs(0));
        ScanInfo s = FakeResults.scan("scan-8", 16, 16);
        publisher.onEnergyPoint(FakeResults.point(s, 0, 1));
        clock.advance(100);
        publisher.onEnergyPoint(FakeResults.point(s, 1, 2));
        publisher.onMaps(FakeResults.maps(s, 2, false, "a"));
        awaitRecords(r -> r.topic().equals("xanes.maps"), 1);
        clock.advance(300);
        drain();
        io.micrometer.core.instrument.Timer t = registry.get("xanestream.energy.point").timer();
        assertEquals(2, t.count());
        assertEquals(400 + 300, t.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        assertEquals(400, t.max(TimeUnit.MILLISECONDS), 1e-9);
    }

    @Test
    void aPointThatChangesNoMapIsAnsweredByThePublicationThatAlreadyHoldsTheMaps() throws Exception {
        start(false, KafkaPublisherConfig.builder().liveMapMinIntervalMs(0).imageMinIntervalMs(0));
        ScanInfo s = FakeResults.scan("scan-10", 16, 16);
        MapsSnapshot v1 = FakeResults.maps(s, 1, false, "a", "b");
        publisher.onEnergyPoint(FakeResults.point(s, 0, 1));
        publisher.onMaps(v1);
        awaitRecords(r -> r.topic().equals("xanes.maps"), 2);
        clock.advance(100);
        // point 1 leaves both maps as they were (e.g. too few energies for any fit yet): nothing new to publish,
        // and its maps are the ones still in flight
        publisher.onEnergyPoint(FakeResults.point(s, 1, 2));
        publisher.onMaps(sameMaps(v1, 2));
        clock.advance(50);
        drain();
        io.micrometer.core.instrument.Timer t = registry.get("xanestream.energy.point").timer();
        assertEquals(2, t.count());
        assertEquals(150 + 50, t.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        // point 2, again no change, after the maps were acknowledged: answered at once
        clock.advance(70);
        publisher.onEnergyPoint(FakeResults.point(s, 2, 3));
        publisher.onMaps(sameMaps(v1, 3));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (t.count() < 3) {
            assertTrue(System.nanoTime() < deadline, "point 2 was not answered before its own record was acknowledged");
            Thread.onSpinWait();
        }
        clock.advance(40); // acknowledging its point record takes time; the point's latency was already taken
        drain();
        assertEquals(3, t.count());
        assertEquals(150 + 50 + 0, t.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        assertEquals(2, producer.history().stream().filter(r -> r.topic().equals("xanes.maps")).count(),
                "unchanged maps are not published again");
        // a changed map is published and answers for the next point only when acknowledged
        publisher.onEnergyPoint(FakeResults.point(s, 3, 4));
        publisher.onMaps(FakeResults.maps(s, 4, false, "a", "b"));
        awaitRecords(r -> r.topic().equals("xanes.maps"), 4);
        clock.advance(30);
        drain();
        assertEquals(4, t.count());
        assertEquals(150 + 50 + 0 + 30, t.totalTime(TimeUnit.MILLISECONDS), 1e-9);
    }

    /** A publisher whose producer knows the topics' partitions (only partitions it can name get a first record). */
    private void startWithPartitions(long closeTimeoutMs) {
        org.apache.kafka.common.Node node = new org.apache.kafka.common.Node(1, "127.0.0.1", 9092);
        List<org.apache.kafka.common.PartitionInfo> parts = new ArrayList<>();
        for (String t : List.of("scans", "points", "images", "maps", "rejected")) {
            parts.add(new org.apache.kafka.common.PartitionInfo("xanes." + t, 0, node,
                    new org.apache.kafka.common.Node[] {node}, new org.apache.kafka.common.Node[] {node}));
        }
        org.apache.kafka.common.Cluster cluster = new org.apache.kafka.common.Cluster("c", List.of(node), parts,
                java.util.Set.of(), java.util.Set.of());
        producer = new MockProducer<>(cluster, false, null, new ByteArraySerializer(), new ByteArraySerializer());
        publisher = new KafkaResultPublisher(KafkaPublisherConfig.builder().createTopics(false)
                .closeTimeoutMs(closeTimeoutMs).liveMapMinIntervalMs(0).imageMinIntervalMs(0)
                .maxRecordValueBytes(64 * 1024).build(), registry, clock, producer, null);
    }

    @Test
    void recordsHeldBehindAnUnacknowledgedFirstRecordAreCountedAsDroppedAtClose() throws Exception {
        startWithPartitions(300);
        ScanInfo s = FakeResults.scan("scan-12", 300, 200); // 4 bands per map
        MapsSnapshot fin = FakeResults.maps(s, 3, true, "a");
        publisher.onScanStart(s);
        publisher.onMaps(fin);
        publisher.onScanEnd(FakeResults.end(s, fin));
        awaitRecords(r -> r.topic().equals("xanes.maps"), 1);
        // the broker never answers: close gives up, the three bands behind the first were never sent
        publisher.close();
        assertEquals(1, producer.history().stream().filter(r -> r.topic().equals("xanes.maps")).count());
        assertEquals(3.0, count("xanes.maps", "dropped"));
        assertEquals(1.0, count("xanes.scans", "dropped"), "the end record, its final maps never acknowledged");
        // only what was handed to the producer (scan start, first band), never acknowledged, is still in flight
        assertEquals(2, producer.history().size());
        long handed = 0;
        for (ProducerRecord<byte[], byte[]> r : producer.history()) {
            handed += r.value().length + r.key().length + 512;
        }
        assertEquals(handed, publisher.inFlightBytes());
    }

    @Test
    void aPartitionGetsOneRecordUntilItsFirstIsAcknowledgedWithoutHoldingUpOtherPartitions() throws Exception {
        startWithPartitions(2000);
        ScanInfo s = FakeResults.scan("scan-11", 300, 200); // 4 bands per map
        publisher.onScanStart(s);
        publisher.onEnergyPoint(FakeResults.point(s, 0, 1));
        publisher.onMaps(FakeResults.maps(s, 1, false, "a", "b"));
        // nothing acknowledged: one record per partition, the scan start not waiting for anything
        awaitRecords(r -> r.topic().equals("xanes.maps"), 1);
        awaitRecords(r -> r.topic().equals("xanes.images"), 1);
        awaitRecords(r -> r.topic().equals("xanes.points"), 1);
        assertEquals(1, producer.history().stream().filter(r -> r.topic().equals("xanes.maps")).count());
        assertEquals(1, producer.history().stream().filter(r -> r.topic().equals("xanes.images")).count());
        assertEquals(4, producer.history().size(), "scan start, point, first image band, first maps band");
        // the first maps record fails: the next held one becomes the first, alone in flight
        int firstMaps = indexOf("xanes.maps", 0);
        for (int i = 0; i < firstMaps; i++) {
            assertTrue(producer.completeNext());
        }
        assertTrue(producer.errorNext(new NetworkException("refused")));
        List<ProducerRecord<byte[], byte[]>> maps = awaitRecords(r -> r.topic().equals("xanes.maps"), 2);
        assertEquals(2, maps.size());
        // acknowledged: every other held record goes, in order
        drain();
        maps = awaitRecords(r -> r.topic().equals("xanes.maps"), 8);
        assertEquals(8, maps.size(), "the failed first band is not resent by the publisher");
        List<String> order = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : maps) {
            order.add(header(r, "map") + "@" + header(r, "row0"));
        }
        assertEquals(List.of("a@0", "a@54", "a@108", "a@162", "b@0", "b@54", "b@108", "b@162"), order);
        assertEquals(1.0, count("xanes.maps", "failed"));
        assertEquals(7.0, count("xanes.maps", "sent"));
        assertEquals(4.0, count("xanes.images", "sent"));
    }

    private int indexOf(String topic, int nth) {
        List<ProducerRecord<byte[], byte[]>> h = producer.history();
        for (int i = 0, seen = 0; i < h.size(); i++) {
            if (h.get(i).topic().equals(topic) && seen++ == nth) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void theNextScansLiveMapsGoAheadOfAFinishedScansRemainingFinalMaps() throws Exception {
        start(false, KafkaPublisherConfig.builder().liveMapMinIntervalMs(0).imageMinIntervalMs(0)
                .maxRecordValueBytes(64 * 1024).maxInFlightBytes(2 * 1024 * 1024));
        ScanInfo a = FakeResults.scan("scan-a", 512, 512); // 1 MB per map, 16 bands
        String[] names = new String[10];
        for (int k = 0; k < names.length; k++) {
            names[k] = "m" + k;
        }
        MapsSnapshot finA = FakeResults.maps(a, 3, true, names);
        publisher.onScanStart(a);
        publisher.onMaps(finA);
        publisher.onScanEnd(FakeResults.end(a, finA));
        ScanInfo b = FakeResults.scan("scan-b", 64, 64);
        publisher.onScanStart(b);
        publisher.onEnergyPoint(FakeResults.point(b, 0, 1));
        publisher.onMaps(FakeResults.maps(b, 1, false, "x"));
        // nothing is acknowledged before every event is queued: the 10 MB of final maps cannot all be in flight
        drain();
        List<ProducerRecord<byte[], byte[]>> h = producer.history();
        int lastFinalA = -1;
        int firstLiveB = -1;
        int endA = -1;
        int finalBandsA = 0;
        for (int i = 0; i < h.size(); i++) {
            ProducerRecord<byte[], byte[]> r = h.get(i);
            String scan = new String(r.key(), StandardCharsets.UTF_8);
            if (r.topic().equals("xanes.maps") && scan.equals("scan-a")) {
                lastFinalA = i;
                finalBandsA++;
            } else if (r.topic().equals("xanes.maps") && scan.equals("scan-b") && firstLiveB < 0) {
                firstLiveB = i;
            } else if (r.topic().equals("xanes.scans") && scan.equals("scan-a")
                    && json(r).get("type").asText().equals("end")) {
                endA = i;
            }
        }
        assertEquals(10 * 16, finalBandsA, "every band of the final maps");
        assertTrue(firstLiveB >= 0 && firstLiveB < lastFinalA, "live maps of scan-b at " + firstLiveB
                + ", last final band of scan-a at " + lastFinalA);
        assertTrue(endA > lastFinalA, "the end record follows the final maps");
        assertEquals(0.0, count("xanes.maps", "dropped") + count("xanes.maps", "failed"));
    }

    @Test
    void finalBandsNeverHandedOverAreCountedAsDroppedWhenCloseGivesUp() throws Exception {
        start(false, KafkaPublisherConfig.builder().maxRecordValueBytes(64 * 1024).maxInFlightBytes(2 * 1024 * 1024)
                .closeTimeoutMs(300));
        ScanInfo a = FakeResults.scan("scan-c", 512, 512); // 1 MB per map, 16 bands
        MapsSnapshot fin = FakeResults.maps(a, 3, true, "m0", "m1", "m2", "m3", "m4", "m5");
        publisher.onScanStart(a);
        publisher.onMaps(fin);
        publisher.onScanEnd(FakeResults.end(a, fin));
        awaitRecords(r -> r.topic().equals("xanes.maps"), 1);
        // the broker never answers: at most the in-flight budget goes to the producer, the rest is dropped
        publisher.close();
        long handed = producer.history().stream().filter(r -> r.topic().equals("xanes.maps")).count();
        assertTrue(handed > 0 && handed < 6 * 16, handed + " bands handed over");
        assertEquals(6 * 16 - handed, count("xanes.maps", "dropped"), 1e-9);
        assertEquals(1.0, count("xanes.scans", "dropped"), "the end record, its final maps never acknowledged");
    }

    @Test
    void liveMapsAfterAFinalAreSupersededAndASecondFinalFollowsTheFirstWhole() throws Exception {
        start(true, KafkaPublisherConfig.builder().liveMapMinIntervalMs(0).maxRecordValueBytes(64 * 1024)
                .maxInFlightBytes(2 * 1024 * 1024));
        ScanInfo s = FakeResults.scan("scan-d", 512, 512); // 16 bands per map
        publisher.onScanStart(s);
        publisher.onMaps(FakeResults.maps(s, 3, true, "a", "b", "c"));
        publisher.onMaps(FakeResults.maps(s, 2, false, "a", "b", "c")); // a late live update
        publisher.onMaps(FakeResults.maps(s, 4, true, "a", "b", "c")); // a second final snapshot
        assertTrue(awaitIdle());
        List<String> order = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : producer.history()) {
            if (r.topic().equals("xanes.maps")) {
                order.add(header(r, "version") + header(r, "final") + header(r, "map") + "@" + header(r, "row0"));
            }
        }
        List<String> want = new ArrayList<>();
        for (int v : new int[] {3, 4}) {
            for (String map : List.of("a", "b", "c")) {
                for (int band = 0; band < 16; band++) {
                    want.add(v + "true" + map + "@" + band * 32);
                }
            }
        }
        assertEquals(want, order, "each final whole and in order, nothing live after the first");
        assertEquals(3 * 16, count("xanes.maps", "superseded"), 1e-9);
    }

    /** The pixels of {@code m} (copies) as a snapshot of a later version. */
    private static MapsSnapshot sameMaps(MapsSnapshot m, int version) {
        java.util.Map<String, float[]> copy = new java.util.LinkedHashMap<>();
        m.maps().forEach((k, v) -> copy.put(k, v.clone()));
        return new MapsSnapshot(m.scanId(), version, false, m.width(), m.height(), copy, m.summary(),
                m.whitelineOnly(), m.epochMillis() + 1000);
    }

    @Test
    void closeGivesUpAfterItsTimeoutWhenKafkaIsUnreachableAndCountsWhatWasNotDelivered() throws Exception {
        // Real clients against a loopback port nobody listens on: topic creation retries, events queue.
        KafkaPublisherConfig config = KafkaPublisherConfig.builder().bootstrapServers("127.0.0.1:1")
                .closeTimeoutMs(1000).maxBlockMs(1000).build();
        KafkaResultPublisher pub = KafkaResultPublisher.start(config, registry, clock);
        ScanInfo s = FakeResults.scan("scan-9", 16, 16);
        pub.onScanStart(s);
        pub.onEnergyPoint(FakeResults.point(s, 0, 1));
        assertFalse(pub.awaitIdle(Duration.ofMillis(300)));
        assertTimeoutPreemptively(Duration.ofSeconds(30), pub::close);
        assertEquals(1.0, count("xanes.scans", "dropped") + count("xanes.scans", "failed"));
        assertEquals(1.0, count("xanes.points", "dropped") + count("xanes.points", "failed"));
        assertEquals(0.0, count("xanes.points", "sent"));
    }

    // ------------------------------------------------------------------ helpers

    private boolean awaitIdle() throws InterruptedException {
        return publisher.awaitIdle(WAIT);
    }

    /** Acknowledges records until the publisher is idle. */
    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!publisher.awaitIdle(Duration.ofMillis(20))) {
            ackAll();
            assertTrue(System.nanoTime() < deadline, "publisher did not drain");
        }
    }

    private void ackAll() {
        while (producer.completeNext()) {
            // acknowledge every record sent so far
        }
    }

    private void ackAllButLast() {
        int pending = producer.history().size() - (int) (count("xanes.scans", "sent") + count("xanes.maps", "sent"));
        for (int i = 0; i < pending - 1; i++) {
            producer.completeNext();
        }
    }

    private List<ProducerRecord<byte[], byte[]>> awaitRecords(Predicate<ProducerRecord<byte[], byte[]>> which, int n)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<ProducerRecord<byte[], byte[]>> found = new ArrayList<>();
            for (ProducerRecord<byte[], byte[]> r : producer.history()) {
                if (which.test(r)) {
                    found.add(r);
                }
            }
            if (found.size() >= n) {
                return found;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + found.size() + " of " + n + " expected records were sent");
            }
            Thread.sleep(5);
        }
    }

    private List<ProducerRecord<byte[], byte[]>> records(String topic, String scanType) {
        List<ProducerRecord<byte[], byte[]>> l = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : producer.history()) {
            if (r.topic().equals(topic) && (scanType == null || json(r).get("type").asText().equals(scanType))) {
                l.add(r);
            }
        }
        return l;
    }

    private List<String> mapVersions() {
        List<String> l = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : producer.history()) {
            if (r.topic().equals("xanes.maps")) {
                l.add(header(r, "map") + ":" + header(r, "version"));
            }
        }
        return l;
    }

    private double count(String topic, String outcome) {
        return registry.get("xanestream.kafka.records").tag("topic", topic).tag("outcome", outcome).counter().count();
    }

    private static MapsSnapshot withMap(MapsSnapshot m, String name, float[] data) {
        Map<String, float[]> maps = new java.util.LinkedHashMap<>(m.maps());
        maps.put(name, data);
        return new MapsSnapshot(m.scanId(), m.version(), m.finalSnapshot(), m.width(), m.height(), maps, m.summary(),
                m.whitelineOnly(), m.epochMillis());
    }

    static String header(ProducerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    static JsonNode json(ProducerRecord<byte[], byte[]> r) {
        try {
            return M.readTree(r.value());
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + new String(r.value(), StandardCharsets.UTF_8), e);
        }
    }

    static float[] floats(byte[] value) {
        float[] f = new float[value.length / 4];
        ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }
}
