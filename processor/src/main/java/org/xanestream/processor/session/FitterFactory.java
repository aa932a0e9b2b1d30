package org.xanestream.processor.session;

import org.xanestream.processor.ScanInfo;
import org.xanestream.processor.fit.XanesFitter;

/**
 * Creates the fitter of a new scan. Called on the processor thread when the scan starts, once for the scan's
 * images and, when live maps are binned ({@link ProcessorConfig#liveMapsMaxSide()}), once more for the binned
 * images: the fitter must take images of {@code scan.width() × scan.height()}.
 */
@FunctionalInterface
public interface FitterFactory {
    XanesFitter create(ScanInfo scan);
}
