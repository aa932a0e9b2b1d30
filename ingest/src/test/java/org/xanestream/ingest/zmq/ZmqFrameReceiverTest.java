package org.xanestream.ingest.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.BoundedEventQueue;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.EventQueueConfig;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameDecoder;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.IngestEvent;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.QueueFullPolicy;
import org.xanestream.ingest.RecordingRejectionListener;
import org.xanestream.ingest.RejectReason;
import org.xanestream.ingest.TestPixels;
import org.xanestream.ingest.adzmq.AdZmqConfig;
import org.xanestream.ingest.adzmq.AdZmqDecoder;
import org.xanestream.ingest.adzmq.AdZmqEncoder;
import org.xanestream.ingest.adzmq.AdZmqEncoderConfig;

/** The receiver's socket modes, queue policies, pooling and failure handling, over real sockets. */
class ZmqFrameReceiverTest {
    private static final byte[] STOP = "STOP".getBytes(StandardCharsets.US_ASCII);

    private static FrameHeader header(String source, String scan, long frame, int width, int height) {
        return new FrameHeader(source, scan, frame, FrameKind.SAMPLE, 8333, width, height, PixelType.UINT16, 0,
                Map.of());
    }

    private static ZmqLoopback loopback(EventQueueConfig queue, ZmqReceiverConfig rx, ZmqSenderConfig tx,
                                        long poolBytes, AdZmqConfig decoder) {
        return new ZmqLoopback(decoder, AdZmqEncoderConfig.defaults(), queue, rx, tx, poolBytes);
    }

    @Test
    void dropOldestKeepsTheNewestFramesAndReleasesTheDroppedOnes() throws Exception {
        try (ZmqLoopback lb = loopback(new EventQueueConfig(3, QueueFullPolicy.DROP_OLDEST),
                ZmqLoopback.receiverConfig(), ZmqLoopback.senderConfig(), 64L << 20, AdZmqConfig.defaults())) {
            for (int i = 0; i < 5; i++) {
                lb.send(header(lb.receiver.endpoint(), "d", i, 4, 4), TestPixels.random(PixelType.UINT16, 4, 4, i));
            }
            lb.sendRaw(List.of(STOP));
            for (int i = 5; i < 10; i++) {
                lb.send(header(lb.receiver.endpoint(), "d", i, 4, 4), TestPixels.random(PixelType.UINT16, 4, 4, i));
            }
            ReceiverStats st = lb.receiver.stats();
            ZmqLoopback.await(() -> st.framesReceived() == 10 && st.endOfScans() == 1, "10 frames and a STOP");
            assertEquals(8, st.dropped());
            assertEquals(3, st.queueDepth());
            // The end of scan is never dropped; the two newest frames follow it.
            assertInstanceOf(EndOfScan.class, lb.next());
            Frame f8 = lb.nextFrame();
            Frame f9 = lb.nextFrame();
            assertEquals(8, f8.header().frameNumber());
            assertEquals(9, f9.header().frameNumber());
            f8.release();
            f9.release();
            // Dropped frames went back to the pool: queue capacity + 1 buffers served ten frames.
            assertEquals(4, lb.pool.allocations());
        }
    }

    @Test
    void dropOldestFreesAPooledBufferWhenThePoolIsExhausted() throws Exception {
        // The pool holds two 64 KiB buffers; the queue could hold eight frames.
        try (ZmqLoopback lb = loopback(new EventQueueConfig(8, QueueFullPolicy.DROP_OLDEST),
                ZmqLoopback.receiverConfig(), ZmqLoopback.senderConfig(), 128 * 1024,
                AdZmqConfig.defaults().withBufferWaitMs(0))) {
            for (int i = 0; i < 5; i++) {
                lb.send(header(lb.receiver.endpoint(), "p", i, 4, 4), TestPixels.random(PixelType.UINT16, 4, 4, i));
            }
            ReceiverStats st = lb.receiver.stats();
            ZmqLoopback.await(() -> st.framesReceived() == 5, "5 frames");
            assertEquals(0, st.rejectedTotal());
            assertEquals(3, st.dropped());
            assertEquals(3, lb.nextFrame().header().frameNumber());
            assertEquals(4, lb.nextFrame().header().frameNumber());
        }
    }

