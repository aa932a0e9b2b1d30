package org.xanestream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BoundedEventQueueTest {
    private final FramePool pool = new FramePool(16L << 20);

    private Frame frame(long number) throws InterruptedException {
        Frame f = pool.acquire(16, 1, TimeUnit.SECONDS);
        f.reset(new FrameHeader("src", "s", number, FrameKind.SAMPLE, 8333, 4, 2, PixelType.UINT16, 0, Map.of()));
        return f;
    }

    private static long number(IngestEvent e) {
        return ((Frame) e).header().frameNumber();
    }

    @Test
    void deliversInOrderAcrossTheRingBoundary() throws Exception {
        BoundedEventQueue q = new BoundedEventQueue(new EventQueueConfig(3, QueueFullPolicy.BLOCK));
        long next = 0;
        for (int round = 0; round < 5; round++) {
            assertTrue(q.put(frame(round * 2), 0, TimeUnit.SECONDS));
            assertTrue(q.put(frame(round * 2 + 1), 0, TimeUnit.SECONDS));
            assertEquals(2, q.size());
            assertEquals(next++, number(q.poll()));
            assertEquals(next++, number(q.poll()));
        }
        assertNull(q.poll());
        assertNull(q.poll(1, TimeUnit.MILLISECONDS));
        assertEquals(10, q.enqueued());
    }

    @Test
    void blockTimesOutWhenFullAndTheCallerKeepsTheEvent() throws Exception {
        BoundedEventQueue q = new BoundedEventQueue(new EventQueueConfig(1, QueueFullPolicy.BLOCK));
        assertTrue(q.put(frame(0), 0, TimeUnit.SECONDS));
        Frame second = frame(1);
        assertFalse(q.put(second, 0, TimeUnit.MILLISECONDS));
        assertEquals(1, q.blockedPuts());
        assertEquals(1, q.timedOutPuts());
        assertEquals(0, q.dropped());
        assertEquals(0, number(q.poll()));
    }

    @Test
    void blockWaitsUntilTheConsumerMakesRoom() throws Exception {
        BoundedEventQueue q = new BoundedEventQueue(new EventQueueConfig(1, QueueFullPolicy.BLOCK));
        assertTrue(q.put(frame(0), 0, TimeUnit.SECONDS));
        Frame second = frame(1);
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            started.countDown();
            try {
                result.set(q.put(second, 30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                result.set(false);
            }
        });
        producer.start();
        started.await();
        while (q.blockedPuts() == 0) {
            Thread.onSpinWait();
        }
        assertEquals(0, number(q.poll()));
        producer.join(10_000);
        assertEquals(Boolean.TRUE, result.get());
        assertSame(second, q.poll());
    }

    @Test
    void dropOldestDropsAndReleasesTheOldestFrameButKeepsEndOfScan() throws Exception {
        BoundedEventQueue q = new BoundedEventQueue(new EventQueueConfig(3, QueueFullPolicy.DROP_OLDEST));
        EndOfScan end = new EndOfScan("src", "s");
        assertTrue(q.put(end, 0, TimeUnit.SECONDS));
        assertTrue(q.put(frame(1), 0, TimeUnit.SECONDS));
        assertTrue(q.put(frame(2), 0, TimeUnit.SECONDS));
        long allocations = pool.allocations();
        assertTrue(q.put(frame(3), 0, TimeUnit.SECONDS)); // drops frame 1, which sits behind the end of scan
        assertEquals(1, q.dropped());
        assertSame(end, q.poll());
        assertEquals(2, number(q.poll()));
        assertEquals(3, number(q.poll()));
        // Frame 1's buffer went back to the pool: the next acquisition reuses it.
        frame(4).release();
        assertEquals(allocations + 1, pool.allocations(), "one buffer for frame 3, frame 1's reused for 4");
    }

    @Test
    void dropOldestDropsTheIncomingFrameWhenOnlyEndsAreQueued() throws Exception {
        BoundedEventQueue q = new BoundedEventQueue(new EventQueueConfig(2, QueueFullPolicy.DROP_OLDEST));
        EndOfScan a = new EndOfScan("src", "a");
        EndOfScan b = new EndOfScan("src", "b");
        assertTrue(q.put(a, 0, TimeUnit.SECONDS));
        assertTrue(q.put(b, 0, TimeUnit.SECONDS));
        assertTrue(q.put(frame(9), 0, TimeUnit.SECONDS));
        assertEquals(1, q.dropped());
        // An incoming end of scan waits instead of displacing another.
        assertFalse(q.put(new EndOfScan("src", "c"), 0, TimeUnit.MILLISECONDS));
        assertSame(a, q.poll());
        assertSame(b, q.poll());
        assertNull(q.poll());
    }

    @Test
    void dropOldestFrameOnDemandAndClearReleaseFrames() throws Exception {
        BoundedEventQueue q = new BoundedEventQueue(new EventQueueConfig(4, QueueFullPolicy.BLOCK));
        assertFalse(q.dropOldestFrame());
        q.put(new EndOfScan("src", null), 0, TimeUnit.SECONDS);
        q.put(frame(1), 0, TimeUnit.SECONDS);
        q.put(frame(2), 0, TimeUnit.SECONDS);
        assertTrue(q.dropOldestFrame());
        assertEquals(1, q.dropped());
        assertEquals(2, q.size());
        assertEquals(2, q.clear());
        assertEquals(0, q.size());
    }

    @Test
    void rejectsInvalidConfiguration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EventQueueConfig(0, QueueFullPolicy.BLOCK));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EventQueueConfig(EventQueueConfig.MAX_CAPACITY + 1,
                QueueFullPolicy.BLOCK));
        assertThrows(NullPointerException.class, () -> new EventQueueConfig(1, null));
        assertEquals(QueueFullPolicy.BLOCK, EventQueueConfig.defaults().fullPolicy());
    }
}
