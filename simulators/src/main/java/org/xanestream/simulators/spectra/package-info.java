/**
 * The spectral model of the simulator: reference spectra as natural splines
 * ({@link org.xanestream.simulators.spectra.SmoothSpectrum}) and the per-pixel absorbance
 * {@code mu(E)} of a thickness/fraction/support triple ({@link org.xanestream.simulators.spectra.SpectralModel}),
 * including the dense peak and half-crossing used as ground truth.
 *
 * <p>In: edge-normalized references (from {@code org.xanestream.processor.spectra}). Out: coefficients
 * per energy read by the frame generator, and landmark energies for the ground truth. Immutable,
 * shared read-only across threads.
 */
package org.xanestream.simulators.spectra;