    @Test
    void blockPolicyRejectsNoBufferWhenThePoolStaysEmpty() throws Exception {
        try (ZmqLoopback lb = loopback(new EventQueueConfig(8, QueueFullPolicy.BLOCK), ZmqLoopback.receiverConfig(),
                ZmqLoopback.senderConfig(), 64 * 1024, AdZmqConfig.defaults().withBufferWaitMs(0))) {
            lb.send(header(lb.receiver.endpoint(), "n", 0, 4, 4), TestPixels.random(PixelType.UINT16, 4, 4, 0));
            lb.send(header(lb.receiver.endpoint(), "n", 1, 4, 4), TestPixels.random(PixelType.UINT16, 4, 4, 1));
            assertEquals(RejectReason.NO_BUFFER, lb.rejections.next().reason());
            Frame f = lb.nextFrame();
            assertEquals(0, f.header().frameNumber());
            f.release();
            lb.send(header(lb.receiver.endpoint(), "n", 2, 4, 4), TestPixels.random(PixelType.UINT16, 4, 4, 2));
            assertEquals(2, lb.nextFrame().header().frameNumber());
            assertEquals(1, lb.receiver.stats().rejected(RejectReason.NO_BUFFER));
            assertEquals(0, lb.receiver.stats().dropped());
        }
    }

