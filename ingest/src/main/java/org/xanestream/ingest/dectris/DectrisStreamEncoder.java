package org.xanestream.ingest.dectris;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.xanestream.ingest.AttributeJson;
import org.xanestream.ingest.AttributeMapping;
import org.xanestream.ingest.FrameEncoder;
import org.xanestream.ingest.FrameHeader;
import org.xanestream.ingest.PixelType;
import org.xanestream.ingest.codec.PayloadEncoder;

/**
 * Encodes frames as a DECTRIS stream v1, the inverse of {@link DectrisStreamDecoder}, for the simulator
 * ({@code --protocol dectris1}), replay and tests.
 *
 * <p>{@link #beginScan} starts a new series (ids 1, 2, ...) and returns its header message with the
 * configured detail: the detector configuration ({@code x_pixels_in_detector}, ...) from
 * {@code basic} on; with {@code all} a flat field of ones, the pixel mask ({@link #setPixelMask}, else
 * all good; bad pixels are sent as 2 = "dead") and a token count-rate table. A header appendix with the
 * scan id ends the header. {@link #encodeFrame} returns the 5-part image message (the appendix holds
 * energy, frame kind, scan id and the header's other attributes); {@code start_time}/{@code stop_time}
 * are the frame's time since the first frame of the series in ns, {@code real_time} 0.
 * {@link #endScan} returns {@code dseries_end-1.0}.
 *
 * <p>Not thread safe. Allocation: the data array and compression scratch are reused while their size
 * stays the same (compressed sizes vary, so compressed data usually needs a new exact-length array);
 * JSON parts are small new arrays. Returned lists and arrays are overwritten by the next call.
 */
public final class DectrisStreamEncoder implements FrameEncoder {
    /** Value sent for a bad pixel in the mask: the DECTRIS "dead pixel" bit. */
    public static final int BAD_PIXEL_VALUE = 2;

    private final DectrisEncoderConfig config;
    private final AttributeMapping mapping;
    private final StringBuilder text = new StringBuilder(512);
    private final byte[][] imageParts = new byte[5][];
    private final List<byte[]> imagePartsView = Arrays.asList(imageParts);
    private final MessageDigest md5;
    private final PayloadEncoder data = new PayloadEncoder();
    private byte[] pixelMask;

    private long series;
    private long firstEpochNanos;
    private long nextFrame;

    public DectrisStreamEncoder(DectrisEncoderConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.mapping = config.attributes();
        MessageDigest digest = null;
        if (config.md5Hash()) {
            try {
                digest = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no MD5", e);
            }
        }
        this.md5 = digest;
    }

    public DectrisEncoderConfig config() {
        return config;
    }

    /** The id of the current series (0 before the first {@link #beginScan}). */
    public long series() {
        return series;
    }

    /**
     * The pixel mask sent by later {@code all} headers: row-major, nonzero = bad; {@code null} = all good.
     * Its length must equal the pixel count given to {@link #beginScan}. Not copied: do not modify it
     * while scans are encoded.
     */
    public void setPixelMask(byte[] mask) {
        this.pixelMask = mask;
    }

