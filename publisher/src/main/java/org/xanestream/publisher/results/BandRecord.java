package org.xanestream.publisher.results;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One row band of a binary record ({@code images} or {@code maps} topic): rows
 * {@code [row0, row0 + rows)} of a {@code width × height} float32 image.
 *
 * <p>{@code values} is a little-endian view of the record's bytes, positioned at 0 with exactly
 * {@code rows * width * 4} bytes remaining. It is valid only during the listener callback that
 * receives it: copy what you keep.
 *
 * @param kind        image (aligned mu of one energy) or map (one fit map)
 * @param scanId      scan identifier
 * @param map         map name for {@link Kind#MAP}, {@code null} for images
 * @param energyIndex energy point index for {@link Kind#IMAGE}, -1 for maps
 * @param energyEv    energy of the image, eV; NaN for maps
 * @param width       width of the published (possibly binned) image
 * @param height      height of the published image
 * @param bin         binning factor relative to the full-resolution frame (1 = not binned)
 * @param row0        first row of this band
 * @param rows        rows in this band
 * @param version     number of energy points included
 * @param finalBand   true on the final publication of a scan's maps
 * @param values      little-endian float32 pixels of the band, row-major
 */
public record BandRecord(Kind kind, String scanId, String map, int energyIndex, double energyEv, int width,
                         int height, int bin, int row0, int rows, int version, boolean finalBand,
                         ByteBuffer values) {

    /** Which binary topic the band came from. */
    public enum Kind { IMAGE, MAP }

    public BandRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(scanId, "scanId");
        Objects.requireNonNull(values, "values");
        if (kind == Kind.MAP && (map == null || map.isEmpty())) {
            throw new IllegalArgumentException("a map band needs a map name");
        }
        if (kind == Kind.IMAGE && energyIndex < 0) {
            throw new IllegalArgumentException("energy_index must be >= 0, got " + energyIndex);
        }
        if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("width x height must be positive and fit an array, got "
                    + width + "x" + height);
        }
        if (bin < 1) {
            throw new IllegalArgumentException("bin must be >= 1, got " + bin);
        }
        if (row0 < 0 || rows < 1 || row0 + rows > height) {
            throw new IllegalArgumentException("band rows [" + row0 + ", " + (row0 + rows)
                    + ") must lie inside [0, " + height + ")");
        }
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, got " + version);
        }
        if (values.remaining() != rows * width * 4) {
            throw new IllegalArgumentException("band value has " + values.remaining() + " bytes, expected "
                    + rows + " rows x " + width + " x 4 = " + (rows * width * 4));
        }
        if (values.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("values must be a little-endian view");
        }
    }

    /** The pixel at band-local row {@code r}, column {@code x}. */
    public float value(int r, int x) {
        return values.getFloat(values.position() + ((r * width) + x) * 4);
    }
}
