package org.xanestream.processor.session;

import org.xanestream.processor.ScanInfo;
import org.xanestream.processor.fit.XanesFitter;

/** Creates the fitter of a new scan. Called on the processor thread when the scan starts. */
@FunctionalInterface
public interface FitterFactory {
    XanesFitter create(ScanInfo scan);
}
