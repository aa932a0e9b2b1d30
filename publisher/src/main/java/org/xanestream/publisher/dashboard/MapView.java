package org.xanestream.publisher.dashboard;

/**
 * One complete, stored version of a map (or an energy image): immutable, readable from any thread.
 *
 * @param scanId   scan identifier
 * @param name     map name (e.g. {@code whiteline_ev})
 * @param version  energy points included
 * @param finalMap true for the scan's final maps
 * @param width    stored width
 * @param height   stored height
 * @param scale    full-resolution pixels per stored pixel along each axis
 * @param bin      the publisher's binning (part of {@code scale})
 * @param values   row-major pixels, NaN where undefined; never modified
 */
record MapView(String scanId, String name, int version, boolean finalMap, int width, int height, int scale,
               int bin, float[] values) {

    long rank() {
        return BandAssembly.rank(version, finalMap);
    }

    /**
     * The value of the pixel covering full-resolution pixel (fx, fy), or NaN outside.
     */
    float atFull(int fx, int fy) {
        int x = Math.floorDiv(fx, scale);
        int y = Math.floorDiv(fy, scale);
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return Float.NaN;
        }
        return values[y * width + x];
    }

    /**
     * Whether stored pixel {@code i} of {@code map} is trusted according to this mask (value ≥ 0.5 at the
     * same place); a null mask trusts every finite pixel.
     */
    static boolean trusted(MapView mask, MapView map, int i) {
        float v = map.values[i];
        if (Float.isNaN(v) || Float.isInfinite(v)) {
            return false;
        }
        if (mask == null) {
            return true;
        }
        if (mask.width == map.width && mask.height == map.height && mask.scale == map.scale) {
            return mask.values[i] >= 0.5f;
        }
        int x = i % map.width;
        int y = i / map.width;
        int fx = x * map.scale + map.scale / 2;
        int fy = y * map.scale + map.scale / 2;
        return mask.atFull(fx, fy) >= 0.5f;
    }
}
