/**
 * Reference spectra: the {@link org.xanestream.processor.spectra.ReferenceSpectrum} record and its
 * loader {@link org.xanestream.processor.spectra.ReferenceSpectra} (two-column and XDI files, built-in
 * Ni references, edge normalization).
 *
 * <p>In: files or classpath resources, read once at configuration time on the caller's thread. Out:
 * immutable-by-convention spectra shared read-only by the fitter (LCF basis) and the simulator
 * (spectral model). Nothing here runs per frame.
 */
package org.xanestream.processor.spectra;
