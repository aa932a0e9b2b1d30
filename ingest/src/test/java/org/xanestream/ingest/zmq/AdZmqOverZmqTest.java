package org.xanestream.ingest.zmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.AttributeMapping;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.RejectReason;
import org.xanestream.ingest.Rejection;
import org.xanestream.ingest.TestPixels;
import org.xanestream.ingest.adzmq.AdZmqConfig;
import org.xanestream.ingest.adzmq.AdZmqEncoderConfig;
import org.xanestream.ingest.adzmq.AdZmqEncoding;
import org.xanestream.ingest.codec.BitshuffleLz4;
import org.xanestream.ingest.codec.Lz4Block;

/** areaDetector {@code array-1.0} frames through real JeroMQ sockets on 127.0.0.1. */
class AdZmqOverZmqTest {
    // 2024-03-01T12:00:00.123456789Z
    private static final long T0_NANOS = 1_709_294_400_123_456_789L;

    private static FrameHeader header(String source, String scan, long frame, FrameKind kind, double energyEv,
                                      int width, int height, PixelType type) {
        return new FrameHeader(source, scan, frame, kind, energyEv, width, height, type, T0_NANOS + frame * 50_000_000L,
                Map.of("Exposure", "0.05", "Temperature", "296.5"));
    }

    private static void assertSameHeader(FrameHeader sent, FrameHeader got) {
        assertEquals(sent.source(), got.source());
        assertEquals(sent.scanId(), got.scanId());
        assertEquals(sent.frameNumber(), got.frameNumber());
        assertEquals(sent.kind(), got.kind());
        assertEquals(sent.energyEv(), got.energyEv(), 1e-9);
        assertEquals(sent.width(), got.width());
        assertEquals(sent.height(), got.height());
        assertEquals(sent.pixelType(), got.pixelType());
        // EPICS timestamps travel as double seconds: sub-microsecond resolution around 2024.
        assertEquals(sent.epochNanos(), got.epochNanos(), 1000);
        assertEquals(sent.attributes(), got.attributes());
    }

    @Test
    void roundTripsEveryPixelTypeWithEveryEncoding() throws Exception {
        long seed = 11;
        for (AdZmqEncoding encoding : AdZmqEncoding.values()) {
            try (ZmqLoopback lb = new ZmqLoopback(AdZmqConfig.defaults(),
                    AdZmqEncoderConfig.defaults().withEncoding(encoding))) {
                long n = 0;
                for (PixelType type : PixelType.values()) {
                    // Odd sizes leave a bitshuffle remainder; the second size spans several bslz4 blocks.
                    for (int[] size : new int[][] {{37, 23}, {300, 41}}) {
                        // One scan per frame size: the size may not change inside a scan.
                        FrameHeader h = header(lb.sender.endpoint(), encoding + "-" + type + "-" + size[0], n++,
                                FrameKind.SAMPLE, 8333.0 + n, size[0], size[1], type);
                        ByteBuffer px = TestPixels.random(type, size[0], size[1], seed++);
                        lb.send(h, px);
                        Frame f = lb.nextFrame();
                        assertSameHeader(h, f.header());
                        assertTrue(TestPixels.sameBytes(px, f.pixels(), (int) h.payloadBytes()),
                                type + " " + encoding + " pixels differ");
                        f.release();
                    }
                }
                assertEquals(0, lb.receiver.stats().rejectedTotal(), () -> lb.rejections.all().toString());
            }
        }
    }

