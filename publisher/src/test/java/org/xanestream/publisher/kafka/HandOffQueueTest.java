package org.xanestream.publisher.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.xanestream.ingest.RejectReason;
import org.xanestream.ingest.Rejection;
import org.xanestream.processor.ScanInfo;
import org.xanestream.publisher.kafka.PublishEvent.MapsUpdated;
import org.xanestream.publisher.kafka.PublishEvent.MessageRejected;
import org.xanestream.publisher.kafka.PublishEvent.PointCompleted;
import org.xanestream.publisher.kafka.PublishEvent.ScanStarted;

class HandOffQueueTest {
    /** Records what the queue shed; a reusable fake of the publisher's counters. */
    static final class Shed implements HandOffQueue.Outcomes {
        final List<MapsUpdated> superseded = new ArrayList<>();
        final List<String> dropped = new ArrayList<>();

        @Override
        public void superseded(MapsUpdated old) {
            superseded.add(old);
        }

        @Override
        public void dropped(PublishEvent event, boolean imageOnly, String why) {
            dropped.add(event.getClass().getSimpleName() + (imageOnly ? "/image" : "") + ": " + why);
        }
    }

    private final ScanInfo scan = FakeResults.scan("s", 16, 16); // 1 KiB per image or map
    private final Shed shed = new Shed();

    @Test
    void aNewerLiveSnapshotSupersedesTheQueuedOneOfTheSameScan() throws Exception {
        HandOffQueue q = new HandOffQueue(16, 4, 1 << 20, shed);
        MapsUpdated v1 = new MapsUpdated(FakeResults.maps(scan, 1, false, "a"));
        MapsUpdated other = new MapsUpdated(FakeResults.maps(FakeResults.scan("t", 16, 16), 1, false, "a"));
        MapsUpdated v2 = new MapsUpdated(FakeResults.maps(scan, 2, false, "a"));
        assertTrue(q.offer(v1));
        assertTrue(q.offer(other));
        assertTrue(q.offer(v2));
        assertEquals(List.of(v1), shed.superseded);
        assertSame(other, q.poll(0));
        assertSame(v2, q.poll(0));
        assertNull(q.poll(0));
    }

    @Test
    void aFinalSnapshotSupersedesQueuedLiveOnes() throws Exception {
        HandOffQueue q = new HandOffQueue(16, 4, 1 << 20, shed);
        MapsUpdated live = new MapsUpdated(FakeResults.maps(scan, 1, false, "a"));
        MapsUpdated fin = new MapsUpdated(FakeResults.maps(scan, 2, true, "a"));
        q.offer(live);
        q.offer(fin);
        assertEquals(List.of(live), shed.superseded);
        assertSame(fin, q.poll(0));
    }

    @Test
    void whenFullTheNewEventIsDroppedAndReported() {
        HandOffQueue q = new HandOffQueue(16, 4, 1 << 20, shed);
        for (int i = 0; i < 16; i++) {
            assertTrue(q.offer(new ScanStarted(scan)));
        }
        assertFalse(q.offer(new ScanStarted(scan)));
        assertEquals(1, shed.dropped.size());
        assertTrue(shed.dropped.get(0).startsWith("ScanStarted: hand-off queue full (16 events)"), shed.dropped.get(0));
        assertEquals(16, q.size());
    }

    @Test
    void rejectedMessagesHaveTheirOwnCapSoTheyCannotCrowdOutResults() throws Exception {
        HandOffQueue q = new HandOffQueue(16, 4, 1 << 20, shed);
        Rejection r = new Rejection(0, "tcp://x", RejectReason.BAD_JSON, "d", "h");
        for (int i = 0; i < 10; i++) {
            q.offer(new MessageRejected(r));
        }
        assertEquals(4, q.size());
        assertEquals(6, shed.dropped.size());
        assertTrue(q.offer(new ScanStarted(scan)));
        assertInstanceOf(MessageRejected.class, q.poll(0));
        assertTrue(q.offer(new MessageRejected(r)), "taking one frees a rejected slot");
    }

    @Test
    void overThePixelBudgetALiveSnapshotIsDroppedAndAPointLosesOnlyItsImage() throws Exception {
        HandOffQueue q = new HandOffQueue(16, 4, 2048, shed); // room for two 1 KiB payloads
        assertTrue(q.offer(new PointCompleted(FakeResults.point(scan, 0, 1), 0)));
        assertTrue(q.offer(new PointCompleted(FakeResults.point(scan, 1, 1), 0)));
        PointCompleted third = new PointCompleted(FakeResults.point(scan, 2, 1), 0);
        assertTrue(q.offer(third));
        assertTrue(third.imageStripped());
        assertFalse(q.offer(new MapsUpdated(FakeResults.maps(scan, 3, false, "a"))));
        assertEquals(2048, q.bytes());
        assertEquals(List.of("PointCompleted/image: hand-off queue pixel budget full (2048 bytes)",
                "MapsUpdated: hand-off queue pixel budget full (2048 bytes)"), shed.dropped);
    }

    @Test
    void finalMapsEvictQueuedImagesOldestFirstToFit() throws Exception {
        HandOffQueue q = new HandOffQueue(16, 4, 2048, shed);
        PointCompleted p0 = new PointCompleted(FakeResults.point(scan, 0, 1), 0);
        PointCompleted p1 = new PointCompleted(FakeResults.point(scan, 1, 1), 0);
        q.offer(p0);
        q.offer(p1);
        MapsUpdated fin = new MapsUpdated(FakeResults.maps(scan, 2, true, "a"));
        assertTrue(q.offer(fin));
        assertTrue(p0.imageStripped());
        assertFalse(p1.imageStripped());
        assertEquals(2048, q.bytes());
        MapsUpdated tooBig = new MapsUpdated(FakeResults.maps(FakeResults.scan("t", 16, 16), 2, true, "a", "b", "c"));
        assertFalse(q.offer(tooBig), "final maps larger than the whole budget are dropped");
        assertSame(p0, q.poll(0));
        assertSame(p1, q.poll(0));
        assertSame(fin, q.poll(0));
        assertEquals(0, q.bytes());
    }

    @Test
    void pollReturnsEarlyOnWakeUpAndIdleTracksTheConsumer() throws Exception {
        HandOffQueue q = new HandOffQueue(16, 4, 1 << 20, shed);
        q.wakeUp();
        assertNull(q.poll(60_000_000_000L));
        assertTrue(q.isIdle());
        q.offer(new ScanStarted(scan));
        assertFalse(q.isIdle());
        q.poll(0);
        assertFalse(q.isIdle(), "busy until the consumer says it is done");
        q.markIdle();
        assertTrue(q.isIdle());
    }

    @Test
    void afterCloseEveryOfferIsDropped() {
        HandOffQueue q = new HandOffQueue(16, 4, 1 << 20, shed);
        q.close();
        assertFalse(q.offer(new ScanStarted(scan)));
        assertEquals(List.of("ScanStarted: publisher closed"), shed.dropped);
    }
}
