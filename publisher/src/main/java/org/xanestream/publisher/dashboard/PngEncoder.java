package org.xanestream.publisher.dashboard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Minimal PNG writer for 8-bit RGBA images (colour type 6, no filtering, zlib level 6), so map PNGs
 * need no AWT. Stateless and thread safe; allocates the output.
 */
final class PngEncoder {
    private static final byte[] SIGNATURE = {(byte) 137, 80, 78, 71, 13, 10, 26, 10};

    private PngEncoder() {
    }

    /**
     * @param rgba {@code width × height × 4} bytes, row-major; not modified
     */
    static byte[] encodeRgba(int width, int height, byte[] rgba) {
        if (rgba.length != width * height * 4) {
            throw new IllegalArgumentException("rgba has " + rgba.length + " bytes, expected " + width + "x"
                    + height + "x4");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(rgba.length / 4 + 1024);
        out.writeBytes(SIGNATURE);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = 8;
        ihdr[9] = 6;
        chunk(out, "IHDR", ihdr, ihdr.length);
        byte[] raw = new byte[height * (width * 4 + 1)];
        for (int y = 0; y < height; y++) {
            System.arraycopy(rgba, y * width * 4, raw, y * (width * 4 + 1) + 1, width * 4);
        }
        Deflater d = new Deflater(6);
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream(raw.length / 4 + 64);
        byte[] buf = new byte[64 * 1024];
        while (!d.finished()) {
            int n = d.deflate(buf);
            z.write(buf, 0, n);
        }
        d.end();
        byte[] idat = z.toByteArray();
        chunk(out, "IDAT", idat, idat.length);
        chunk(out, "IEND", new byte[0], 0);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data, int len) {
        byte[] head = new byte[8];
        putInt(head, 0, len);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, head, 4, 4);
        out.write(head, 0, 8);
        out.write(data, 0, len);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data, 0, len);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.write(c, 0, 4);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