    @Test
    void legacyShapeOrderIsReadAsXThenY() throws Exception {
        AdZmqConfig legacy = AdZmqConfig.defaults().withLegacyShapeOrder(true);
        try (ZmqLoopback lb = new ZmqLoopback(legacy, AdZmqEncoderConfig.defaults().withLegacyShapeOrder(true))) {
            FrameHeader h = header(lb.sender.endpoint(), "s", 1, FrameKind.FLAT, 8400, 40, 10, PixelType.UINT16);
            ByteBuffer px = TestPixels.random(PixelType.UINT16, 40, 10, 3);
            lb.send(h, px);
            Frame f = lb.nextFrame();
            assertEquals(40, f.header().width());
            assertEquals(10, f.header().height());
            assertTrue(TestPixels.sameBytes(px, f.pixels(), 800));
            f.release();
            // The raw header really says [x, y].
            lb.sendRaw("{\"htype\":\"array-1.0\",\"type\":\"uint8\",\"shape\":[5,2],\"ndattr\":{\"Energy\":8.4,"
                    + "\"FrameType\":\"Flat\",\"ScanId\":\"t\"}}", new byte[10]);
            Frame g = lb.nextFrame();
            assertEquals(5, g.header().width());
            assertEquals(2, g.header().height());
            g.release();
        }
        // Without the switch the same shape means [rows, cols].
        try (ZmqLoopback lb = new ZmqLoopback()) {
            lb.sendRaw("{\"htype\":\"array-1.0\",\"type\":\"uint8\",\"shape\":[5,2],\"ndattr\":{\"Energy\":8.4,"
                    + "\"FrameType\":\"Flat\",\"ScanId\":\"t\"}}", new byte[10]);
            Frame g = lb.nextFrame();
            assertEquals(2, g.header().width());
            assertEquals(5, g.header().height());
            g.release();
        }
    }

    @Test
    void energyInKevAndEvBothArriveInEv() throws Exception {
        try (ZmqLoopback lb = new ZmqLoopback(AdZmqConfig.defaults(),
                AdZmqEncoderConfig.defaults().withEnergyInKev(true))) {
            FrameHeader h = header(lb.sender.endpoint(), "s", 1, FrameKind.SAMPLE, 8333.5, 4, 4, PixelType.UINT16);
            lb.send(h, TestPixels.random(PixelType.UINT16, 4, 4, 1));
            Frame f = lb.nextFrame();
            assertEquals(8333.5, f.header().energyEv(), 1e-9);
            f.release();
            String[] energies = {"8.333", "8333", "\"8.333\"", "\" 8333.0 \"", "99.9", "100"};
            double[] expectedEv = {8333, 8333, 8333, 8333, 99_900, 100};
            for (int i = 0; i < energies.length; i++) {
                lb.sendRaw("{\"htype\":\"array-1.0\",\"type\":\"uint8\",\"shape\":[1,1],\"frame\":" + i
                        + ",\"ndattr\":{\"Energy\":" + energies[i] + ",\"FrameType\":0}}", new byte[1]);
                Frame g = lb.nextFrame();
                assertEquals(expectedEv[i], g.header().energyEv(), 1e-6, energies[i]);
                g.release();
            }
        }
    }

