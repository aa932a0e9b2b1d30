package org.xanestream.ingest.adzmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.ArrayMessageParts;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.MessageParts;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.RejectReason;
import org.xanestream.ingest.RejectedMessageException;
import org.xanestream.ingest.TestPixels;

/** Decoder details without a transport; the socket-level matrix lives in {@code AdZmqOverZmqTest}. */
class AdZmqDecoderTest {
    private final FramePool pool = new FramePool(8L << 20);
    private final AdZmqDecoder decoder = new AdZmqDecoder("tcp://det:5555", AdZmqConfig.defaults(), pool);

    private static String header(String extra, String ndattr) {
        return "{\"htype\":\"array-1.0\",\"type\":\"uint16\",\"shape\":[2,3]" + extra + ",\"ndattr\":" + ndattr + "}";
    }

    private Frame decodeFrame(String header, byte[] payload) throws Exception {
        return assertInstanceOf(Frame.class, decoder.decode(ArrayMessageParts.of(header, payload)));
    }

    private RejectedMessageException reject(MessageParts m) {
        return assertThrows(RejectedMessageException.class, () -> decoder.decode(m));
    }

    @Test
    void convertsEpicsSecondsToUnixNanoseconds() {
        assertEquals(631_152_000_000_000_000L, AdZmqDecoder.epicsToEpochNanos(1e-10) - 0);
        assertEquals(631_152_001_500_000_000L, AdZmqDecoder.epicsToEpochNanos(1.5));
        // 2024-03-01T12:00:00.25Z is 1078142400.25 s after 1990-01-01.
        assertEquals(1_709_294_400_250_000_000L, AdZmqDecoder.epicsToEpochNanos(1_078_142_400.25));
        assertEquals(0, AdZmqDecoder.epicsToEpochNanos(0));
        assertEquals(0, AdZmqDecoder.epicsToEpochNanos(-3));
        assertEquals(0, AdZmqDecoder.epicsToEpochNanos(Double.NaN));
        assertEquals(0, AdZmqDecoder.epicsToEpochNanos(Double.POSITIVE_INFINITY));
        long t = 1_709_294_400_123_456_789L;
        assertEquals(t, AdZmqDecoder.epicsToEpochNanos(AdZmqEncoder.epochNanosToEpics(t)), 1000);
    }

    @Test
    void readsHeaderFieldsAttributesAndTimestamp() throws Exception {
        Frame f = decodeFrame(header(",\"frame\":42,\"timeStamp\":1078142400.25,\"encoding\":\"none\",\"dims\":[3,2]",
                "{\"Energy\":\"8.3335\",\"FrameType\":\"Projection\",\"ScanId\":1234,\"Exposure\":0.05,"
                        + "\"Motor\":\"x\",\"Flag\":true,\"Arr\":[1,2],\"Nothing\":null}"), new byte[12]);
        FrameHeader h = f.header();
        assertEquals("tcp://det:5555", h.source());
        assertEquals("1234", h.scanId());
        assertEquals(42, h.frameNumber());
        assertEquals(8333.5, h.energyEv(), 1e-9);
        assertEquals(3, h.width());
        assertEquals(2, h.height());
        assertEquals(1_709_294_400_250_000_000L, h.epochNanos());
        assertEquals(Map.of("Exposure", "0.05", "Motor", "x", "Flag", "true"), h.attributes());
        f.release();
    }

    @Test
    void missingOptionalFieldsGetDefaults() throws Exception {
        Frame f = decodeFrame(header("", "{\"Energy\":8.3,\"FrameType\":1}"), new byte[12]);
        assertEquals("scan", f.header().scanId());
        assertEquals(-1, f.header().frameNumber());
        assertEquals(0, f.header().epochNanos());
        assertEquals(Map.of(), f.header().attributes());
        f.release();
    }

    @Test
    void darkFramesMayOmitEnergy() throws Exception {
        Frame f = decodeFrame(header("", "{\"FrameType\":\"DarkField\"}"), new byte[12]);
        assertEquals(FrameKind.DARK, f.header().kind());
        assertTrue(Double.isNaN(f.header().energyEv()));
        f.release();
        Frame g = decodeFrame(header("", "{\"FrameType\":2,\"Energy\":null}"), new byte[12]);
        assertTrue(Double.isNaN(g.header().energyEv()));
        g.release();
    }

