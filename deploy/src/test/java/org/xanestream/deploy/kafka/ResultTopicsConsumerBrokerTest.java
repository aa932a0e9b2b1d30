package org.xanestream.deploy.kafka;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xanestream.publisher.kafka.KafkaPublisherConfig;
import org.xanestream.publisher.kafka.KafkaResultPublisher;
import org.xanestream.publisher.kafka.ResultConsumerConfig;
import org.xanestream.publisher.kafka.ResultTopicsConsumer;
import org.xanestream.publisher.results.BandRecord;
import org.xanestream.publisher.results.PointRecord;
import org.xanestream.publisher.results.ResultListener;
import org.xanestream.publisher.results.ScanRecord;
import org.xanestream.publisher.results.SyntheticScan;
import org.xanestream.publisher.results.TopicKind;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consumer reads what the real publisher writes to a real broker, started before the topics exist. */
class ResultTopicsConsumerBrokerTest {
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start(EmbeddedBrokerConfig.defaults());
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Keeps the final map bands and counts records. */
    private static final class Sink implements ResultListener {
        final CopyOnWriteArrayList<ScanRecord> scans = new CopyOnWriteArrayList<>();
        final AtomicInteger points = new AtomicInteger();
        final AtomicInteger imageBands = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        final Map<String, float[]> finalMaps = new ConcurrentHashMap<>();
        volatile Boolean connected;

        @Override
        public void onScan(ScanRecord scan) {
            scans.add(scan);
        }

        @Override
        public void onPoint(PointRecord point) {
            points.incrementAndGet();
        }

        @Override
        public void onBand(BandRecord b) {
            if (b.kind() == BandRecord.Kind.IMAGE) {
                imageBands.incrementAndGet();
            } else if (b.finalBand()) {
                float[] m = finalMaps.computeIfAbsent(b.map(), k -> new float[b.width() * b.height()]);
                for (int r = 0; r < b.rows(); r++) {
                    for (int x = 0; x < b.width(); x++) {
                        m[(b.row0() + r) * b.width() + x] = b.value(r, x);
                    }
                }
            }
        }

        @Override
        public void onDecodeError(TopicKind topic, String detail) {
            errors.incrementAndGet();
        }

        @Override
        public void onSourceState(boolean c, String detail) {
            connected = c;
        }
    }

    @Test
    void decodesEverythingThePublisherWritesIncludingTopicsCreatedAfterStart() throws Exception {
        String prefix = "consumertest";
        Sink sink = new Sink();
        try (ResultTopicsConsumer consumer = new ResultTopicsConsumer(
                new ResultConsumerConfig(broker.bootstrapServers(), prefix, true, 100, 300, "consumer-test"), sink)) {
            consumer.start();
            SyntheticScan scan = new SyntheticScan("c1", 96, 64, 12, 3, 1, 1, 16, System.currentTimeMillis(), 0, 0, 5);
            KafkaPublisherConfig pc = KafkaPublisherConfig.builder().bootstrapServers(broker.bootstrapServers())
                    .topicPrefix(prefix).liveMapMinIntervalMs(0).imageMinIntervalMs(0).build();
            try (KafkaResultPublisher pub = KafkaResultPublisher.start(pc, new SimpleMeterRegistry(), Clock.systemUTC())) {
                scan.play(pub, 0, 12, System.currentTimeMillis());
                assertTrue(pub.awaitIdle(Duration.ofSeconds(30)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline && (sink.scans.isEmpty()
                    || sink.scans.get(sink.scans.size() - 1).type() != ScanRecord.Type.END)) {
                Thread.sleep(50);
            }
            assertEquals(Boolean.TRUE, sink.connected);
            assertEquals(0, sink.errors.get());
            assertEquals(0, consumer.decodeErrors());
            ScanRecord first = sink.scans.get(0);
            ScanRecord last = sink.scans.get(sink.scans.size() - 1);
            assertEquals(ScanRecord.Type.START, first.type());
            assertEquals(ScanRecord.Type.END, last.type());
            assertEquals(12, last.energiesDone());
            assertEquals(96, last.width());
            assertEquals(12, last.energiesPlannedEv().size());
            assertTrue(last.summary().containsKey("whiteline_ev"));
            assertEquals(12, sink.points.get());
            assertTrue(sink.imageBands.get() >= 12);
            Map<String, float[]> expected = scan.snapshot(12, true, 0).maps();
            assertEquals(expected.keySet(), sink.finalMaps.keySet());
            for (Map.Entry<String, float[]> e : expected.entrySet()) {
                assertArrayEquals(e.getValue(), sink.finalMaps.get(e.getKey()), e.getKey());
            }
        }
    }
}