    @Test
    void everyFrameKindSpellingIsRecognised() throws Exception {
        Map<String, FrameKind> spellings = new java.util.LinkedHashMap<>();
        for (String s : new String[] {"\"Projection\"", "\"Sample\"", "\"Data\"", "\"projection\"", "\"DATA\"", "0",
                "0.0", "\"0\""}) {
            spellings.put(s, FrameKind.SAMPLE);
        }
        for (String s : new String[] {"\"FlatField\"", "\"Flat\"", "\"Bkg\"", "\"flatfield\"", "\"BKG\"", "1", "\"1\""}) {
            spellings.put(s, FrameKind.FLAT);
        }
        for (String s : new String[] {"\"DarkField\"", "\"Dark\"", "\"darkfield\"", "\"DARK\"", "2", "\" 2 \""}) {
            spellings.put(s, FrameKind.DARK);
        }
        spellings.put("\"Transmission\"", FrameKind.TRANSMISSION);
        try (ZmqLoopback lb = new ZmqLoopback()) {
            int i = 0;
            for (Map.Entry<String, FrameKind> e : spellings.entrySet()) {
                lb.sendRaw("{\"htype\":\"array-1.0\",\"type\":\"uint8\",\"shape\":[1,1],\"frame\":" + i++
                        + ",\"ndattr\":{\"Energy\":8.35,\"FrameType\":" + e.getKey() + "}}", new byte[1]);
                Frame f = lb.nextFrame();
                assertEquals(e.getValue(), f.header().kind(), e.getKey());
                f.release();
            }
        }
        // Configured names and codes.
        AttributeMapping custom = new AttributeMapping("energy_kev", "image_kind", "scan", 10, 20, 30, "default");
        try (ZmqLoopback lb = new ZmqLoopback(AdZmqConfig.defaults().withAttributes(custom),
                AdZmqEncoderConfig.defaults())) {
            int[] codes = {10, 20, 30};
            FrameKind[] kinds = {FrameKind.SAMPLE, FrameKind.FLAT, FrameKind.DARK};
            for (int i = 0; i < codes.length; i++) {
                lb.sendRaw("{\"htype\":\"array-1.0\",\"type\":\"uint8\",\"shape\":[1,1],\"ndattr\":{\"energy_kev\":"
                        + "8.35,\"image_kind\":" + codes[i] + ",\"scan\":77}}", new byte[1]);
                Frame f = lb.nextFrame();
                assertEquals(kinds[i], f.header().kind());
                assertEquals("77", f.header().scanId());
                f.release();
            }
            lb.sendRaw("{\"htype\":\"array-1.0\",\"type\":\"uint8\",\"shape\":[1,1],\"ndattr\":{\"energy_kev\":"
                    + "8.35,\"image_kind\":0}}", new byte[1]);
            assertEquals(RejectReason.BAD_KIND, lb.rejections.next().reason());
        }
    }

    @Test
    void encoderWritesKindAsNumberWhenConfigured() throws Exception {
        try (ZmqLoopback lb = new ZmqLoopback(AdZmqConfig.defaults(),
                AdZmqEncoderConfig.defaults().withKindAsNumber(true))) {
            FrameKind[] kinds = {FrameKind.DARK, FrameKind.FLAT, FrameKind.SAMPLE};
            for (int i = 0; i < kinds.length; i++) {
                double energy = kinds[i] == FrameKind.DARK ? Double.NaN : 8340;
                lb.send(header(lb.sender.endpoint(), "s", i, kinds[i], energy, 3, 3, PixelType.UINT16),
                        TestPixels.random(PixelType.UINT16, 3, 3, i));
                Frame f = lb.nextFrame();
                assertEquals(kinds[i], f.header().kind());
                if (kinds[i] == FrameKind.DARK) {
                    assertTrue(Double.isNaN(f.header().energyEv()), "dark frame without energy");
                }
                f.release();
            }
        }
    }

    /** One entry of the malformed-input matrix. */
    private record Bad(String name, List<byte[]> parts, RejectReason reason) {
        static Bad of(String name, RejectReason reason, String header, byte[] payload) {
            return new Bad(name, List.of(header.getBytes(StandardCharsets.UTF_8), payload), reason);
        }
    }

    private static String hdr(String type, String shape, String encoding, String ndattr) {
        return "{\"htype\":\"array-1.0\",\"type\":\"" + type + "\",\"shape\":" + shape + ",\"frame\":1,"
                + "\"timeStamp\":1.0e9,\"encoding\":\"" + encoding + "\",\"ndattr\":" + ndattr + "}";
    }

