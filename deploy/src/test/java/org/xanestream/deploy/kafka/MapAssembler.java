package org.xanestream.deploy.kafka;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reassembles maps from the row bands of the maps topic the way docs/kafka-topics.md tells a consumer to:
 * per (scan, map) keep the newest publication, ranked by (version, final), whose bands cover every row; a
 * publication is identified by (scan_id, map, version, final). Checks the band geometry on the way. For tests.
 */
public final class MapAssembler {

    /** A reassembled map. */
    public record Assembled(String scanId, String map, int version, boolean isFinal, int width, int height, int bin,
                     float[] pixels) {
    }

    private static final class Pending {
        final int width;
        final int height;
        final int bin;
        final float[] pixels;
        final BitSet rows;

        Pending(int width, int height, int bin) {
            this.width = width;
            this.height = height;
            this.bin = bin;
            this.pixels = new float[width * height];
            this.rows = new BitSet(height);
        }
    }

    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, Assembled> latest = new LinkedHashMap<>();

    public void accept(ConsumerRecord<byte[], byte[]> r) {
        String scan = TopicReader.header(r, "scan_id");
        String map = TopicReader.header(r, "map");
        int version = TopicReader.intHeader(r, "version");
        boolean fin = "true".equals(TopicReader.header(r, "final"));
        int width = TopicReader.intHeader(r, "width");
        int height = TopicReader.intHeader(r, "height");
        int row0 = TopicReader.intHeader(r, "row0");
        int rows = TopicReader.intHeader(r, "rows");
        if (!"float32".equals(TopicReader.header(r, "dtype"))) {
            throw new AssertionError("dtype " + TopicReader.header(r, "dtype"));
        }
        if (r.value().length != rows * width * 4 || row0 < 0 || row0 + rows > height) {
            throw new AssertionError("band geometry: " + r.value().length + " bytes, rows " + row0 + "+" + rows
                    + " of " + width + "x" + height);
        }
        String id = scan + "/" + map + "/" + version + "/" + fin;
        Pending p = pending.computeIfAbsent(id, k -> new Pending(width, height, TopicReader.intHeader(r, "bin")));
        ByteBuffer.wrap(r.value()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(p.pixels, row0 * width,
                rows * width);
        p.rows.set(row0, row0 + rows);
        if (p.rows.cardinality() == height) {
            pending.remove(id);
            String k = scan + "/" + map;
            Assembled old = latest.get(k);
            if (old == null || version > old.version() || (version == old.version() && fin && !old.isFinal())) {
                latest.put(k, new Assembled(scan, map, version, fin, width, height, p.bin, p.pixels));
            }
        }
    }

    public static MapAssembler of(List<ConsumerRecord<byte[], byte[]>> records) {
        MapAssembler a = new MapAssembler();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            a.accept(r);
        }
        return a;
    }

    /** Names of the maps of {@code scanId} reassembled completely at least once, in first-completion order. */
    public java.util.Set<String> maps(String scanId) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (Assembled a : latest.values()) {
            if (a.scanId().equals(scanId)) {
                out.add(a.map());
            }
        }
        return out;
    }

    public Assembled latest(String scanId, String map) {
        return latest.get(scanId + "/" + map);
    }
}
