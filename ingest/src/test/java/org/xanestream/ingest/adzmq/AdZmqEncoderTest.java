package org.xanestream.ingest.adzmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xanestream.ingest.AttributeMapping;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.TestPixels;

class AdZmqEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static FrameHeader header(FrameKind kind, double energyEv, Map<String, String> attributes) {
        return new FrameHeader("s", "scan \"7\"\\x", 12, kind, energyEv, 5, 3, PixelType.UINT16,
                1_709_294_400_500_000_000L, attributes);
    }

    private static JsonNode headerOf(List<byte[]> parts) throws Exception {
        return JSON.readTree(new String(parts.get(0), StandardCharsets.UTF_8));
    }

    @Test
    void writesTheArrayHeaderWithSlowAxisFirstShape() throws Exception {
        AdZmqEncoder e = new AdZmqEncoder(AdZmqEncoderConfig.defaults());
        JsonNode h = headerOf(e.encodeFrame(header(FrameKind.SAMPLE, 8333, Map.of("Exposure", "0.1", "Energy", "1")),
                TestPixels.random(PixelType.UINT16, 5, 3, 1)));
        assertEquals("array-1.0", h.get("htype").asText());
        assertEquals("uint16", h.get("type").asText());
        assertEquals(3, h.get("shape").get(0).asInt());
        assertEquals(5, h.get("shape").get(1).asInt());
        assertEquals(12, h.get("frame").asLong());
        assertEquals(1_078_142_400.5, h.get("timeStamp").asDouble(), 1e-6);
        assertEquals("", h.get("encoding").asText());
        JsonNode attrs = h.get("ndattr");
        assertEquals(8333.0, attrs.get("Energy").asDouble(), 0);
        assertEquals("Projection", attrs.get("FrameType").asText());
        assertEquals("scan \"7\"\\x", attrs.get("ScanId").asText());
        assertEquals("0.1", attrs.get("Exposure").asText());
        assertEquals(4, attrs.size(), "a mapped name in the attributes is not written twice");
    }

    @Test
    void honoursLegacyShapeKeVNumericKindsAndCustomNames() throws Exception {
        AttributeMapping names = new AttributeMapping("E", "K", "S", 7, 8, 9, "d");
        AdZmqEncoder e = new AdZmqEncoder(new AdZmqEncoderConfig(AdZmqEncoding.NONE, true, names, true, true));
        JsonNode h = headerOf(e.encodeFrame(header(FrameKind.FLAT, 8333, Map.of()),
                TestPixels.random(PixelType.UINT16, 5, 3, 1)));
        assertEquals(5, h.get("shape").get(0).asInt());
        assertEquals(3, h.get("shape").get(1).asInt());
        assertEquals(8.333, h.get("ndattr").get("E").asDouble(), 1e-12);
        assertEquals(8, h.get("ndattr").get("K").asInt());
        JsonNode dark = headerOf(e.encodeFrame(header(FrameKind.DARK, Double.NaN, Map.of()),
                TestPixels.random(PixelType.UINT16, 5, 3, 1)));
        assertFalse(dark.get("ndattr").has("E"), "a dark frame without energy omits it");
        assertEquals(9, dark.get("ndattr").get("K").asInt());
    }

    @Test
    void reusesItsPayloadArrayForEqualSizesAndEndsWithStop() {
        AdZmqEncoder e = new AdZmqEncoder(AdZmqEncoderConfig.defaults());
        ByteBuffer px = TestPixels.random(PixelType.UINT16, 5, 3, 1);
        byte[] first = e.encodeFrame(header(FrameKind.SAMPLE, 8333, Map.of()), px).get(1);
        byte[] second = e.encodeFrame(header(FrameKind.SAMPLE, 8334, Map.of()), px).get(1);
        assertSame(first, second);
        assertEquals(30, first.length);
        assertEquals(List.of(), e.beginScan("s", 5, 3, PixelType.UINT16));
        assertEquals("STOP", new String(e.endScan("s").get(0), StandardCharsets.US_ASCII));
    }

    @Test
    void refusesPixelsShorterThanTheHeader() {
        AdZmqEncoder e = new AdZmqEncoder(AdZmqEncoderConfig.defaults());
        assertThrows(IllegalArgumentException.class, () -> e.encodeFrame(header(FrameKind.SAMPLE, 8333, Map.of()),
                ByteBuffer.allocate(10)));
    }

    @Test
    void compressesCompressiblePixels() {
        ByteBuffer flat = ByteBuffer.allocate(64 * 64 * 2);
        FrameHeader h = new FrameHeader("s", "c", 0, FrameKind.FLAT, 8333, 64, 64, PixelType.UINT16, 0, Map.of());
        for (AdZmqEncoding enc : List.of(AdZmqEncoding.LZ4, AdZmqEncoding.BSLZ4)) {
            byte[] payload = new AdZmqEncoder(AdZmqEncoderConfig.defaults().withEncoding(enc)).encodeFrame(h, flat).get(1);
            assertTrue(payload.length < 1024, enc + " gave " + payload.length + " bytes");
        }
    }

    @Test
    void configurationValidatesItsValues() {
        AdZmqConfig d = AdZmqConfig.defaults();
        assertEquals(256L << 20, d.maxFrameBytes());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> d.withMaxFrameBytes(0));
        assertTrue(ex.getMessage().contains("maxFrameBytes") && ex.getMessage().contains("got 0"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withMaxFrameBytes(AdZmqConfig.MAX_FRAME_BYTES_LIMIT + 1));
        assertThrows(IllegalArgumentException.class, () -> d.withBufferWaitMs(-1));
        assertThrows(IllegalArgumentException.class, () -> new AdZmqConfig(d.attributes(), false, 1, 10, 0));
        assertThrows(NullPointerException.class, () -> new AdZmqConfig(null, false, 1, 100, 0));
        assertThrows(NullPointerException.class, () -> AdZmqEncoderConfig.defaults().withEncoding(null));
        assertEquals(AdZmqEncoding.NONE, AdZmqEncoding.fromWireName(" None "));
        assertEquals(AdZmqEncoding.BSLZ4, AdZmqEncoding.fromWireName("BSLZ4"));
        assertEquals(null, AdZmqEncoding.fromWireName("zstd"));
    }
}
