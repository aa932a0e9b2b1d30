package org.xanestream.publisher.dashboard;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Turns stored maps into bytes for clients: the browser's binary map message, colormapped PNGs and raw
 * float32. Stateless, thread safe; every call allocates its output (called off the event loop).
 */
final class MapRender {
    private MapRender() {
    }

    /**
     * The WebSocket map message: {@code u32 LE header length H}, H bytes of UTF-8 JSON header, zero
     * padding to a multiple of 4, then {@code w·h} float32 LE values (block means of finite pixels, NaN
     * where none), then {@code w·h} bytes of trust (1 = inside the mask, 0 = not).
     */
    static byte[] displayMessage(MapView map, MapView mask, MapStats stats, int displayLimit) {
        int g = BandAssembly.factorFor(map.width(), map.height(), displayLimit);
        int w = (map.width() + g - 1) / g;
        int h = (map.height() + g - 1) / g;
        float[] sum = new float[w * h];
        int[] finite = new int[w * h];
        int[] trusted = new int[w * h];
        float[] v = map.values();
        for (int y = 0; y < map.height(); y++) {
            int row = (y / g) * w;
            for (int x = 0; x < map.width(); x++) {
                int i = y * map.width() + x;
                float f = v[i];
                if (Float.isFinite(f)) {
                    int o = row + x / g;
                    sum[o] += f;
                    finite[o]++;
                    if (MapView.trusted(mask, map, i)) {
                        trusted[o]++;
                    }
                }
            }
        }
        JsonOut j = new JsonOut().begin();
        j.str("type", "map").str("scan", map.scanId()).str("name", map.name()).num("version", map.version())
                .bool("final", map.finalMap()).num("width", w).num("height", h).num("scale", (long) map.scale() * g)
                .num("storedWidth", map.width()).num("storedHeight", map.height()).num("storedScale", map.scale())
                .bool("hasMask", mask != null);
        j.begin("stats");
        stats.write(j);
        j.end();
        byte[] header = j.end().done().getBytes(StandardCharsets.UTF_8);
        int headerEnd = 4 + header.length;
        int pad = (4 - headerEnd % 4) % 4;
        ByteBuffer out = ByteBuffer.allocate(headerEnd + pad + 5 * w * h).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(header.length).put(header);
        for (int p = 0; p < pad; p++) {
            out.put((byte) 0);
        }
        for (int o = 0; o < w * h; o++) {
            out.putFloat(finite[o] > 0 ? sum[o] / finite[o] : Float.NaN);
        }
        for (int o = 0; o < w * h; o++) {
            out.put((byte) (finite[o] > 0 && 2 * trusted[o] >= finite[o] ? 1 : 0));
        }
        return out.array();
    }

    /**
     * A colormapped RGBA PNG at stored resolution: values clamped to {@code [lo, hi]}; NaN pixels, and
     * with {@code applyMask} untrusted pixels, are transparent.
     */
    static byte[] png(MapView map, MapView mask, double lo, double hi, boolean applyMask) {
        int n = map.width() * map.height();
        byte[] rgba = new byte[4 * n];
        float[] v = map.values();
        for (int i = 0; i < n; i++) {
            boolean show = applyMask ? MapView.trusted(mask, map, i) : Float.isFinite(v[i]);
            if (!show) {
                continue;
            }
            int c = Colormap.rgb(Colormap.index(v[i], lo, hi));
            rgba[4 * i] = (byte) (c >>> 16);
            rgba[4 * i + 1] = (byte) (c >>> 8);
            rgba[4 * i + 2] = (byte) c;
            rgba[4 * i + 3] = (byte) 255;
        }
        return PngEncoder.encodeRgba(map.width(), map.height(), rgba);
    }

    /** The stored pixels as float32 little-endian rows. */
    static byte[] rawFloat32(MapView map) {
        ByteBuffer out = ByteBuffer.allocate(4 * map.values().length).order(ByteOrder.LITTLE_ENDIAN);
        out.asFloatBuffer().put(map.values());
        return out.array();
    }
}
