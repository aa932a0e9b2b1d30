/**
 * The XANES stack of one scan: aligned mu images by energy.
 *
 * <p>In: each completed energy point's aligned image, on the processor thread (the stack keeps a reference;
 * the same array goes to the fitter and to listeners, and nobody modifies it afterwards). Out: sorted
 * access to energies and per-pixel spectra, the scan's mean image (for cross-scan registration) and the
 * mask of pixels valid at every energy. Memory: energies × pixels floats.
 */
package org.xanestream.processor.stack;
