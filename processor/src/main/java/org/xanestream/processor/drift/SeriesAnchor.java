package org.xanestream.processor.drift;

import java.util.Objects;

/**
 * What the next scan of an operando series registers to: the previous scan's mean aligned image (in the
 * series' coordinates) and that scan's own offset, used as fallback when cross-scan registration is not
 * confident.
 *
 * @param meanImage row-major mean of the previous scan's aligned images, NaN where never valid; not modified
 * @param width     image width
 * @param height    image height
 * @param offsetXPx displacement of the previous scan's reference relative to the series' coordinates, x
 * @param offsetYPx likewise, y
 */
public record SeriesAnchor(float[] meanImage, int width, int height, double offsetXPx, double offsetYPx) {
    public SeriesAnchor {
        Objects.requireNonNull(meanImage, "meanImage");
        if (meanImage.length != width * height) {
            throw new IllegalArgumentException("anchor image has " + meanImage.length + " pixels, expected "
                    + width + "x" + height);
        }
    }
}