    @Test
    void copiesPixelsSoTheMessageBufferCanBeReused() throws Exception {
        byte[] payload = {1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, (byte) 0xFF};
        Frame f = decodeFrame(header("", "{\"Energy\":8.3,\"FrameType\":0}"), payload);
        payload[0] = 99;
        assertEquals(1, f.pixels().getShort(0));
        assertEquals(ByteOrder.LITTLE_ENDIAN, f.pixels().order());
        assertEquals(0xFF06, f.pixelAsFloat(5), 0);
        assertEquals(12, f.pixels().limit());
        f.release();
    }

    @Test
    void readsDirectAndOffsetBuffers() throws Exception {
        byte[] h = header("", "{\"Energy\":8.3,\"FrameType\":0}").getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(h.length + 5);
        direct.position(5);
        direct.put(h);
        direct.position(5);
        ByteBuffer px = TestPixels.random(PixelType.UINT16, 3, 2, 1);
        ByteBuffer pxDirect = ByteBuffer.allocateDirect(20);
        pxDirect.position(8);
        pxDirect.put(px.duplicate());
        pxDirect.position(8);
        MessageParts m = new MessageParts() {
            @Override
            public int count() {
                return 2;
            }

            @Override
            public ByteBuffer part(int i) {
                return i == 0 ? direct : pxDirect;
            }
        };
        Frame f = assertInstanceOf(Frame.class, decoder.decode(m));
        assertTrue(TestPixels.sameBytes(px, f.pixels(), 12));
        f.release();
    }

    @Test
    void stopEndsTheScanOfTheLatestFrame() throws Exception {
        decodeFrame(header("", "{\"Energy\":8.3,\"FrameType\":0,\"ScanId\":\"s7\"}"), new byte[12]).release();
        EndOfScan end = assertInstanceOf(EndOfScan.class, decoder.decode(ArrayMessageParts.of("STOP \n".getBytes(
                StandardCharsets.US_ASCII))));
        assertEquals("s7", end.scanId());
        assertNull(assertInstanceOf(EndOfScan.class, decoder.decode(ArrayMessageParts.of("STOP".getBytes(
                StandardCharsets.US_ASCII)))).scanId());
        assertEquals(RejectReason.BAD_PARTS, reject(ArrayMessageParts.of("STOPPED".getBytes(
                StandardCharsets.US_ASCII))).reason());
        assertEquals(RejectReason.BAD_PARTS, reject(ArrayMessageParts.of("stop".getBytes(
                StandardCharsets.US_ASCII))).reason());
    }

    @Test
    void rejectionsNameTheBadValueAndCarryTheHeader() {
        String h = header("", "{\"Energy\":8.3,\"FrameType\":\"Sideways\"}");
        RejectedMessageException e = reject(ArrayMessageParts.of(h, new byte[12]));
        assertEquals(RejectReason.BAD_KIND, e.reason());
        assertTrue(e.getMessage().contains("Sideways"), e.getMessage());
        assertEquals(h, e.headerText());

        e = reject(ArrayMessageParts.of(header("", "{\"Energy\":8.3,\"FrameType\":0}"), new byte[13]));
        assertEquals(RejectReason.SIZE_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("13") && e.getMessage().contains("12"), e.getMessage());
    }

    @Test
    void checksTheDeclaredSizeAgainstTheConfiguredMaximumBeforeAllocating() throws Exception {
        AdZmqDecoder small = new AdZmqDecoder("s", AdZmqConfig.defaults().withMaxFrameBytes(100), pool);
        String h = "{\"htype\":\"array-1.0\",\"type\":\"uint32\",\"shape\":[5,6],\"ndattr\":{\"Energy\":8.3,\"FrameType\":0}}";
        RejectedMessageException e = assertThrows(RejectedMessageException.class,
                () -> small.decode(ArrayMessageParts.of(h, new byte[120])));
        assertEquals(RejectReason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("maxFrameBytes 100"), e.getMessage());
        assertEquals(0, pool.allocations());
        // Exactly at the limit is fine.
        Frame f = assertInstanceOf(Frame.class, small.decode(ArrayMessageParts.of(h.replace("[5,6]", "[5,5]"),
                new byte[100])));
        f.release();
    }

    @Test
    void rejectsHeadersAboveTheHeaderLimit() {
        AdZmqConfig c = new AdZmqConfig(AdZmqConfig.defaults().attributes(), false, 1 << 20, 64, 0);
        AdZmqDecoder d = new AdZmqDecoder("s", c, pool);
        String h = header("", "{\"Energy\":8.3,\"FrameType\":0,\"Padding\":\"" + "x".repeat(100) + "\"}");
        RejectedMessageException e = assertThrows(RejectedMessageException.class,
                () -> d.decode(ArrayMessageParts.of(h, new byte[12])));
        assertEquals(RejectReason.BAD_JSON, e.reason());
        assertTrue(e.getMessage().contains("maxHeaderBytes 64"), e.getMessage());
    }

