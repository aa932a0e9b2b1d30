package org.xanestream.ingest.dectris;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xanestream.ingest.EndOfScan;
import org.xanestream.ingest.Frame;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.FrameKind;
import org.xanestream.ingest.FramePool;
import org.xanestream.ingest.IngestEvent;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.RejectReason;
import org.xanestream.ingest.RejectedMessageException;

class DectrisStreamDecoderTest {
    static final String SOURCE = "tcp://127.0.0.1:9999";

    static byte[] pixels(int width, int height, PixelType type, long seed) {
        Random rnd = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(width * height * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < width * height; i++) {
            int v = 1000 + (i % width) * 3 + rnd.nextInt(200);
            switch (type.bytes()) {
                case 1: b.put((byte) v); break;
                case 2: b.putShort((short) v); break;
                case 4:
                    if (type == PixelType.FLOAT32) {
                        b.putFloat(v * 0.5f);
                    } else {
                        b.putInt(v * 70);
                    }
                    break;
                default: b.putLong(v);
            }
        }
        return b.array();
    }

    static FrameHeader header(String scan, long frame, FrameKind kind, double energyEv, int w, int h, PixelType type) {
        return new FrameHeader(SOURCE, scan, frame, kind, energyEv, w, h, type, 0L, Map.of());
    }

    static DectrisStreamDecoder decoder() {
        return new DectrisStreamDecoder(SOURCE, DectrisConfig.defaults().withBufferWaitMs(0), new FramePool(64L << 20));
    }

    static IngestEvent decode(DectrisStreamDecoder d, List<byte[]> message) throws Exception {
        return d.decode(ListParts.heap(message));
    }