    @Test
    void eachMalformedMessageYieldsItsReasonAndTheStreamGoesOn() throws Exception {
        String ok = "{\"Energy\":8.333,\"FrameType\":\"Projection\",\"ScanId\":\"m\"}";
        byte[] px64 = new byte[64 * 2];
        SplittableRandom r = new SplittableRandom(5);
        byte[] garbage = new byte[100];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) r.nextInt(256);
        }
        byte[] truncatedLz4 = lz4Of(TestPixels.random(PixelType.UINT16, 8, 8, 9), 128);
        truncatedLz4 = java.util.Arrays.copyOf(truncatedLz4, truncatedLz4.length / 2);
        List<Bad> matrix = List.of(
                Bad.of("bad JSON", RejectReason.BAD_JSON, "{\"htype\":\"array-1.0\",\"type\":", px64),
                Bad.of("not an object", RejectReason.BAD_JSON, "[1,2,3]", px64),
                Bad.of("shape of strings", RejectReason.BAD_JSON, hdr("uint16", "[\"8\",\"8\"]", "", ok), px64),
                Bad.of("wrong htype", RejectReason.BAD_HTYPE, hdr("uint16", "[8,8]", "", ok)
                        .replace("array-1.0", "array-2.0"), px64),
                Bad.of("DECTRIS htype", RejectReason.BAD_HTYPE, "{\"htype\":\"dheader-1.0\",\"series\":1}", px64),
                Bad.of("unknown dtype", RejectReason.BAD_DTYPE, hdr("complex64", "[8,8]", "", ok), px64),
                Bad.of("payload shorter than shape", RejectReason.SIZE_MISMATCH, hdr("uint16", "[8,8]", "", ok),
                        new byte[127]),
                Bad.of("payload longer than shape", RejectReason.SIZE_MISMATCH, hdr("uint16", "[8,8]", "", ok),
                        new byte[129]),
                Bad.of("3D shape", RejectReason.SIZE_MISMATCH, hdr("uint16", "[2,8,4]", "", ok), px64),
                Bad.of("zero shape", RejectReason.SIZE_MISMATCH, hdr("uint16", "[0,8]", "", ok), new byte[0]),
                Bad.of("10^12 pixels", RejectReason.TOO_LARGE, hdr("uint16", "[1000000,1000000]", "", ok), px64),
                Bad.of("10^40 pixels", RejectReason.TOO_LARGE,
                        hdr("uint8", "[100000000000000000000,100000000000000000000]", "", ok), px64),
                Bad.of("NaN energy", RejectReason.BAD_ENERGY, hdr("uint16", "[8,8]", "",
                        "{\"Energy\":NaN,\"FrameType\":\"Projection\"}"), px64),
                Bad.of("text energy", RejectReason.BAD_ENERGY, hdr("uint16", "[8,8]", "",
                        "{\"Energy\":\"eight\",\"FrameType\":\"Projection\"}"), px64),
                Bad.of("negative energy", RejectReason.BAD_ENERGY, hdr("uint16", "[8,8]", "",
                        "{\"Energy\":-8.3,\"FrameType\":\"Flat\"}"), px64),
                Bad.of("missing energy", RejectReason.BAD_ENERGY, hdr("uint16", "[8,8]", "",
                        "{\"FrameType\":\"Projection\"}"), px64),
                Bad.of("unknown kind", RejectReason.BAD_KIND, hdr("uint16", "[8,8]", "",
                        "{\"Energy\":8.3,\"FrameType\":\"Sideways\"}"), px64),
                Bad.of("unknown kind code", RejectReason.BAD_KIND, hdr("uint16", "[8,8]", "",
                        "{\"Energy\":8.3,\"FrameType\":9}"), px64),
                Bad.of("missing kind", RejectReason.BAD_KIND, hdr("uint16", "[8,8]", "", "{\"Energy\":8.3}"), px64),
                Bad.of("unknown encoding", RejectReason.BAD_ENCODING, hdr("uint16", "[8,8]", "zstd", ok), px64),
                Bad.of("corrupt LZ4", RejectReason.DECOMPRESS, hdr("uint16", "[8,8]", "lz4", ok), garbage),
                Bad.of("truncated LZ4", RejectReason.DECOMPRESS, hdr("uint16", "[8,8]", "lz4", ok), truncatedLz4),
                Bad.of("corrupt bslz4", RejectReason.DECOMPRESS, hdr("uint16", "[8,8]", "bslz4", ok), garbage),
                new Bad("1-part message", List.of("HELLO".getBytes(StandardCharsets.US_ASCII)), RejectReason.BAD_PARTS),
                new Bad("3-part message", List.of(hdr("uint16", "[8,8]", "", ok).getBytes(StandardCharsets.UTF_8),
                        px64, px64), RejectReason.BAD_PARTS));

        try (ZmqLoopback lb = new ZmqLoopback()) {
            long allocationsBefore = lb.pool.allocations();
            for (Bad bad : matrix) {
                lb.sendRaw(bad.parts());
            }
            for (Bad bad : matrix) {
                Rejection rej = lb.rejections.next();
                assertEquals(bad.reason(), rej.reason(), bad.name() + ": " + rej.detail());
                assertEquals(lb.receiver.endpoint(), rej.source());
                assertTrue(!rej.detail().isEmpty(), bad.name());
                String sentHeader = new String(bad.parts().get(0), StandardCharsets.UTF_8);
                assertEquals(sentHeader.substring(0, Math.min(sentHeader.length(), Rejection.MAX_HEADER_CHARS)),
                        rej.header(), bad.name());
            }
            // Only decompression needs a frame buffer (it was released again); the 10^12-pixel claim took none.
            assertEquals(allocationsBefore + 1, lb.pool.allocations());
            assertEquals(64 * 1024, lb.pool.allocatedBytes());

            ByteBuffer px = TestPixels.random(PixelType.UINT16, 8, 8, 42);
            FrameHeader good = header(lb.sender.endpoint(), "m", 2, FrameKind.SAMPLE, 8333, 8, 8, PixelType.UINT16);
            lb.send(good, px);
            Frame f = lb.nextFrame();
            assertSameHeader(good, f.header());
            assertTrue(TestPixels.sameBytes(px, f.pixels(), 128));
            f.release();

            // A different size inside the same scan is refused, the next scan may change size.
            lb.send(header(lb.sender.endpoint(), "m", 3, FrameKind.SAMPLE, 8333, 16, 16, PixelType.UINT16),
                    TestPixels.random(PixelType.UINT16, 16, 16, 1));
            assertEquals(RejectReason.SIZE_CHANGE, lb.rejections.next().reason());
            lb.send(header(lb.sender.endpoint(), "m", 4, FrameKind.SAMPLE, 8333, 8, 8, PixelType.UINT8),
                    TestPixels.random(PixelType.UINT8, 8, 8, 1));
            assertEquals(RejectReason.SIZE_CHANGE, lb.rejections.next().reason());
            lb.send(header(lb.sender.endpoint(), "m2", 5, FrameKind.SAMPLE, 8333, 16, 16, PixelType.UINT16),
                    TestPixels.random(PixelType.UINT16, 16, 16, 1));
            lb.nextFrame().release();
            assertEquals(allocationsBefore + 1, lb.pool.allocations(), "one small buffer served every frame");

            ReceiverStats st = lb.receiver.stats();
            assertEquals(2, st.framesReceived());
            assertEquals(matrix.size() + 2, st.rejectedTotal());
            for (RejectReason reason : RejectReason.values()) {
                long expected = matrix.stream().filter(b -> b.reason() == reason).count()
                        + (reason == RejectReason.SIZE_CHANGE ? 2 : 0);
                assertEquals(expected, st.rejected(reason), reason.code());
            }
            assertEquals(matrix.size() + 4, st.messagesReceived());
            assertNull(lb.queue.poll());
            assertTrue(lb.receiver.isRunning());
        }
    }

    private static byte[] lz4Of(ByteBuffer src, int bytes) {
        ByteBuffer dst = ByteBuffer.allocate(Lz4Block.maxCompressedLength(bytes));
        int n = Lz4Block.compress(src, 0, bytes, dst, 0);
        return java.util.Arrays.copyOf(dst.array(), n);
    }

    @Test
    void bslz4PayloadFromTheCodecDecodes() throws Exception {
        // A payload made directly with the codec (not through the encoder), as a real NDPluginZMQ sends it.
        ByteBuffer px = TestPixels.random(PixelType.UINT32, 33, 17, 8);
        int bytes = 33 * 17 * 4;
        ByteBuffer dst = ByteBuffer.allocate(BitshuffleLz4.maxCompressedLength(bytes, 4, BitshuffleLz4.defaultBlockElements(4)));
        int n = BitshuffleLz4.compress(px.duplicate().order(ByteOrder.LITTLE_ENDIAN), dst, 0, 4,
                BitshuffleLz4.defaultBlockElements(4), false);
        try (ZmqLoopback lb = new ZmqLoopback()) {
            lb.sendRaw(hdr("uint32", "[17,33]", "bslz4", "{\"Energy\":8.333,\"FrameType\":\"Projection\"}"),
                    java.util.Arrays.copyOf(dst.array(), n));
            Frame f = lb.nextFrame();
            assertEquals(33, f.header().width());
            assertTrue(TestPixels.sameBytes(px, f.pixels(), bytes));
            f.release();
        }
    }

    @Test
    void stopEndsTheScanOfTheLastFrameAndForgetsItsSize() throws Exception {
        try (ZmqLoopback lb = new ZmqLoopback()) {
            lb.send(header(lb.sender.endpoint(), "a", 0, FrameKind.SAMPLE, 8333, 8, 8, PixelType.UINT16),
                    TestPixels.random(PixelType.UINT16, 8, 8, 1));
            lb.nextFrame().release();
            assertTrue(lb.sender.endScan("a"));
            EndOfScan end = assertInstanceOf(EndOfScan.class, lb.next());
            assertEquals("a", end.scanId());
            assertEquals(lb.sender.endpoint(), end.source());
            // Same scan id, new size: a new scan, not a size change.
            lb.send(header(lb.sender.endpoint(), "a", 1, FrameKind.SAMPLE, 8333, 4, 4, PixelType.UINT16),
                    TestPixels.random(PixelType.UINT16, 4, 4, 1));
            lb.nextFrame().release();
            // STOP with trailing NUL (C senders) also ends the scan.
            lb.sendRaw(List.of("STOP\0".getBytes(StandardCharsets.US_ASCII)));
            assertEquals("a", assertInstanceOf(EndOfScan.class, lb.next()).scanId());
            // STOP with no scan open.
            lb.sendRaw(List.of("STOP".getBytes(StandardCharsets.US_ASCII)));
            assertNull(assertInstanceOf(EndOfScan.class, lb.next()).scanId());
            assertEquals(3, lb.receiver.stats().endOfScans());
        }
    }

    @Test
    void countsFrameNumberGapsRepeatsAndBackwardJumps() throws Exception {
        try (ZmqLoopback lb = new ZmqLoopback()) {
            long[] numbers = {0, 1, 2, 5, 5, 6, 3, 4, 10};
            for (long n : numbers) {
                lb.send(header(lb.sender.endpoint(), "g", n, FrameKind.SAMPLE, 8333, 4, 4, PixelType.UINT16),
                        TestPixels.random(PixelType.UINT16, 4, 4, n));
            }
            List<Long> got = new ArrayList<>();
            for (int i = 0; i < numbers.length; i++) {
                Frame f = lb.nextFrame();
                got.add(f.header().frameNumber());
                f.release();
            }
            assertEquals(List.of(0L, 1L, 2L, 5L, 5L, 6L, 3L, 4L, 10L), got);
            ReceiverStats st = lb.receiver.stats();
            assertEquals(2, st.gapEvents());      // 2 -> 5, 4 -> 10
            assertEquals(2 + 5, st.missingFrames());
            assertEquals(1, st.repeats());        // 5, 5
            assertEquals(1, st.outOfOrder());     // 6 -> 3
            // A new scan starts a new sequence, whatever its first number.
            lb.send(header(lb.sender.endpoint(), "g2", 100, FrameKind.SAMPLE, 8333, 4, 4, PixelType.UINT16),
                    TestPixels.random(PixelType.UINT16, 4, 4, 1));
            lb.nextFrame().release();
            assertEquals(2, st.gapEvents());
        }
    }
}