    @Test
    void rejectsWrongJsonTypesAndTrailingGarbage() {
        String[] bad = {
            "{\"htype\":\"array-1.0\",\"type\":16,\"shape\":[2,3]}",
            "{\"htype\":\"array-1.0\",\"type\":\"uint16\",\"shape\":[2.5,3]}",
            "{\"htype\":\"array-1.0\",\"type\":\"uint16\",\"shape\":\"2x3\"}",
            "{\"htype\":\"array-1.0\",\"type\":\"uint16\",\"shape\":[2,3],\"frame\":\"one\"}",
            "{\"htype\":\"array-1.0\",\"type\":\"uint16\",\"shape\":[2,3],\"ndattr\":[1]}",
            "{\"htype\":\"array-1.0\",\"type\":\"uint16\",\"shape\":[2,3]} trailing",
            "{\"htype\":\"array-1.0\",\"type\":\"uint16\"}",
            "",
        };
        for (String h : bad) {
            assertEquals(RejectReason.BAD_JSON, reject(ArrayMessageParts.of(h, new byte[12])).reason(), h);
        }
        assertEquals(RejectReason.BAD_HTYPE, reject(ArrayMessageParts.of("{\"type\":\"uint16\"}", new byte[12]))
                .reason());
        assertEquals(RejectReason.BAD_DTYPE, reject(ArrayMessageParts.of("{\"htype\":\"array-1.0\",\"shape\":[1,1]}",
                new byte[12])).reason());
    }

    @Test
    void rejectsEmptyCompressedPayloadAsDecompressFailure() {
        String h = header(",\"encoding\":\"lz4\"", "{\"Energy\":8.3,\"FrameType\":0}");
        assertEquals(RejectReason.DECOMPRESS, reject(ArrayMessageParts.of(h, new byte[0])).reason());
    }

    @Test
    void waitsForAPooledBufferThenRejectsNoBuffer() throws Exception {
        FramePool tiny = new FramePool(64 * 1024);
        AdZmqDecoder d = new AdZmqDecoder("s", AdZmqConfig.defaults().withBufferWaitMs(0), tiny);
        String h = header("", "{\"Energy\":8.3,\"FrameType\":0}");
        Frame held = assertInstanceOf(Frame.class, d.decode(ArrayMessageParts.of(h, new byte[12])));
        RejectedMessageException e = assertThrows(RejectedMessageException.class,
                () -> d.decode(ArrayMessageParts.of(h, new byte[12])));
        assertEquals(RejectReason.NO_BUFFER, e.reason());
        held.release();
        assertInstanceOf(Frame.class, d.decode(ArrayMessageParts.of(h, new byte[12]))).release();
        // A rejected frame is not sequence-recorded.
        assertEquals(2, d.sequenceMonitor().framesRecorded());
    }

    @Test
    void rejectsAFrameLargerThanThePoolBudget() {
        FramePool tiny = new FramePool(64 * 1024);
        AdZmqDecoder d = new AdZmqDecoder("s", AdZmqConfig.defaults(), tiny);
        String h = "{\"htype\":\"array-1.0\",\"type\":\"uint16\",\"shape\":[256,256],\"ndattr\":{\"Energy\":8.3,\"FrameType\":0}}";
        RejectedMessageException e = assertThrows(RejectedMessageException.class,
                () -> d.decode(ArrayMessageParts.of(h, new byte[256 * 256 * 2])));
        assertEquals(RejectReason.TOO_LARGE, e.reason());
        assertTrue(e.getMessage().contains("frame pool budget"), e.getMessage());
    }

    @Test
    void decodesPayloadsMadeByTheEncoderInEveryEncoding() throws Exception {
        for (AdZmqEncoding enc : AdZmqEncoding.values()) {
            AdZmqEncoder encoder = new AdZmqEncoder(AdZmqEncoderConfig.defaults().withEncoding(enc));
            FrameHeader h = new FrameHeader("tcp://det:5555", "e-" + enc, 3, FrameKind.SAMPLE, 8345, 65, 9,
                    PixelType.FLOAT64, 1_709_294_400_000_000_000L, Map.of());
            ByteBuffer px = TestPixels.random(PixelType.FLOAT64, 65, 9, 4);
            List<byte[]> parts = encoder.encodeFrame(h, px);
            Frame f = assertInstanceOf(Frame.class, decoder.decode(new ArrayMessageParts(parts)));
            assertEquals(h, f.header());
            assertTrue(TestPixels.sameBytes(px, f.pixels(), 65 * 9 * 8), enc.toString());
            f.release();
        }
    }
}