    @Override
    public List<List<byte[]>> beginScan(String scanId, int width, int height, PixelType pixelType) {
        Objects.requireNonNull(scanId, "scanId");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("frame size must be positive, got " + width + "x" + height);
        }
        int pixels = Math.multiplyExact(width, height);
        if (pixelMask != null && pixelMask.length != pixels) {
            throw new IllegalArgumentException("pixel mask has " + pixelMask.length + " entries, the frame "
                    + width + "x" + height + " has " + pixels);
        }
        series++;
        nextFrame = 0;
        firstEpochNanos = Long.MIN_VALUE;
        HeaderDetail detail = config.headerDetail();
        List<byte[]> parts = new ArrayList<>(detail.parts() + 1);
        parts.add(utf8("{\"htype\":\"" + DectrisStreamDecoder.HTYPE_HEADER + "\",\"series\":" + series
                + ",\"header_detail\":\"" + detail.wireName() + "\"}"));
        if (detail != HeaderDetail.NONE) {
            parts.add(utf8("{\"x_pixels_in_detector\":" + width + ",\"y_pixels_in_detector\":" + height
                    + ",\"bit_depth_image\":" + 8 * pixelType.bytes() + ",\"description\":\"xanestream simulated"
                    + " detector\",\"software_version\":\"xanestream\"}"));
        }
        if (detail == HeaderDetail.ALL) {
            parts.add(utf8("{\"htype\":\"" + DectrisStreamDecoder.HTYPE_FLATFIELD + "\",\"shape\":[" + width + ","
                    + height + "],\"type\":\"float32\"}"));
            ByteBuffer flat = ByteBuffer.allocate(4 * pixels).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < pixels; i++) {
                flat.putFloat(4 * i, 1.0f);
            }
            parts.add(flat.array());
            parts.add(utf8("{\"htype\":\"" + DectrisStreamDecoder.HTYPE_PIXEL_MASK + "\",\"shape\":[" + width + ","
                    + height + "],\"type\":\"uint32\"}"));
            ByteBuffer mask = ByteBuffer.allocate(4 * pixels).order(ByteOrder.LITTLE_ENDIAN);
            if (pixelMask != null) {
                for (int i = 0; i < pixels; i++) {
                    if (pixelMask[i] != 0) {
                        mask.putInt(4 * i, BAD_PIXEL_VALUE);
                    }
                }
            }
            parts.add(mask.array());
            parts.add(utf8("{\"htype\":\"" + DectrisStreamDecoder.HTYPE_COUNTRATE_TABLE
                    + "\",\"shape\":[2,2],\"type\":\"float32\"}"));
            ByteBuffer table = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            table.putFloat(0, 0f).putFloat(4, 1e6f).putFloat(8, 0f).putFloat(12, 1e6f);
            parts.add(table.array());
        }
        StringBuilder s = text;
        s.setLength(0);
        s.append('{');
        AttributeJson.appendName(s, mapping.scanIdName(), true);
        AttributeJson.appendString(s, scanId);
        s.append('}');
        parts.add(utf8(s.toString()));
        return List.of(parts);
    }

    @Override
    public List<byte[]> encodeFrame(FrameHeader header, ByteBuffer pixels) {
        long frame = header.frameNumber() >= 0 ? header.frameNumber() : nextFrame;
        nextFrame = frame + 1;
        String wire = config.encoding().wireName(header.pixelType());
        byte[] payload = encodeData(header, pixels);
        imageParts[2] = payload;
        String hash = "";
        if (md5 != null) {
            byte[] d = md5.digest(payload);
            StringBuilder h = new StringBuilder(32);
            for (byte b : d) {
                h.append(Character.forDigit((b >>> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            hash = h.toString();
        }
        imageParts[0] = utf8("{\"htype\":\"" + DectrisStreamDecoder.HTYPE_IMAGE + "\",\"series\":" + series
                + ",\"frame\":" + frame + ",\"hash\":\"" + hash + "\"}");
        imageParts[1] = utf8("{\"htype\":\"" + DectrisStreamDecoder.HTYPE_IMAGE_DATA + "\",\"shape\":["
                + header.width() + "," + header.height() + "],\"type\":\"" + header.pixelType().wireName()
                + "\",\"encoding\":\"" + wire + "\",\"size\":" + payload.length + "}");
        long t = 0;
        if (header.epochNanos() != 0) {
            if (firstEpochNanos == Long.MIN_VALUE) {
                firstEpochNanos = header.epochNanos();
            }
            t = Math.max(0, header.epochNanos() - firstEpochNanos);
        }
        imageParts[3] = utf8("{\"htype\":\"" + DectrisStreamDecoder.HTYPE_IMAGE_CONFIG + "\",\"start_time\":" + t
                + ",\"stop_time\":" + t + ",\"real_time\":0}");
        imageParts[4] = utf8(appendix(header));
        return imagePartsView;
    }

    @Override
    public List<byte[]> endScan(String scanId) {
        return List.of(utf8("{\"htype\":\"" + DectrisStreamDecoder.HTYPE_SERIES_END + "\",\"series\":" + series + "}"));
    }

    /** The image appendix JSON: energy (omitted when not finite), kind, scan id, other attributes as strings. */
    public String appendix(FrameHeader h) {
        StringBuilder s = text;
        s.setLength(0);
        s.append('{');
        AttributeJson.appendMembers(s, h, mapping, config.energyInKev(), config.kindAsNumber());
        s.append('}');
        return s.toString();
    }

    /**
     * The encoded data part of a frame: {@code header.payloadBytes()} bytes of {@code pixels} from index 0,
     * raw or compressed. The returned array is reused by the next call when its length matches.
     */
    public byte[] encodeData(FrameHeader header, ByteBuffer pixels) {
        int bytes = PayloadEncoder.checkedLength(header.payloadBytes(), pixels);
        switch (config.encoding()) {
            case RAW:
                return data.raw(pixels, bytes);
            case LZ4:
                return data.lz4(pixels, bytes);
            default:
                config.encoding().wireName(header.pixelType()); // rejects 8-byte types
                return data.bitshuffleLz4(pixels, bytes, header.pixelType().bytes(), true);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
