package org.xanestream.ingest.dectris;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.BoundedEventQueue;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.EventQueueConfig;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.IngestEvent;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.QueueFullPolicy;
import org.xanestream.ingest.RejectReason;
import org.xanestream.ingest.Rejection;
import org.xanestream.ingest.zmq.ZmqFrameReceiver;
import org.xanestream.ingest.zmq.ZmqFrameSender;
import org.xanestream.ingest.zmq.ZmqReceiverConfig;
import org.xanestream.ingest.zmq.ZmqReceiverMode;
import org.xanestream.ingest.zmq.ZmqSenderConfig;
import org.xanestream.ingest.zmq.ZmqSenderMode;

/**
 * DECTRIS stream v1 over real JeroMQ sockets on loopback: the receiver's PULL socket bound, a PUSH
 * sender connected to it, the decoder on the receive thread.
 */
class DectrisSocketRoundTripTest {
    private static final long WAIT_S = 20;

    private ZmqFrameSender sender;
    private ZmqFrameReceiver receiver;
    private BoundedEventQueue queue;
    private final List<Rejection> rejections = new CopyOnWriteArrayList<>();

    /**
     * Starts a receiver with a DECTRIS decoder bound to a free port and a sender connected to it. The
     * receiver binds because a freshly connected JeroMQ 0.6.0 socket sometimes never completes its
     * handshake, and what a binding PUSH queued for such a peer is lost (see ingest/README.md); a
     * connecting PUSH keeps its queue until the connection works.
     */
    private void connect(DectrisStreamEncoder encoder) {
        queue = new BoundedEventQueue(new EventQueueConfig(64, QueueFullPolicy.BLOCK));
        ZmqReceiverConfig rc = new ZmqReceiverConfig("tcp://127.0.0.1:*", ZmqReceiverMode.PULL_BIND, 16, 50,
                DectrisStreamDecoder.MAX_PARTS, 64L << 20, 1, ZmqReceiverConfig.defaults().handshakeIvlMs());
        receiver = new ZmqFrameReceiver(rc,
                endpoint -> new DectrisStreamDecoder(endpoint, DectrisConfig.defaults(), new FramePool(256L << 20)),
                queue, rejections::add, java.time.Clock.systemUTC());
        receiver.start();
        sender = new ZmqFrameSender(ZmqSenderConfig.defaults()
                .withEndpoint(receiver.endpoint(), ZmqSenderMode.PUSH_CONNECT).withSendTimeoutMs(10_000), encoder);
    }

    @AfterEach
    void close() {
        if (receiver != null) {
            receiver.close();
        }
        if (sender != null) {
            sender.close();
        }
        if (queue != null) {
            for (IngestEvent e = queue.poll(); e != null; e = queue.poll()) {
                if (e instanceof Frame) {
                    ((Frame) e).release();
                }
            }
        }
    }

    private IngestEvent next() throws InterruptedException {
        IngestEvent e = queue.poll(WAIT_S, TimeUnit.SECONDS);
        assertNotNull(e, "no event within " + WAIT_S + " s; rejections so far: " + rejections);
        return e;
    }

    private static FrameHeader header(String scan, long n, FrameKind kind, double energyEv, int w, int h, PixelType t) {
        return DectrisStreamDecoderTest.header(scan, n, kind, energyEv, w, h, t);
    }

    @Test
    void everyEncodingElementSizeAndHeaderDetailSurvivesTheSocket() throws Exception {
        // 130x70 = 9100 pixels: not a multiple of any block size, and 9100 % 8 = 4 pixels of raw tail.
        int w = 130;
        int h = 70;
        int series = 0;
        for (HeaderDetail detail : HeaderDetail.values()) {
            for (DectrisEncoding encoding : DectrisEncoding.values()) {
                DectrisStreamEncoder encoder = new DectrisStreamEncoder(DectrisEncoderConfig.defaults()
                        .withEncoding(encoding).withHeaderDetail(detail));
                byte[] mask = new byte[w * h];
                mask[17] = 1;
                mask[w * h - 1] = 1;
                encoder.setPixelMask(mask);
                connect(encoder);
                for (PixelType type : new PixelType[]{PixelType.UINT8, PixelType.UINT16, PixelType.UINT32}) {
                    String scan = "scan-" + (++series);
                    assertTrue(sender.beginScan(scan, w, h, type));
                    byte[][] sent = new byte[3][];
                    for (int f = 0; f < 3; f++) {
                        sent[f] = DectrisStreamDecoderTest.pixels(w, h, type, 100L * series + f);
                        FrameKind kind = f == 0 ? FrameKind.DARK : FrameKind.SAMPLE;
                        assertTrue(sender.sendFrame(header(scan, f, kind, f == 0 ? Double.NaN : 8333 + f, w, h, type),
                                ByteBuffer.wrap(sent[f])));
                    }
                    assertTrue(sender.endScan(scan));
                    byte[] seriesMask = null;
                    for (int f = 0; f < 3; f++) {
                        String what = detail + " " + encoding + " " + type + " frame " + f;
                        Frame frame = assertInstanceOf(Frame.class, next(), what);
                        assertEquals(scan, frame.header().scanId(), what);
                        assertEquals(f, frame.header().frameNumber(), what);
                        assertEquals(type, frame.header().pixelType(), what);
                        assertEquals(w, frame.header().width(), what);
                        assertEquals(h, frame.header().height(), what);
                        assertArrayEquals(sent[f], Arrays.copyOf(frame.pixels().array(), sent[f].length), what);
                        if (detail == HeaderDetail.ALL) {
                            assertArrayEquals(mask, frame.pixelMask(), what);
                            if (seriesMask != null) {
                                assertSame(seriesMask, frame.pixelMask(), what);
                            }
                            seriesMask = frame.pixelMask();
                        } else {
                            assertNull(frame.pixelMask(), what);
                        }
                        frame.release();
                    }
                    assertEquals(new EndOfScan(sender.endpoint(), scan), next());
                }
                assertEquals(List.of(), rejections);
                assertEquals(9, receiver.stats().framesReceived());
                close();
            }
        }
    }