    static RejectReason rejectReason(DectrisStreamDecoder d, List<byte[]> message) {
        RejectedMessageException e = assertThrows(RejectedMessageException.class, () -> decode(d, message));
        return e.reason();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Arguments> roundTrips() {
        List<Arguments> cases = new ArrayList<>();
        int[][] sizes = {{37, 29}, {64, 64}, {130, 70}, {1, 1}, {3, 5}};
        for (DectrisEncoding enc : DectrisEncoding.values()) {
            for (PixelType type : new PixelType[]{PixelType.UINT8, PixelType.UINT16, PixelType.UINT32, PixelType.FLOAT32}) {
                for (int[] s : sizes) {
                    for (HeaderDetail detail : HeaderDetail.values()) {
                        cases.add(Arguments.of(enc, type, s[0], s[1], detail, (s[0] + detail.ordinal()) % 2 == 0));
                    }
                }
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} {1} {2}x{3} detail={4} direct={5}")
    @MethodSource("roundTrips")
    void roundTripsEveryEncodingTypeSizeAndHeaderDetail(DectrisEncoding enc, PixelType type, int w, int h,
                                                        HeaderDetail detail, boolean direct) throws Exception {
        DectrisStreamEncoder encoder = new DectrisStreamEncoder(DectrisEncoderConfig.defaults().withEncoding(enc)
                .withHeaderDetail(detail));
        byte[] mask = new byte[w * h];
        mask[mask.length / 2] = 1;
        encoder.setPixelMask(mask);
        DectrisStreamDecoder d = decoder();
        List<List<byte[]>> begin = encoder.beginScan("s1", w, h, type);
        assertEquals(1, begin.size());
        assertEquals(detail.parts() + 1, begin.get(0).size(), "header parts incl. appendix");
        assertNull(direct ? d.decode(ListParts.direct(begin.get(0))) : decode(d, begin.get(0)));
        assertTrue(d.hasSeriesHeader());
        assertEquals(detail, d.headerDetail());

        byte[] first = null;
        for (int f = 0; f < 3; f++) {
            byte[] raw = pixels(w, h, type, f);
            FrameKind kind = f == 0 ? FrameKind.DARK : f == 1 ? FrameKind.FLAT : FrameKind.SAMPLE;
            double energy = f == 0 ? Double.NaN : 8333.5;
            List<byte[]> msg = encoder.encodeFrame(header("s1", f, kind, energy, w, h, type), ByteBuffer.wrap(raw));
            assertEquals(5, msg.size());
            Frame frame = (Frame) (direct ? d.decode(ListParts.direct(msg)) : decode(d, msg));
            FrameHeader fh = frame.header();
            assertEquals("s1", fh.scanId());
            assertEquals(f, fh.frameNumber());
            assertEquals(kind, fh.kind());
            assertEquals(w, fh.width());
            assertEquals(h, fh.height());
            assertEquals(type, fh.pixelType());
            assertEquals(SOURCE, fh.source());
            if (f == 0) {
                assertTrue(Double.isNaN(fh.energyEv()), "dark frame without energy");
            } else {
                assertEquals(8333.5, fh.energyEv());
            }
            assertArrayEquals(raw, Arrays.copyOf(frame.pixels().array(), raw.length));
            assertEquals(raw.length, frame.pixels().limit());
            if (detail == HeaderDetail.ALL) {
                assertNotNull(frame.pixelMask());
                assertArrayEquals(mask, frame.pixelMask());
                if (first == null) {
                    first = frame.pixelMask();
                }
                assertSame(first, frame.pixelMask(), "one mask array shared by the series");
            } else {
                assertNull(frame.pixelMask());
            }
            frame.release();
        }
        IngestEvent end = decode(d, encoder.endScan("s1"));
        assertEquals(new EndOfScan(SOURCE, "s1"), end);
        assertTrue(!d.hasSeriesHeader());
        assertEquals(3, d.sequenceMonitor().framesRecorded());
        assertEquals(0, d.sequenceMonitor().gapEvents());
    }

    @Test
    void decodesAHandWrittenStreamLikeTheDetectorsWithUnknownFieldsAndQuotedSize() throws Exception {
        DectrisStreamDecoder d = decoder();
        assertNull(decode(d, List.of(
                utf8("{\"htype\": \"dheader-1.0\", \"series\": 7, \"header_detail\": \"basic\"}"),
                utf8("{\"beam_center_x\": 1030.5, \"count_time\": 0.05, \"x_pixels_in_detector\": 4, "
                        + "\"nested\": {\"a\": [1, 2]}}"),
                utf8("{\"ScanId\": \"op-12\", \"FrameType\": \"Projection\"}"))));
        ByteBuffer px = ByteBuffer.allocate(4 * 2 * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) {
            px.putShort((short) (100 * i + 7));
        }
        Frame f = (Frame) decode(d, List.of(
                utf8("{\"htype\":\"dimage-1.0\",\"series\":7,\"frame\":0,\"hash\":\"0123456789abcdef0123456789abcdef\"}"),
                utf8("{\"htype\":\"dimage_d-1.0\",\"shape\":[4,2],\"type\":\"uint16\",\"encoding\":\"<\",\"size\":\"16\"}"),
                px.array(),
                utf8("{\"htype\":\"dconfig-1.0\",\"start_time\":834759834260,\"stop_time\":834760834280,\"real_time\":1000000}"),
                utf8("{\"Energy\": 8.35, \"Ring current\": 400.1, \"ok\": true}")));
        assertEquals(4, f.header().width());
        assertEquals(2, f.header().height());
        assertEquals(FrameKind.SAMPLE, f.header().kind(), "kind from the header appendix");
        assertEquals("op-12", f.header().scanId(), "scan id from the header appendix");
        assertEquals(8350.0, f.header().energyEv(), 1e-9, "keV below 100");
        assertEquals(Map.of("Ring current", "400.1", "ok", "true"), f.header().attributes());
        assertEquals(707, f.pixelAsFloat(7), 0.0);
        assertEquals(7, d.seriesId());
    }

    @Test
    void imageAppendixOverridesTheHeaderAppendix() throws Exception {
        DectrisStreamEncoder enc = new DectrisStreamEncoder(DectrisEncoderConfig.defaults()
                .withEncoding(DectrisEncoding.LZ4).withKindAsNumber(true).withEnergyInKev(true));
        DectrisStreamDecoder d = decoder();
        decode(d, enc.beginScan("from-header", 8, 8, PixelType.UINT16).get(0));
        Frame f = (Frame) decode(d, enc.encodeFrame(header("from-image", 3, FrameKind.FLAT, 8400, 8, 8, PixelType.UINT16),
                ByteBuffer.wrap(pixels(8, 8, PixelType.UINT16, 1))));
        assertEquals("from-image", f.header().scanId());
        assertEquals(FrameKind.FLAT, f.header().kind());
        assertEquals(8400.0, f.header().energyEv(), 1e-9);
    }

    @Test
    void maskIsAttachedOnlyToFramesOfTheMaskShape() throws Exception {
        DectrisStreamEncoder enc = new DectrisStreamEncoder(DectrisEncoderConfig.defaults()
                .withHeaderDetail(HeaderDetail.ALL));
        DectrisStreamDecoder d = decoder();
        decode(d, enc.beginScan("a", 16, 8, PixelType.UINT16).get(0));
        assertNotNull(d.pixelMask());
        Frame f = (Frame) decode(d, enc.encodeFrame(header("roi", 0, FrameKind.SAMPLE, 8400, 8, 8, PixelType.UINT16),
                ByteBuffer.wrap(pixels(8, 8, PixelType.UINT16, 2))));
        assertNull(f.pixelMask());
    }

    @Test
    void countsFrameNumberGapsAndRepeats() throws Exception {
        DectrisStreamEncoder enc = new DectrisStreamEncoder(DectrisEncoderConfig.defaults());
        DectrisStreamDecoder d = decoder();
        decode(d, enc.beginScan("s", 8, 8, PixelType.UINT16).get(0));
        byte[] raw = pixels(8, 8, PixelType.UINT16, 3);
        for (long n : new long[]{0, 1, 4, 4, 5}) {
            ((Frame) decode(d, enc.encodeFrame(header("s", n, FrameKind.SAMPLE, 8400, 8, 8, PixelType.UINT16),
                    ByteBuffer.wrap(raw)))).release();
        }
        assertEquals(1, d.sequenceMonitor().gapEvents());
        assertEquals(2, d.sequenceMonitor().missingFrames());
        assertEquals(1, d.sequenceMonitor().repeats());
    }

    // ---- malformed input ------------------------------------------------------------------------

    /** A valid series and one valid image message of 16×8 uint16, bitshuffle-LZ4. */
    static final class Fixture {
        final DectrisStreamEncoder enc = new DectrisStreamEncoder(DectrisEncoderConfig.defaults()
                .withHeaderDetail(HeaderDetail.ALL));
        final DectrisStreamDecoder d = decoder();
        final byte[] raw = pixels(16, 8, PixelType.UINT16, 4);
        final List<byte[]> header;
        final List<byte[]> image;

        Fixture() throws Exception {
            header = ListParts.copy(enc.beginScan("bad", 16, 8, PixelType.UINT16).get(0));
            image = ListParts.copy(enc.encodeFrame(header("bad", 0, FrameKind.SAMPLE, 8400, 16, 8, PixelType.UINT16),
                    ByteBuffer.wrap(raw)));
        }

        List<byte[]> image(int part, String json) {
            List<byte[]> m = new ArrayList<>(image);
            m.set(part, utf8(json));
            return m;
        }

        List<byte[]> imageData(byte[] data, String dimageD) {
            List<byte[]> m = new ArrayList<>(image);
            m.set(1, utf8(dimageD));
            m.set(2, data);
            return m;
        }

        void assertValidImageStillDecodes() throws Exception {
            Frame f = (Frame) decode(d, image);
            assertArrayEquals(raw, Arrays.copyOf(f.pixels().array(), raw.length));
            f.release();
        }
    }

    @Test
    void rejectsAnImageBeforeAnyHeaderThenAcceptsItAfterTheHeader() throws Exception {
        Fixture fx = new Fixture();
        assertEquals(RejectReason.NO_HEADER, rejectReason(fx.d, fx.image));
        assertNull(decode(fx.d, fx.header));
        fx.assertValidImageStillDecodes();
    }

    @Test
    void rejectsAnImageOfAnotherSeriesAndAnImageAfterTheSeriesEnd() throws Exception {
        Fixture fx = new Fixture();
        decode(fx.d, fx.header);
        assertEquals(RejectReason.NO_HEADER, rejectReason(fx.d,
                fx.image(0, "{\"htype\":\"dimage-1.0\",\"series\":99,\"frame\":1,\"hash\":\"\"}")));
        decode(fx.d, fx.enc.endScan("bad"));
        assertEquals(RejectReason.NO_HEADER, rejectReason(fx.d, fx.image));
    }

    static List<Arguments> malformedImages() {
        String dd = "{\"htype\":\"dimage_d-1.0\",\"shape\":[16,8],\"type\":\"uint16\",\"encoding\":\"bs16-lz4<\",\"size\":";
        return List.of(
                Arguments.of("image part 1 not JSON", 0, "{\"htype\":\"dimage-1.0\",", RejectReason.BAD_JSON),
                Arguments.of("unknown htype", 0, "{\"htype\":\"dimage-9.0\"}", RejectReason.BAD_HTYPE),
                Arguments.of("missing htype", 0, "{\"series\":1}", RejectReason.BAD_HTYPE),
                Arguments.of("part 2 wrong htype", 1, "{\"htype\":\"dimage-1.0\"}", RejectReason.BAD_HTYPE),
                Arguments.of("part 4 wrong htype", 3, "{\"htype\":\"dimage_d-1.0\"}", RejectReason.BAD_HTYPE),
                Arguments.of("part 4 not JSON", 3, "start_time=1", RejectReason.BAD_JSON),
                Arguments.of("unknown encoding", 1, "{\"htype\":\"dimage_d-1.0\",\"shape\":[16,8],\"type\":\"uint16\","
                        + "\"encoding\":\"bslz4\"}", RejectReason.BAD_ENCODING),
                Arguments.of("big-endian encoding", 1, "{\"htype\":\"dimage_d-1.0\",\"shape\":[16,8],\"type\":\"uint16\","
                        + "\"encoding\":\"bs16-lz4>\"}", RejectReason.BAD_ENCODING),
                Arguments.of("missing encoding", 1, "{\"htype\":\"dimage_d-1.0\",\"shape\":[16,8],\"type\":\"uint16\"}",
                        RejectReason.BAD_ENCODING),
                Arguments.of("bitshuffle width differs from type", 1, "{\"htype\":\"dimage_d-1.0\",\"shape\":[16,8],"
                        + "\"type\":\"uint32\",\"encoding\":\"bs16-lz4<\"}", RejectReason.BAD_ENCODING),
                Arguments.of("unknown type", 1, "{\"htype\":\"dimage_d-1.0\",\"shape\":[16,8],\"type\":\"complex64\","
                        + "\"encoding\":\"<\"}", RejectReason.BAD_DTYPE),
                Arguments.of("missing type", 1, "{\"htype\":\"dimage_d-1.0\",\"shape\":[16,8],\"encoding\":\"<\"}",
                        RejectReason.BAD_DTYPE),
                Arguments.of("1-D shape", 1, "{\"htype\":\"dimage_d-1.0\",\"shape\":[128],\"type\":\"uint16\","
                        + "\"encoding\":\"bs16-lz4<\"}", RejectReason.SIZE_MISMATCH),
                Arguments.of("zero shape", 1, "{\"htype\":\"dimage_d-1.0\",\"shape\":[0,8],\"type\":\"uint16\","
                        + "\"encoding\":\"bs16-lz4<\"}", RejectReason.SIZE_MISMATCH),
                Arguments.of("declared size differs from data", 1, dd + "5}", RejectReason.SIZE_MISMATCH),
                Arguments.of("shape disagrees with bitshuffle header", 1, "{\"htype\":\"dimage_d-1.0\",\"shape\":[8,8],"
                        + "\"type\":\"uint16\",\"encoding\":\"bs16-lz4<\"}", RejectReason.DECOMPRESS),
                Arguments.of("huge shape", 1, "{\"htype\":\"dimage_d-1.0\",\"shape\":[1000000,1000000],"
                        + "\"type\":\"uint16\",\"encoding\":\"bs16-lz4<\"}", RejectReason.TOO_LARGE),
                Arguments.of("shape beyond long", 1, "{\"htype\":\"dimage_d-1.0\",\"shape\":[99999999999999999999999,2],"
                        + "\"type\":\"uint16\",\"encoding\":\"bs16-lz4<\"}", RejectReason.TOO_LARGE),
                Arguments.of("negative size", 1, dd + "-5}", RejectReason.BAD_JSON),
                Arguments.of("appendix not JSON", 4, "Energy=8.4", RejectReason.BAD_JSON),
                Arguments.of("unknown kind", 4, "{\"Energy\":8400,\"FrameType\":\"Sideways\"}", RejectReason.BAD_KIND),
                Arguments.of("missing kind", 4, "{\"Energy\":8400}", RejectReason.BAD_KIND),
                Arguments.of("missing energy", 4, "{\"FrameType\":\"Projection\"}", RejectReason.BAD_ENERGY),
                Arguments.of("negative energy", 4, "{\"FrameType\":\"Flat\",\"Energy\":-1}", RejectReason.BAD_ENERGY),
                Arguments.of("NaN energy", 4, "{\"FrameType\":\"Flat\",\"Energy\":NaN}", RejectReason.BAD_ENERGY),
                Arguments.of("text energy", 4, "{\"FrameType\":\"Flat\",\"Energy\":\"high\"}", RejectReason.BAD_ENERGY));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedImages")
    void rejectsMalformedImagesAndKeepsDecodingValidOnes(String what, int part, String json, RejectReason reason)
            throws Exception {
        Fixture fx = new Fixture();
        FramePool pool = new FramePool(64L << 20);
        DectrisStreamDecoder d = new DectrisStreamDecoder(SOURCE, DectrisConfig.defaults(), pool);
        decode(d, fx.header);
        RejectedMessageException e = assertThrows(RejectedMessageException.class,
                () -> decode(d, fx.image(part, json)));
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(new String(fx.image(part, json).get(0), StandardCharsets.UTF_8),
                e.headerText().split("\n")[0], "the reject carries the first part's text");
        if (reason != RejectReason.DECOMPRESS) {
            assertEquals(0, pool.allocations(), "nothing taken from the pool before validation passed");
        }
        Frame f = (Frame) decode(d, fx.image);
        assertArrayEquals(fx.raw, Arrays.copyOf(f.pixels().array(), fx.raw.length));
        f.release();
    }

    @Test
    void rejectsWrongPartCounts() throws Exception {
        Fixture fx = new Fixture();
        decode(fx.d, fx.header);
        assertEquals(RejectReason.BAD_PARTS, rejectReason(fx.d, fx.image.subList(0, 3)));
        List<byte[]> six = new ArrayList<>(fx.image);
        six.add(utf8("{}"));
        assertEquals(RejectReason.BAD_PARTS, rejectReason(fx.d, six));
        assertEquals(RejectReason.BAD_PARTS, rejectReason(fx.d, fx.header.subList(0, 7)));
        assertEquals(RejectReason.BAD_PARTS, rejectReason(fx.d, List.of(
                utf8("{\"htype\":\"dheader-1.0\",\"series\":2,\"header_detail\":\"none\"}"), utf8("{}"), utf8("{}"))));
        assertEquals(RejectReason.BAD_PARTS, rejectReason(fx.d, List.of(
                utf8("{\"htype\":\"dseries_end-1.0\",\"series\":1}"), utf8("{}"))));
        assertEquals(RejectReason.BAD_PARTS, rejectReason(fx.d, List.of()));
        fx.assertValidImageStillDecodes();
    }

    @Test
    void rejectedHeaderKeepsTheSeriesInForce() throws Exception {
        Fixture fx = new Fixture();
        decode(fx.d, fx.header);
        byte[] mask = fx.d.pixelMask();
        List<byte[]> badMask = new ArrayList<>(fx.header);
        badMask.set(5, new byte[7]);
        assertEquals(RejectReason.SIZE_MISMATCH, rejectReason(fx.d, badMask));
        List<byte[]> badFlat = new ArrayList<>(fx.header);
        badFlat.set(2, utf8("{\"htype\":\"dpixelmask-1.0\"}"));
        assertEquals(RejectReason.BAD_HTYPE, rejectReason(fx.d, badFlat));
        List<byte[]> badConfig = new ArrayList<>(fx.header);
        badConfig.set(1, utf8("[1, 2]"));
        assertEquals(RejectReason.BAD_JSON, rejectReason(fx.d, badConfig));
        List<byte[]> badDetail = new ArrayList<>(fx.header);
        badDetail.set(0, utf8("{\"htype\":\"dheader-1.0\",\"series\":1,\"header_detail\":\"most\"}"));
        assertEquals(RejectReason.BAD_JSON, rejectReason(fx.d, badDetail));
        List<byte[]> floatMask = new ArrayList<>(fx.header);
        floatMask.set(4, utf8("{\"htype\":\"dpixelmask-1.0\",\"shape\":[16,8],\"type\":\"float32\"}"));
        assertEquals(RejectReason.BAD_DTYPE, rejectReason(fx.d, floatMask));
        List<byte[]> hugeMask = new ArrayList<>(fx.header);
        hugeMask.set(4, utf8("{\"htype\":\"dpixelmask-1.0\",\"shape\":[100000,100000],\"type\":\"uint32\"}"));
        assertEquals(RejectReason.TOO_LARGE, rejectReason(fx.d, hugeMask));
        assertSame(mask, fx.d.pixelMask());
        assertTrue(fx.d.hasSeriesHeader());
        Frame f = (Frame) decode(fx.d, fx.image);
        assertSame(mask, f.pixelMask());
        f.release();
    }

    @Test
    void aNonJsonHeaderAppendixIsIgnored() throws Exception {
        DectrisStreamDecoder d = decoder();
        assertNull(decode(d, List.of(utf8("{\"htype\":\"dheader-1.0\",\"series\":3,\"header_detail\":\"none\"}"),
                utf8("user notes: sample B, 3rd cycle"))));
        assertTrue(d.hasSeriesHeader());
    }

    @Test
    void rejectsCorruptCompressedData() throws Exception {
        for (DectrisEncoding enc : new DectrisEncoding[]{DectrisEncoding.LZ4, DectrisEncoding.BITSHUFFLE_LZ4}) {
            DectrisStreamEncoder e = new DectrisStreamEncoder(DectrisEncoderConfig.defaults().withEncoding(enc));
            DectrisStreamDecoder d = decoder();
            decode(d, e.beginScan("c", 64, 64, PixelType.UINT16).get(0));
            byte[] raw = pixels(64, 64, PixelType.UINT16, 5);
            List<byte[]> good = ListParts.copy(e.encodeFrame(header("c", 0, FrameKind.SAMPLE, 8400, 64, 64,
                    PixelType.UINT16), ByteBuffer.wrap(raw)));
            String dimageD = new String(good.get(1), StandardCharsets.UTF_8);
            byte[] data = good.get(2);
            List<byte[]> truncated = new ArrayList<>(good);
            truncated.set(2, Arrays.copyOf(data, data.length / 2));
            truncated.set(1, utf8(dimageD.replace("\"size\":" + data.length, "\"size\":" + data.length / 2)));
            assertEquals(RejectReason.DECOMPRESS, rejectReason(d, truncated), enc + " truncated");
            List<byte[]> empty = new ArrayList<>(good);
            empty.set(2, new byte[0]);
            empty.set(1, utf8(dimageD.replace("\"size\":" + data.length, "\"size\":0")));
            assertEquals(RejectReason.DECOMPRESS, rejectReason(d, empty), enc + " empty");
            Random rnd = new Random(6);
            for (int trial = 0; trial < 200; trial++) {
                byte[] garbage = new byte[data.length];
                rnd.nextBytes(garbage);
                List<byte[]> g = new ArrayList<>(good);
                g.set(2, garbage);
                assertEquals(RejectReason.DECOMPRESS, rejectReason(d, g), enc + " garbage");
            }
            Frame f = (Frame) decode(d, good);
            assertArrayEquals(raw, Arrays.copyOf(f.pixels().array(), raw.length));
        }
    }

    @Test
    void rejectsAFrameSizeChangeWithinAScan() throws Exception {
        DectrisStreamEncoder e = new DectrisStreamEncoder(DectrisEncoderConfig.defaults());
        DectrisStreamDecoder d = decoder();
        decode(d, e.beginScan("z", 8, 8, PixelType.UINT16).get(0));
        decode(d, e.encodeFrame(header("z", 0, FrameKind.SAMPLE, 8400, 8, 8, PixelType.UINT16),
                ByteBuffer.wrap(pixels(8, 8, PixelType.UINT16, 7))));
        assertEquals(RejectReason.SIZE_CHANGE, rejectReason(d, e.encodeFrame(header("z", 1, FrameKind.SAMPLE, 8400,
                16, 8, PixelType.UINT16), ByteBuffer.wrap(pixels(16, 8, PixelType.UINT16, 7)))));
    }

    @Test
    void rejectsNoBufferWhenThePoolStaysEmpty() throws Exception {
        FramePool pool = new FramePool(64 * 1024);
        DectrisStreamDecoder d = new DectrisStreamDecoder(SOURCE, DectrisConfig.defaults().withBufferWaitMs(0), pool);
        DectrisStreamEncoder e = new DectrisStreamEncoder(DectrisEncoderConfig.defaults());
        decode(d, e.beginScan("p", 8, 8, PixelType.UINT16).get(0));
        Frame held = pool.acquire(100, 0, TimeUnit.MILLISECONDS);
        assertNotNull(held);
        List<byte[]> msg = ListParts.copy(e.encodeFrame(header("p", 0, FrameKind.SAMPLE, 8400, 8, 8, PixelType.UINT16),
                ByteBuffer.wrap(pixels(8, 8, PixelType.UINT16, 8))));
        assertEquals(RejectReason.NO_BUFFER, rejectReason(d, msg));
        held.release();
        assertInstanceOf(Frame.class, decode(d, msg), "the same message decodes once a buffer is free");
        assertEquals(1, d.sequenceMonitor().framesRecorded());
    }

    @Test
    void seriesEndWithoutHeaderEndsNothingInParticular() throws Exception {
        DectrisStreamDecoder d = decoder();
        assertEquals(new EndOfScan(SOURCE, null), decode(d, List.of(utf8("{\"htype\":\"dseries_end-1.0\",\"series\":5}"))));
    }
}