    @Test
    void blockPolicyPushesBackOnTheSenderAndLosesNothing() throws Exception {
        int width = 512;
        int height = 1024; // 1 MiB frames fill the socket buffers after a few frames
        ZmqSenderConfig tx = ZmqLoopback.senderConfig().withSndHwm(1).withSendTimeoutMs(300);
        try (ZmqLoopback lb = loopback(new EventQueueConfig(2, QueueFullPolicy.BLOCK),
                ZmqLoopback.receiverConfig().withRcvHwm(1), tx, 64L << 20, AdZmqConfig.defaults())) {
            ByteBuffer px = TestPixels.random(PixelType.UINT16, width, height, 7);
            // The first frame proves the connection is up.
            lb.send(header(lb.receiver.endpoint(), "b", 0, width, height), px);
            ReceiverStats st = lb.receiver.stats();
            ZmqLoopback.await(() -> st.framesReceived() == 1, "the first frame");
            int sent = 1;
            // Send until the sender times out; a timeout before 8 frames could be a scheduling hiccup of a
            // busy machine rather than back-pressure, so only later ones end the loop.
            while (sent < 1000) {
                if (lb.sender.sendFrame(header(lb.receiver.endpoint(), "b", sent, width, height), px)) {
                    sent++;
                } else if (sent >= 8) {
                    break;
                }
            }
            assertTrue(sent < 1000 && lb.sender.sendTimeouts() >= 1, "the sender must feel the back-pressure");
            System.out.println("back-pressure after " + sent + " frames of 1 MiB");
            ZmqLoopback.await(() -> st.blockedPuts() >= 1, "the receiver blocked on the full queue");
            for (int i = 0; i < sent; i++) {
                Frame f = lb.nextFrame();
                assertEquals(i, f.header().frameNumber());
                if (i == sent - 1) {
                    assertTrue(TestPixels.sameBytes(px, f.pixels(), width * height * 2));
                }
                f.release();
            }
            assertEquals(0, st.dropped());
            assertEquals(0, st.rejectedTotal());
            assertEquals(0, st.gapEvents());
            assertNull(lb.queue.poll(200, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void steadyStreamReusesPooledBuffersAndAllocatesNoPixelSizedGarbage() throws Exception {
        int width = 512;
        int height = 1024;
        int frameBytes = width * height * 2;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (ZmqLoopback lb = new ZmqLoopback()) {
            ByteBuffer px = TestPixels.random(PixelType.UINT16, width, height, 3);
            ReceiverStats st = lb.receiver.stats();
            long poolAfterWarmup = 0;
            long msgAfterWarmup = 0;
            long bytesAfterWarmup = 0;
            long rxThread = lb.receiver.thread().getId();
            int warmup = 20;
            int frames = 80;
            for (int i = 0; i < frames; i++) {
                lb.send(header(lb.receiver.endpoint(), "r", i, width, height), px);
                Frame f = lb.nextFrame();
                assertEquals(i, f.header().frameNumber());
                f.release();
                if (i == warmup - 1) {
                    poolAfterWarmup = lb.pool.allocations();
                    msgAfterWarmup = st.messageBuffersAllocated();
                    bytesAfterWarmup = threads.getThreadAllocatedBytes(rxThread);
                }
            }
            long bytesPerFrame = (threads.getThreadAllocatedBytes(rxThread) - bytesAfterWarmup) / (frames - warmup);
            System.out.println("receive thread allocated " + bytesPerFrame + " bytes per " + frameBytes + "-byte frame");
            assertEquals(poolAfterWarmup, lb.pool.allocations(), "frame buffers reused");
            assertEquals(1, lb.pool.allocations());
            assertEquals(msgAfterWarmup, st.messageBuffersAllocated(), "message buffers reused");
            assertTrue(bytesPerFrame < frameBytes / 32, "receive thread allocated " + bytesPerFrame
                    + " bytes per " + frameBytes + "-byte frame");
        }
    }

    @Test
    void pullConnectReceivesFromABindingPushSender() throws Exception {
        // A binding PUSH loses what it queued for a connection whose handshake stalled (JeroMQ 0.6.0).
        receivesFromABindingSender(ZmqSenderMode.PUSH_BIND, ZmqReceiverMode.PULL_CONNECT, "c");
    }

    @Test
    void subReceivesEverythingFromAPublisher() throws Exception {
        // A publisher drops everything until the subscription has arrived.
        receivesFromABindingSender(ZmqSenderMode.PUB_BIND, ZmqReceiverMode.SUB_CONNECT, "pub");
    }

    /** Probes with STOPs until one arrives (the stream is then established), then three frames arrive intact. */
    private static void receivesFromABindingSender(ZmqSenderMode senderMode, ZmqReceiverMode receiverMode, String scan)
            throws Exception {
        try (ZmqFrameSender tx = new ZmqFrameSender(ZmqLoopback.senderConfig()
                .withEndpoint("tcp://127.0.0.1:*", senderMode), new AdZmqEncoder(AdZmqEncoderConfig.defaults()))) {
            FramePool pool = new FramePool(16L << 20);
            BoundedEventQueue queue = new BoundedEventQueue(EventQueueConfig.defaults());
            try (ZmqFrameReceiver rx = new ZmqFrameReceiver(ZmqLoopback.receiverConfig()
                    .withEndpoint(tx.endpoint(), receiverMode),
                    new AdZmqDecoder(tx.endpoint(), AdZmqConfig.defaults(), pool), queue,
                    new RecordingRejectionListener())) {
                rx.start();
                awaitFirst(tx, queue, List.of(STOP), EndOfScan.class);
                ByteBuffer px = TestPixels.random(PixelType.UINT16, 6, 5, 1);
                for (int i = 0; i < 3; i++) {
                    assertTrue(tx.sendFrame(header(tx.endpoint(), scan, i, 6, 5), px));
                }
                for (int i = 0; i < 3; i++) {
                    Frame f = assertInstanceOf(Frame.class, queue.poll(10, TimeUnit.SECONDS));
                    assertEquals(i, f.header().frameNumber());
                    assertTrue(TestPixels.sameBytes(px, f.pixels(), 60));
                    f.release();
                }
            }
        }
    }

    @Test
    void subBindReceivesFromAConnectingPublisher() throws Exception {
        FramePool pool = new FramePool(16L << 20);
        BoundedEventQueue queue = new BoundedEventQueue(EventQueueConfig.defaults());
        try (ZmqFrameReceiver rx = new ZmqFrameReceiver(ZmqLoopback.receiverConfig()
                .withEndpoint("tcp://127.0.0.1:*", ZmqReceiverMode.SUB_BIND),
                ep -> new AdZmqDecoder(ep, AdZmqConfig.defaults(), pool), queue, new RecordingRejectionListener(),
                Clock.systemUTC())) {
            rx.start();
            try (ZmqFrameSender tx = new ZmqFrameSender(ZmqLoopback.senderConfig()
                    .withEndpoint(rx.endpoint(), ZmqSenderMode.PUB_CONNECT), new AdZmqEncoder(AdZmqEncoderConfig.defaults()))) {
                awaitFirst(tx, queue, List.of(STOP), EndOfScan.class);
                assertTrue(tx.sendFrame(header(rx.endpoint(), "pc", 0, 2, 2), TestPixels.random(PixelType.UINT16, 2, 2, 1)));
                Frame f = assertInstanceOf(Frame.class, queue.poll(10, TimeUnit.SECONDS));
                assertEquals(rx.endpoint(), f.header().source());
                f.release();
            }
        }
    }

    /** Sends a probe every 50 ms until an event of the given type arrives (connection and subscription up). */
    private static void awaitFirst(ZmqFrameSender tx, BoundedEventQueue queue, List<byte[]> probe,
                                   Class<? extends IngestEvent> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            tx.sendMessage(probe);
            IngestEvent e = queue.poll(50, TimeUnit.MILLISECONDS);
            if (e != null) {
                assertInstanceOf(type, e);
                // Drain probes that were still in flight.
                while ((e = queue.poll(200, TimeUnit.MILLISECONDS)) != null) {
                    assertInstanceOf(type, e);
                }
                return;
            }
        }
        throw new AssertionError("no probe arrived within 15 s");
    }

    @Test
    void sendWithoutAnyPeerTimesOutInsteadOfBlockingForever() {
        try (ZmqFrameSender tx = new ZmqFrameSender(ZmqLoopback.senderConfig().withSendTimeoutMs(100)
                .withEndpoint("tcp://127.0.0.1:*", ZmqSenderMode.PUSH_BIND), new AdZmqEncoder(AdZmqEncoderConfig.defaults()))) {
            assertFalse(tx.sendFrame(header(tx.endpoint(), "x", 0, 2, 2), TestPixels.random(PixelType.UINT16, 2, 2, 1)));
            assertEquals(1, tx.sendTimeouts());
            assertEquals(0, tx.messagesSent());
        }
    }

    @Test
    void startStopAndCloseAreCleanAndIdempotent() throws Exception {
        FramePool pool = new FramePool(1 << 20);
        BoundedEventQueue queue = new BoundedEventQueue(EventQueueConfig.defaults());
        ZmqReceiverConfig cfg = ZmqLoopback.receiverConfig().withEndpoint("tcp://127.0.0.1:*", ZmqReceiverMode.PULL_BIND);
        ZmqFrameReceiver never = new ZmqFrameReceiver(cfg, new AdZmqDecoder("x", AdZmqConfig.defaults(), pool), queue,
                r -> { });
        never.close(); // never started: still releases the socket
        never.close();

        ZmqFrameReceiver rx = new ZmqFrameReceiver(cfg, new AdZmqDecoder("x", AdZmqConfig.defaults(), pool), queue,
                r -> { });
        rx.start();
        assertThrows(IllegalStateException.class, rx::start);
        Thread t = rx.thread();
        assertTrue(rx.isRunning());
        rx.stop();
        assertFalse(t.isAlive());
        assertFalse(rx.isRunning());
        assertNull(rx.failure());
        rx.stop();
        assertThrows(IllegalStateException.class, rx::start);
    }

    @Test
    void bindingAnEndpointInUseFailsAtConstructionNamingIt() {
        FramePool pool = new FramePool(1 << 20);
        BoundedEventQueue queue = new BoundedEventQueue(EventQueueConfig.defaults());
        ZmqReceiverConfig cfg = ZmqLoopback.receiverConfig().withEndpoint("tcp://127.0.0.1:*", ZmqReceiverMode.PULL_BIND);
        try (ZmqFrameReceiver first = new ZmqFrameReceiver(cfg, new AdZmqDecoder("a", AdZmqConfig.defaults(), pool),
                queue, r -> { })) {
            ZmqReceiverConfig same = cfg.withEndpoint(first.endpoint(), ZmqReceiverMode.PULL_BIND);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ZmqFrameReceiver(same,
                    new AdZmqDecoder("b", AdZmqConfig.defaults(), pool), queue, r -> { }));
            assertTrue(e.getMessage().contains(first.endpoint()), e.getMessage());
        }
    }

    @Test
    void aFailingListenerOrDecoderDoesNotStopTheStream() throws Exception {
        FramePool pool = new FramePool(16L << 20);
        BoundedEventQueue queue = new BoundedEventQueue(EventQueueConfig.defaults());
        RecordingRejectionListener recorded = new RecordingRejectionListener();
        try (ZmqFrameReceiver rx = new ZmqFrameReceiver(ZmqLoopback.receiverConfig()
                .withEndpoint("tcp://127.0.0.1:*", ZmqReceiverMode.PULL_BIND), ep -> new ExplodingDecoder(
                        new AdZmqDecoder(ep, AdZmqConfig.defaults(), pool)), queue, r -> {
                    recorded.onRejected(r);
                    throw new IllegalStateException("listener broke");
                }, Clock.systemUTC())) {
            rx.start();
            try (ZmqFrameSender tx = new ZmqFrameSender(ZmqLoopback.senderConfig()
                    .withEndpoint(rx.endpoint(), ZmqSenderMode.PUSH_CONNECT), new AdZmqEncoder(AdZmqEncoderConfig.defaults()))) {
                assertTrue(tx.sendMessage(List.of("BOOM".getBytes(StandardCharsets.US_ASCII))));
                assertTrue(tx.sendMessage(List.of("HELLO".getBytes(StandardCharsets.US_ASCII))));
                assertTrue(tx.sendMessage(List.of("BOOM".getBytes(StandardCharsets.US_ASCII))));
                assertTrue(tx.sendFrame(header(rx.endpoint(), "e", 0, 2, 2), TestPixels.random(PixelType.UINT16, 2, 2, 1)));
                assertInstanceOf(Frame.class, queue.poll(10, TimeUnit.SECONDS)).release();
                assertEquals(RejectReason.BAD_PARTS, recorded.next().reason());
                assertEquals(2, rx.stats().decoderErrors());
                assertEquals(1, rx.stats().rejectedTotal());
                assertTrue(rx.isRunning());
            }
        }
    }

    @Test
    void messagesWithMorePartsThanTheLimitAreRejectedByTheReceiver() throws Exception {
        ZmqReceiverConfig base = ZmqLoopback.receiverConfig();
        ZmqReceiverConfig two = new ZmqReceiverConfig(base.endpoint(), base.mode(), base.rcvHwm(), base.pollIntervalMs(),
                2, base.messagePoolBytes(), base.ioThreads(), base.handshakeIvlMs());
        try (ZmqLoopback lb = loopback(EventQueueConfig.defaults(), two, ZmqLoopback.senderConfig(), 1 << 20,
                AdZmqConfig.defaults())) {
            byte[] p = new byte[3];
            lb.sendRaw(List.of("first".getBytes(StandardCharsets.US_ASCII), p, p, p, p));
            var r = lb.rejections.next();
            assertEquals(RejectReason.BAD_PARTS, r.reason());
            assertTrue(r.detail().contains("5 parts"), r.detail());
            assertEquals("first", r.header());
            lb.send(header(lb.receiver.endpoint(), "m", 0, 2, 2), TestPixels.random(PixelType.UINT16, 2, 2, 1));
            lb.nextFrame().release();
        }
    }

    /** Throws on messages whose single part is {@code BOOM}; otherwise delegates. */
    private static final class ExplodingDecoder implements FrameDecoder {
        private final FrameDecoder delegate;

        ExplodingDecoder(FrameDecoder delegate) {
            this.delegate = delegate;
        }

        @Override
        public IngestEvent decode(org.xanestream.ingest.MessageParts message)
                throws org.xanestream.ingest.RejectedMessageException, InterruptedException {
            ByteBuffer p = message.part(0);
            if (message.count() == 1 && p.remaining() == 4 && p.get(p.position()) == 'B') {
                throw new IllegalStateException("decoder bug");
            }
            return delegate.decode(message);
        }
    }
}