    @Test
    void malformedMessagesAreRejectedWithReasonsAndAValidImageAfterThemIsDecoded() throws Exception {
        DectrisStreamEncoder encoder = new DectrisStreamEncoder(DectrisEncoderConfig.defaults()
                .withHeaderDetail(HeaderDetail.ALL));
        connect(encoder);
        int w = 64;
        int h = 48;
        byte[] raw = DectrisStreamDecoderTest.pixels(w, h, PixelType.UINT16, 9);
        List<byte[]> header = ListParts.copy(encoder.beginScan("m", w, h, PixelType.UINT16).get(0));
        List<byte[]> image = ListParts.copy(encoder.encodeFrame(header("m", 0, FrameKind.SAMPLE, 8400, w, h,
                PixelType.UINT16), ByteBuffer.wrap(raw)));

        List<RejectReason> expected = new ArrayList<>();
        assertTrue(sender.sendMessage(image));                       // before any header
        expected.add(RejectReason.NO_HEADER);
        assertTrue(sender.sendMessage(header));
        assertTrue(sender.sendMessage(image.subList(0, 3)));         // 3 parts
        expected.add(RejectReason.BAD_PARTS);
        List<byte[]> tooMany = new ArrayList<>(header);
        tooMany.add(bytes("{}"));
        tooMany.add(bytes("{}"));
        assertTrue(sender.sendMessage(tooMany));                     // 10 parts: above the receiver's maxParts
        expected.add(RejectReason.BAD_PARTS);
        assertTrue(sender.sendMessage(List.of(bytes("not json"))));
        expected.add(RejectReason.BAD_JSON);
        assertTrue(sender.sendMessage(List.of(bytes("{\"htype\":\"dimage-2.0\"}"))));
        expected.add(RejectReason.BAD_HTYPE);
        List<byte[]> badEncoding = new ArrayList<>(image);
        badEncoding.set(1, bytes("{\"htype\":\"dimage_d-1.0\",\"shape\":[64,48],\"type\":\"uint16\",\"encoding\":\"lzma<\"}"));
        assertTrue(sender.sendMessage(badEncoding));
        expected.add(RejectReason.BAD_ENCODING);
        List<byte[]> badSize = new ArrayList<>(image);
        badSize.set(1, bytes("{\"htype\":\"dimage_d-1.0\",\"shape\":[64,48],\"type\":\"uint16\",\"encoding\":\"bs16-lz4<\","
                + "\"size\":12}"));
        assertTrue(sender.sendMessage(badSize));
        expected.add(RejectReason.SIZE_MISMATCH);
        List<byte[]> corrupt = new ArrayList<>(image);
        byte[] data = image.get(2).clone();
        for (int i = 16; i < data.length; i += 7) {
            data[i] ^= (byte) 0x5A;
        }
        corrupt.set(2, data);
        assertTrue(sender.sendMessage(corrupt));
        expected.add(RejectReason.DECOMPRESS);
        List<byte[]> huge = new ArrayList<>(image);
        huge.set(1, bytes("{\"htype\":\"dimage_d-1.0\",\"shape\":[400000,400000],\"type\":\"uint32\",\"encoding\":\"<\"}"));
        assertTrue(sender.sendMessage(huge));
        expected.add(RejectReason.TOO_LARGE);
        List<byte[]> noKind = new ArrayList<>(image);
        noKind.set(4, bytes("{\"Energy\":8400}"));
        assertTrue(sender.sendMessage(noKind));
        expected.add(RejectReason.BAD_KIND);
        assertTrue(sender.sendMessage(image));

        Frame frame = assertInstanceOf(Frame.class, next());
        assertArrayEquals(raw, Arrays.copyOf(frame.pixels().array(), raw.length));
        assertEquals(w * h, frame.pixelMask().length);
        frame.release();
        List<RejectReason> got = new ArrayList<>();
        for (Rejection r : rejections) {
            got.add(r.reason());
            assertEquals(sender.endpoint(), r.source());
        }
        assertEquals(expected, got);
        for (RejectReason r : expected) {
            assertTrue(receiver.stats().rejected(r) > 0, r + " counted");
        }
        assertEquals(expected.size(), receiver.stats().rejectedTotal());
        assertTrue(receiver.isRunning());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
